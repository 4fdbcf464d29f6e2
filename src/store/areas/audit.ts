// The audit log: append-only, one row per value written (when, which record, field, old → new, why).
import type { AuditEntry } from '../../engine/ports/store.js';
import type { StoreContext, TableWrite } from '../context.js';

const AUDIT_LOG: TableWrite<AuditEntry> = {
  table: 'audit_log',
  columns: [
    ['at', 'text', (e) => e.at],
    ['target', 'text', (e) => e.target],
    ['source_key', 'text', (e) => e.sourceKey],
    ['field', 'text', (e) => e.field],
    ['old_value', 'text', (e) => e.oldValue],
    ['new_value', 'text', (e) => e.newValue],
    ['reason', 'text', (e) => e.reason],
    ['run_id', 'text', (e) => e.runId],
    ['salesforce_at', 'text', (e) => e.salesforceAt ?? null],
    ['hubspot_at', 'text', (e) => e.hubspotAt ?? null],
  ],
};

export async function appendAudit(ctx: StoreContext, entries: AuditEntry[]): Promise<void> {
  await ctx.write(AUDIT_LOG, entries);
}

/** The newest `limit` entries of a target, newest first (same instant: last written first). */
export async function auditFor(ctx: StoreContext, target: string, limit: number): Promise<AuditEntry[]> {
  const rows = await ctx
    .db()
    .selectFrom('audit_log')
    .selectAll()
    .where('target', '=', target)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    at: r.at,
    target: r.target,
    sourceKey: r.source_key,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    reason: r.reason,
    runId: r.run_id,
    ...(r.salesforce_at !== null || r.hubspot_at !== null
      ? { salesforceAt: r.salesforce_at, hubspotAt: r.hubspot_at }
      : {}),
  }));
}
