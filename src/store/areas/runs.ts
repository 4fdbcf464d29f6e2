// Pass summaries (the last sync / import pass, for `status`) and import runs (the "Import status" view).
import type { ImportRun, PassSummary } from '../../engine/ports/store.js';
import type { ImportRunCounts } from '../../engine/ports/store/runs.js';
import type { StoreContext } from '../context.js';
import type { ImportRunsTable } from '../schema.js';

export async function savePassSummary(ctx: StoreContext, s: PassSummary): Promise<void> {
  await ctx
    .db()
    .insertInto('pass_summaries')
    .values({
      kind: s.kind,
      started_at: s.startedAt,
      finished_at: s.finishedAt,
      created: s.created,
      updated: s.updated,
      unchanged: s.unchanged,
      skipped: s.skipped,
      failed: s.failed,
      archived: s.archived,
      skipped_by_reason: JSON.stringify(s.skippedByReason),
    })
    .execute();
}

export async function lastPassSummary(
  ctx: StoreContext,
  kind: PassSummary['kind'],
): Promise<PassSummary | undefined> {
  const row = await ctx
    .db()
    .selectFrom('pass_summaries')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('finished_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    kind: row.kind as PassSummary['kind'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    skipped: row.skipped,
    failed: row.failed,
    archived: row.archived,
    skippedByReason: JSON.parse(row.skipped_by_reason) as Record<string, number>,
  };
}

function toRun(row: ImportRunsTable): ImportRun {
  return {
    id: row.id,
    status: row.status as ImportRun['status'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    checkpointId: row.checkpoint_id,
    total: row.total,
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    skipped: row.skipped,
    failed: row.failed,
    message: row.message,
  };
}

type RunColumns = Omit<ImportRunsTable, 'id'>;

const PATCH_COLUMNS: { [K in keyof Omit<ImportRun, 'id'>]-?: keyof RunColumns } = {
  status: 'status',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  checkpointId: 'checkpoint_id',
  total: 'total',
  processed: 'processed',
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  skipped: 'skipped',
  failed: 'failed',
  message: 'message',
};

export async function createImportRun(ctx: StoreContext, run: ImportRun): Promise<void> {
  await ctx
    .db()
    .insertInto('import_runs')
    .values({
      id: run.id,
      status: run.status,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      checkpoint_id: run.checkpointId,
      total: run.total,
      processed: run.processed,
      created: run.created,
      updated: run.updated,
      unchanged: run.unchanged,
      skipped: run.skipped,
      failed: run.failed,
      message: run.message,
    })
    .execute();
}

/** Sets the given fields only; an unknown id is an error (a lost run must not pass silently). */
export async function updateImportRun(
  ctx: StoreContext,
  id: string,
  patch: Partial<Omit<ImportRun, 'id'>>,
): Promise<void> {
  const set: Partial<Record<keyof RunColumns, unknown>> = {};
  for (const [key, value] of Object.entries(patch)) {
    const column = PATCH_COLUMNS[key as keyof typeof PATCH_COLUMNS] as keyof RunColumns | undefined;
    if (column !== undefined && value !== undefined) set[column] = value;
  }
  let found: boolean;
  if (Object.keys(set).length === 0) {
    found = (await getImportRun(ctx, id)) !== undefined;
  } else {
    const result = await ctx
      .db()
      .updateTable('import_runs')
      .set(set as Partial<RunColumns>)
      .where('id', '=', id)
      .executeTakeFirst();
    found = result.numUpdatedRows > 0n;
  }
  if (!found) throw new Error(`import run not found: ${id}`);
}

/** One UPDATE adding to the counts: concurrent writers never lose each other's batches. */
export async function addImportRunCounts(ctx: StoreContext, id: string, d: ImportRunCounts): Promise<void> {
  const result = await ctx
    .db()
    .updateTable('import_runs')
    .set((eb) => ({
      processed: eb('processed', '+', d.processed),
      created: eb('created', '+', d.created),
      updated: eb('updated', '+', d.updated),
      unchanged: eb('unchanged', '+', d.unchanged),
      skipped: eb('skipped', '+', d.skipped),
      failed: eb('failed', '+', d.failed),
    }))
    .where('id', '=', id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new Error(`import run not found: ${id}`);
}

export async function getImportRun(ctx: StoreContext, id: string): Promise<ImportRun | undefined> {
  const row = await ctx.db().selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toRun(row);
}

/** The newest runs first. */
export async function listImportRuns(ctx: StoreContext, limit: number): Promise<ImportRun[]> {
  const rows = await ctx
    .db()
    .selectFrom('import_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}
