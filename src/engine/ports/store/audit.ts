// The audit area of the StateStore (src/store/areas/audit.ts): every value written, old → new.
import type { AuditEntry } from '../store.js';

export interface AuditStore {
  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** The latest `limit` entries of one target, newest first. */
  auditFor(target: string, limit: number): Promise<AuditEntry[]>;
}
