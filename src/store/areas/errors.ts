// Sync errors: one row per failing record, with attempts and the next retry time (the retry and
// dead-letter state lives in the database, as in pg-boss).
import type { ErrorFilter } from '../../engine/ports/store/errors.js';
import type { SyncErrorRecord } from '../../engine/ports/store.js';
import type { Severity } from '../../errors/index.js';
import { unique } from '../context.js';
import type { StoreContext, TableWrite } from '../context.js';
import type { SyncErrorsTable } from '../schema.js';
import { chunk } from '../../lib/chunk.js';

const SYNC_ERRORS: TableWrite<SyncErrorRecord> = {
  table: 'sync_errors',
  key: ['record_key'],
  columns: [
    ['record_key', 'text', (e) => e.recordKey],
    ['code', 'text', (e) => e.code],
    ['message', 'text', (e) => e.message],
    ['field', 'text', (e) => e.field],
    ['severity', 'text', (e) => e.severity],
    ['attempts', 'int', (e) => e.attempts],
    ['first_seen_at', 'text', (e) => e.firstSeenAt],
    ['last_seen_at', 'text', (e) => e.lastSeenAt],
    ['next_retry_at', 'text', (e) => e.nextRetryAt],
    ['dead_lettered_at', 'text', (e) => e.deadLetteredAt],
  ],
  // Every column as given, first_seen_at too: the engine keeps the first sighting of a record that
  // keeps failing and starts it again where the attempt budget starts again (record-errors.ts).
};

function toRecord(row: SyncErrorsTable): SyncErrorRecord {
  return {
    recordKey: row.record_key,
    code: row.code,
    message: row.message,
    field: row.field,
    severity: row.severity === 'warning' ? 'warning' : 'error',
    attempts: row.attempts,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    nextRetryAt: row.next_retry_at,
    deadLetteredAt: row.dead_lettered_at,
  };
}

/** Upserts by record key, stored as given (the engine counts attempts and picks the retry time). */
export async function recordErrors(ctx: StoreContext, errors: SyncErrorRecord[]): Promise<void> {
  await ctx.write(SYNC_ERRORS, errors);
}

export async function clearErrors(ctx: StoreContext, recordKeys: string[]): Promise<number> {
  let cleared = 0;
  await ctx.atomic(async () => {
    for (const part of chunk(unique(recordKeys), ctx.batchSize)) {
      const result = await ctx
        .db()
        .deleteFrom('sync_errors')
        .where(ctx.inList('record_key', part))
        .executeTakeFirst();
      cleared += Number(result.numDeletedRows);
    }
  });
  return cleared;
}

/** Errors ordered by code, then record key; `recordKeys`, `code` and `severity` narrow (all apply). */
export async function listErrors(ctx: StoreContext, filter: ErrorFilter = {}): Promise<SyncErrorRecord[]> {
  const parts =
    filter.recordKeys === undefined ? [undefined] : chunk(unique(filter.recordKeys), ctx.batchSize);
  const out: SyncErrorRecord[] = [];
  for (const part of parts) {
    let query = ctx.db().selectFrom('sync_errors').selectAll();
    if (part !== undefined) query = query.where(ctx.inList('record_key', part));
    if (filter.code !== undefined) query = query.where('code', '=', filter.code);
    if (filter.severity !== undefined) query = query.where('severity', '=', filter.severity);
    if (filter.deadLetter !== undefined)
      query = query.where('dead_lettered_at', filter.deadLetter ? 'is not' : 'is', null);
    const rows = await query.orderBy('code').orderBy('record_key').execute();
    out.push(...rows.map(toRecord));
  }
  if (parts.length > 1) {
    out.sort((a, b) => cmp(a.code, b.code) || cmp(a.recordKey, b.recordKey));
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Records whose retry time has come, the longest-waiting first. */
export async function dueRetries(ctx: StoreContext, now: string, limit: number): Promise<SyncErrorRecord[]> {
  const rows = await ctx
    .db()
    .selectFrom('sync_errors')
    .selectAll()
    .where('next_retry_at', 'is not', null)
    .where('next_retry_at', '<=', now)
    // A dead letter has no retry time; this holds even against a row written otherwise.
    .where('dead_lettered_at', 'is', null)
    .orderBy('next_retry_at')
    .orderBy('record_key')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** Due now, dead letters excepted: they wait for retryByHand. */
export async function scheduleRetryNow(ctx: StoreContext, recordKeys: string[], now: string): Promise<void> {
  await ctx.atomic(async () => {
    for (const part of chunk(unique(recordKeys), ctx.batchSize)) {
      await ctx
        .db()
        .updateTable('sync_errors')
        .set({ next_retry_at: now })
        .where(ctx.inList('record_key', part))
        .where('dead_lettered_at', 'is', null)
        .execute();
    }
  });
}

/** Due now, and dead letters revived with a fresh budget; returns how many were revived. */
export async function retryByHand(ctx: StoreContext, recordKeys: string[], now: string): Promise<number> {
  let revived = 0;
  await ctx.atomic(async () => {
    for (const part of chunk(unique(recordKeys), ctx.batchSize)) {
      const result = await ctx
        .db()
        .updateTable('sync_errors')
        .set({ next_retry_at: now, dead_lettered_at: null, attempts: 0, first_seen_at: now })
        .where(ctx.inList('record_key', part))
        .where('dead_lettered_at', 'is not', null)
        .executeTakeFirst();
      revived += Number(result.numUpdatedRows);
      await ctx
        .db()
        .updateTable('sync_errors')
        .set({ next_retry_at: now })
        .where(ctx.inList('record_key', part))
        .execute();
    }
  });
  return revived;
}

/** How many records have each code, of one severity (for `status` and the error cards). */
export async function errorCountsByCode(
  ctx: StoreContext,
  severity: Severity = 'error',
): Promise<Record<string, number>> {
  const rows = await ctx
    .db()
    .selectFrom('sync_errors')
    .select((eb) => ['code', eb.fn.countAll<number | string>().as('count')])
    .where('severity', '=', severity)
    .groupBy('code')
    .orderBy('code')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.code, Number(r.count)]));
}
