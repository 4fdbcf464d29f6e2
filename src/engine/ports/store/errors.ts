// The errors area of the StateStore (src/store/areas/errors.ts): per-record errors and retries.
import type { IsoDateTime } from '../../../domain/salesforce.js';
import type { Severity } from '../../../errors/index.js';
import type { SyncErrorRecord } from '../store.js';

/** Narrows listErrors; every given part applies. */
export interface ErrorFilter {
  code?: string;
  recordKeys?: string[];
  severity?: Severity;
  /** true: dead letters only; false: everything else. */
  deadLetter?: boolean;
}

export interface ErrorStore {
  /** Upserts by record key, stored as given: the engine counts attempts and picks the retry time. */
  recordErrors(errors: SyncErrorRecord[]): Promise<void>;
  /** Clears the errors of these records (they synced); returns how many were cleared. */
  clearErrors(recordKeys: string[]): Promise<number>;
  listErrors(filter?: ErrorFilter): Promise<SyncErrorRecord[]>;
  /** Records whose next retry time has come (never a dead letter). */
  dueRetries(now: IsoDateTime, limit: number): Promise<SyncErrorRecord[]>;
  /**
   * Makes these records due now, dead letters excepted: what setup, a settings change or a
   * refreshed owner map does for the records its change may fix.
   */
  scheduleRetryNow(recordKeys: string[], now: IsoDateTime): Promise<void>;
  /**
   * A person's retry (`dealbridge errors retry`, Resync in the web UI): these records are due now,
   * and a dead letter among them is one no more, with a fresh attempt budget (attempts 0, first
   * seen now). Returns how many dead letters it revived.
   */
  retryByHand(recordKeys: string[], now: IsoDateTime): Promise<number>;
  /** How many records have each code, of one severity (default 'error'; the dashboard). */
  errorCountsByCode(severity?: Severity): Promise<Record<string, number>>;
}
