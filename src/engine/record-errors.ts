// Record-level failures: stored with attempts and a next retry time (exponential backoff, capped),
// cleared when the record syncs. A later pass re-syncs the records whose retry time has come.
// Warnings (the record synced, with something left out) are stored the same way but get no retry
// time: re-syncing an unchanged record would only find the same warning again.
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

const BASE_DELAY_MS = 60_000;
const MAX_DELAY_MS = 6 * 3600_000;

/** Delay before the next attempt after `attempts` failures: 1 min, 2 min, 4 min … capped at 6 h. */
export function backoffDelayMs(attempts: number): number {
  return exponentialBackoffMs(attempts, BASE_DELAY_MS, MAX_DELAY_MS);
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
    const prev = existing.get(f.recordKey);
    const attempts = (prev?.attempts ?? 0) + 1;
    return {
      recordKey: f.recordKey,
      code: f.code,
      message: f.message,
      field: f.field,
      severity: f.severity,
      attempts,
      firstSeenAt: prev?.firstSeenAt ?? at,
      lastSeenAt: at,
      nextRetryAt:
        f.severity === 'warning' ? null : new Date(now.getTime() + backoffDelayMs(attempts)).toISOString(),
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
