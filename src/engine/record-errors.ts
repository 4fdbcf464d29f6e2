// Record-level failures: stored with attempts and a next retry time (exponential backoff, capped),
// cleared when the record syncs. A later pass re-syncs the records whose retry time has come.
// Warnings (the record synced, with something left out) are stored the same way but get no retry
// time: re-syncing an unchanged record would only find the same warning again.
// An error that has failed DEAD_LETTER_ATTEMPTS times, or for DEAD_LETTER_AGE_MS, becomes a dead
// letter (issue #17): no retry time, so only a person brings it back (ErrorStore.retryByHand),
// with a fresh budget. Retrying forever would spend API calls on records no retry can fix.
import type { IsoDateTime } from '../domain/salesforce.js';
import { DealbridgeError, errorCatalogue, isErrorCode, type Severity } from '../errors/index.js';
import { exponentialBackoffMs } from '../http/retry.js';
import type { StateStore, SyncErrorRecord } from './ports/store.js';

export interface RecordFailure {
  recordKey: string;
  code: string;
  message: string;
  field: string | null;
  severity: Severity;
}

/**
 * The severity of an issue of a record that synced anyway: the catalogue's for the code (unknown
 * codes count as errors). A record held back by an issue is an error whatever the code.
 */
export function syncedIssueSeverity(code: string): Severity {
  return isErrorCode(code) ? errorCatalogue[code].severity : 'error';
}

export const opportunityKey = (id: string): string => `opportunity:${id}`;
/**
 * Errors of writes to an opportunity that came from HubSpot (two-way/: a change Salesforce
 * refused; deletes/deleted-deals.ts: a delete), apart from the other direction's `opportunity:`.
 */
export const opportunityWriteKey = (id: string): string => `opportunity-write:${id}`;

const BASE_DELAY_MS = 60_000;
const MAX_DELAY_MS = 6 * 3600_000;

/** Delay before the next attempt after `attempts` failures: 1 min, 2 min, 4 min … capped at 6 h. */
export function backoffDelayMs(attempts: number): number {
  return exponentialBackoffMs(attempts, BASE_DELAY_MS, MAX_DELAY_MS);
}

/** Failed attempts after which an error is a dead letter. */
export const DEAD_LETTER_ATTEMPTS = 20;
/** How long an error may keep failing before it is a dead letter (from its first sighting). */
export const DEAD_LETTER_AGE_MS = 7 * 24 * 3600_000;

/**
 * Whether an error seen `attempts` times since `firstSeenAt` is a dead letter at `now`. With the
 * backoff above 20 attempts take about 3 days, so the age bound is for records retried seldom
 * (a sync that ran only now and then).
 */
export function isDeadLetter(attempts: number, firstSeenAt: IsoDateTime, now: Date): boolean {
  return attempts >= DEAD_LETTER_ATTEMPTS || now.getTime() - Date.parse(firstSeenAt) >= DEAD_LETTER_AGE_MS;
}

/**
 * Merges several failures of one record into one stored error. The first error names it (its
 * code, field and severity), else the first warning: a record with any error is retried.
 */
export function mergeFailures(failures: RecordFailure[]): RecordFailure[] {
  const join = (a: string, b: string) => (a.includes(b) ? a : `${a}; ${b}`);
  const byKey = new Map<string, RecordFailure>();
  for (const f of failures) {
    const prev = byKey.get(f.recordKey);
    if (!prev) byKey.set(f.recordKey, { ...f });
    else if (prev.severity === 'warning' && f.severity === 'error')
      byKey.set(f.recordKey, { ...f, message: join(f.message, prev.message) });
    else prev.message = join(prev.message, f.message);
  }
  return [...byKey.values()];
}

export function toErrorRecords(
  failures: RecordFailure[],
  existing: Map<string, SyncErrorRecord>,
  now: Date,
): SyncErrorRecord[] {
  const at: IsoDateTime = now.toISOString();
  return mergeFailures(failures).map((f) => {
    const found = existing.get(f.recordKey);
    // A record that synced with a warning was not failing: its error's budget starts here.
    const prev = f.severity === 'error' && found?.severity === 'warning' ? undefined : found;
    const attempts = (prev?.attempts ?? 0) + 1;
    const firstSeenAt = prev?.firstSeenAt ?? at;
    // A dead letter stays one when a fresh change of it fails again (only a person revives it);
    // a warning never is one: the record synced.
    const deadLetteredAt =
      f.severity === 'warning'
        ? null
        : (prev?.deadLetteredAt ?? (isDeadLetter(attempts, firstSeenAt, now) ? at : null));
    return {
      recordKey: f.recordKey,
      code: f.code,
      message: f.message,
      field: f.field,
      severity: f.severity,
      attempts,
      firstSeenAt,
      lastSeenAt: at,
      nextRetryAt:
        f.severity === 'warning' || deadLetteredAt !== null
          ? null
          : new Date(now.getTime() + backoffDelayMs(attempts)).toISOString(),
      deadLetteredAt,
    };
  });
}

export async function existingErrors(
  store: StateStore,
  keys: string[],
): Promise<Map<string, SyncErrorRecord>> {
  if (keys.length === 0) return new Map();
  const list = await store.listErrors({ recordKeys: keys });
  return new Map(list.map((e) => [e.recordKey, e]));
}

/** A stable catalogue code for whatever an adapter threw about one record. */
export function codeOf(err: unknown, fallback = 'INTERNAL'): string {
  if (err instanceof DealbridgeError) return err.code;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && isErrorCode(code)) return code;
  return fallback;
}

/** Errors that must stop the pass (rate limits spent, outages, auth, setup) rather than one record. */
export function isPassLevel(err: unknown): boolean {
  return err instanceof DealbridgeError && err.info.scope !== 'record';
}
