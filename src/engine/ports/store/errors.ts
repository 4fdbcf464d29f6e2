// The errors area of the StateStore (src/store/areas/errors.ts): per-record errors and retries.
import type { IsoDateTime } from '../../../domain/salesforce.js';
import type { SyncErrorRecord } from '../store.js';

export interface ErrorStore {
  recordErrors(errors: SyncErrorRecord[]): Promise<void>;
  /** Clears the errors of these records (they synced); returns how many were cleared. */
  clearErrors(recordKeys: string[]): Promise<number>;
  listErrors(filter?: { code?: string; recordKeys?: string[] }): Promise<SyncErrorRecord[]>;
  /** Records whose next retry time has come. */
  dueRetries(now: IsoDateTime, limit: number): Promise<SyncErrorRecord[]>;
  /** Makes these records due now (the "resync" action). */
  scheduleRetryNow(recordKeys: string[], now: IsoDateTime): Promise<void>;
  /** How many records have each error code (the dashboard). */
  errorCountsByCode(): Promise<Record<string, number>>;
}
