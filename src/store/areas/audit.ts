// The audit log: append-only, one row per value written (when, which record, field, old → new, why).
import type { AuditEntry } from '../../engine/state.js';
import { chunk } from '../context.js';
import type { StoreContext } from '../context.js';

const COLUMNS = 8;

export async function appendAudit(ctx: StoreContext, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    at: e.at,
    target: e.target,
    source_key: e.sourceKey,
    field: e.field,
    old_value: e.oldValue,
    new_value: e.newValue,
    reason: e.reason,
    run_id: e.runId,
  }));
  await ctx.atomic(async () => {
    for (const part of chunk(rows, ctx.rowsPerInsert(COLUMNS))) {
      await ctx.db().insertInto('audit_log').values(part).execute();
    }
  });
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
  }));
}
