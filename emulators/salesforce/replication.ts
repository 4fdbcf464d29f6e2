// getUpdated / getDeleted: the replication resources. Seconds in start/end are ignored (Salesforce
// truncates to the minute); getUpdated reaches back 30 days, getDeleted 15 (the recycle bin).
// Out-of-window or inverted ranges fail with INVALID_REPLICATION_DATE, more than 600,000 ids with
// EXCEEDED_ID_LIMIT.
import type { OrgStore } from './store.js';
import { RECYCLE_DAYS } from './store.js';
import { apiError } from './errors.js';
import { DAY_MS, formatDateTime, parseDateTime, startOfDay } from './time.js';

const MINUTE = 60_000;
export const UPDATED_DAYS = 30;
const ID_LIMIT = 600_000;

interface Window {
  start: number;
  end: number;
}

function parseWindow(store: OrgStore, startRaw: string | null, endRaw: string | null, days: number): Window {
  if (!startRaw || !endRaw) throw apiError(400, 'MISSING_ARGUMENT', 'start and end are required');
  const s = parseDateTime(startRaw);
  const e = parseDateTime(endRaw);
  if (s === undefined)
    throw apiError(400, 'INVALID_REPLICATION_DATE', `start: invalid date/time: ${startRaw}`);
  if (e === undefined) throw apiError(400, 'INVALID_REPLICATION_DATE', `end: invalid date/time: ${endRaw}`);
  const start = s - (s % MINUTE);
  const end = e - (e % MINUTE);
  const now = store.clock.now();
  if (start >= end)
    throw apiError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate');
  // The window counts whole days back from the day of the call.
  if (start < startOfDay(now) - days * DAY_MS) {
    throw apiError(400, 'INVALID_REPLICATION_DATE', `startDate cannot be more than ${days} days ago`);
  }
  return { start, end };
}

function replicable(store: OrgStore, type: string) {
  const def = store.def(type);
  if (!def) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (!def.replicateable)
    throw apiError(400, 'INVALID_TYPE', `sObject type '${def.name}' is not supported for replication`);
  return def;
}

/** `{ids, latestDateCovered}` for records created or changed (SystemModstamp) in the window. */
export function getUpdated(store: OrgStore, type: string, startRaw: string | null, endRaw: string | null) {
  const def = replicable(store, type);
  const { start, end } = parseWindow(store, startRaw, endRaw, UPDATED_DAYS);
  const ids: string[] = [];
  for (const r of store.table(def.name)!.rows) {
    const t = r.SystemModstamp as number;
    if (!r.IsDeleted && t >= start && t < end) ids.push(r.Id as string);
  }
  if (ids.length > ID_LIMIT)
    throw apiError(400, 'EXCEEDED_ID_LIMIT', `more than ${ID_LIMIT} ids in the window; narrow it`);
  const now = store.clock.now();
  return { ids, latestDateCovered: formatDateTime(Math.min(end, now - (now % MINUTE))) };
}

/** `{deletedRecords, earliestDateAvailable, latestDateCovered}` for records deleted in the window. */
export function getDeleted(store: OrgStore, type: string, startRaw: string | null, endRaw: string | null) {
  const def = replicable(store, type);
  store.purgeRecycleBin();
  const { start, end } = parseWindow(store, startRaw, endRaw, RECYCLE_DAYS);
  const t = store.table(def.name)!;
  if (t.purgedUntil !== undefined && t.purgedUntil >= start) {
    throw apiError(
      400,
      'INVALID_REPLICATION_DATE',
      'deleted records were purged after startDate; do a full resync',
    );
  }
  const deletedRecords: { id: string; deletedDate: string }[] = [];
  for (const r of t.deletedQueue) {
    const ts = r.SystemModstamp as number;
    if (ts >= start && ts < end) deletedRecords.push({ id: r.Id as string, deletedDate: formatDateTime(ts) });
  }
  const now = store.clock.now();
  // Nothing purged yet: the bin holds everything since its retention window began.
  const earliest = t.purgedUntil ?? now - RECYCLE_DAYS * DAY_MS;
  return {
    deletedRecords,
    earliestDateAvailable: formatDateTime(earliest - (earliest % MINUTE)),
    latestDateCovered: formatDateTime(Math.min(end, now - (now % MINUTE))),
  };
}
