// The errors area of the StateStore (src/store/areas/errors.ts): per-record errors and retries.
import type { IsoDateTime } from '../../../domain/salesforce.js';
import type { Severity } from '../../../errors/index.js';
import type { SyncErrorRecord } from '../store.js';

/** Narrows listErrors; every given part applies. */
export interface ErrorFilter {
  code?: string;
  recordKeys?: string[];
  severity?: Severity;
}

export interface ErrorStore {
  recordErrors(errors: SyncErrorRecord[]): Promise<void>;
  /** Clears the errors of these records (they synced); returns how many were cleared. */
  clearErrors(recordKeys: string[]): Promise<number>;
  listErrors(filter?: ErrorFilter): Promise<SyncErrorRecord[]>;
  /** Records whose next retry time has come. */
  dueRetries(now: IsoDateTime, limit: number): Promise<SyncErrorRecord[]>;
  /** Makes these records due now (the "resync" action). */
  scheduleRetryNow(recordKeys: string[], now: IsoDateTime): Promise<void>;
  /** How many records have each code, of one severity (default 'error'; the dashboard). */
  errorCountsByCode(severity?: Severity): Promise<Record<string, number>>;
}
