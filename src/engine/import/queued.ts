// An import the workers share (`dealbridge import --queue`, src/worker): the same run, batches and
// rollups as runImport (run.ts), cut into jobs any worker may take.
//
// - A batch job reads `batchSize` opportunities after its `afterId` (the org in Id order, as
//   run.ts streams it), hands the next batch its start (the last Id it read) before it writes, and
//   then writes its batch through the sync's batch machinery. Reading is one query page or two, the
//   writing is the slow part: the next batch is read and written by another worker meanwhile.
// - Each batch stores its outcome, its counts (added in one statement: batches are stored in any
//   order) and its marker in one transaction; the counts' row lock makes the commits of a run's
//   batches one at a time (the writing to HubSpot before them goes on side by side). A batch run again (its worker was killed after the
//   commit, before the queue heard) finds its marker and does nothing; one killed before the commit
//   writes again, against idempotent upserts keyed by `salesforce_opportunity_id`.
// - The batch that reads less than a full batch is the last: it stores how many batches there are.
//   Whichever batch stores the last marker asks for the rollups (each looks after its own commit,
//   so the last of them sees every marker), which run once for the whole run, as in run.ts.
import { randomUUID } from 'node:crypto';
import { loadSyncContext } from '../mapping/sync-context.js';
import { storeOutcome, syncOpportunityBatch, type BatchEnv } from '../sync/batch.js';
import type { SfOpportunityWithRoles } from '../ports/remote.js';
import type { ImportRun } from '../ports/store.js';
import type { RollupResult } from '../rollups/pass.js';
import { readSettings } from '../user-settings.js';
import { readPause } from '../pause.js';
import { DeferredImportRollups } from './deferred-rollups.js';
import { groupPages } from './group.js';
import { prefetchPage } from './prefetch.js';
import {
  budgetReached,
  DEFAULT_IMPORT_BATCH,
  importRollups,
  MAX_IMPORT_BATCH,
  resumableRun,
  withoutStale,
  type ImportDeps,
} from './run.js';

/** What one batch job carries (with its connection: src/worker/queues.ts). */
export interface ImportBatchSpec {
  runId: string;
  /** The batch's number in its run (a resumed run numbers on after the parts it has). */
  index: number;
  /** The last Id of the batch before (null: from the start of the org). */
  afterId: string | null;
  batchSize: number;
}

/** Stored when the run is handed to the workers: the first batch's number. */
interface QueuedMark {
  firstIndex: number;
}

/** A stored batch: its last opportunity Id (null for the empty last batch). */
interface BatchMark {
  lastId: string | null;
}

const queuedKey = (runId: string) => `import.${runId}.queued`;
const batchesKey = (runId: string) => `import.${runId}.batches`;
const markKey = (runId: string, index: number) => `import.${runId}.batch.${index}`;

export type QueuedStart = { started: ImportRun; first: ImportBatchSpec } | { running: ImportRun };

/**
 * Makes the run (or resumes the newest unfinished one from its checkpoint, as run.ts does) and
 * returns its first batch. An unfinished run already handed to the workers is left to them.
 */
export async function startQueuedImport(
  deps: ImportDeps,
  opts: { batchSize?: number; restart?: boolean } = {},
): Promise<QueuedStart> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const batchSize = Math.max(1, Math.min(MAX_IMPORT_BATCH, opts.batchSize ?? DEFAULT_IMPORT_BATCH));
  const previous = opts.restart ? undefined : await resumableRun(store);
  if (previous?.status === 'running' && (await store.getSetting<QueuedMark>(queuedKey(previous.id))))
    return { running: previous };
  const settings = await readSettings(deps.store);
  const budget = budgetReached(deps.salesforce, settings);
  if (budget) throw budget;
  const total = await deps.salesforce.countOpportunities();
  const run: ImportRun = previous
    ? { ...previous, status: 'running', finishedAt: null, message: null, total }
    : {
        id: randomUUID(),
        status: 'running',
        startedAt: now().toISOString(),
        finishedAt: null,
        checkpointId: null,
        total,
        processed: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        failed: 0,
        message: null,
      };
  const firstIndex = previous ? await DeferredImportRollups.partsOf(store, run.id) : 0;
  await store.transaction(async () => {
    if (previous)
      await store.updateImportRun(run.id, { status: 'running', finishedAt: null, message: null, total });
    else await store.createImportRun(run);
    await store.setSetting(queuedKey(run.id), { firstIndex } satisfies QueuedMark);
    await store.setSetting(batchesKey(run.id), null);
  });
  return { started: run, first: { runId: run.id, index: firstIndex, afterId: run.checkpointId, batchSize } };
}

export interface BatchHooks {
  /** Hands the next batch to the queue (idempotent: called again when this batch runs again). */
  next(spec: ImportBatchSpec): Promise<void>;
  /** Every batch is stored: the run's rollups are due (idempotent likewise). */
  allStored(runId: string): Promise<void>;
}

export type BatchResult = 'stored' | 'already-stored' | 'paused' | 'budget' | 'run-over';

/** One batch job (see the top of this file). 'paused' and 'budget': nothing done, to run again later. */
export async function runImportBatch(
  deps: ImportDeps,
  spec: ImportBatchSpec,
  hooks: BatchHooks,
): Promise<BatchResult> {
  const { store, salesforce } = deps;
  const now = deps.now ?? (() => new Date());
  const run = await store.getImportRun(spec.runId);
  if (!run || run.status !== 'running') return 'run-over';
  if (await store.getSetting<BatchMark>(markKey(spec.runId, spec.index))) {
    await checkAllStored(deps, spec.runId, hooks);
    return 'already-stored';
  }
  if ((await readPause(store)).paused) return 'paused';
  const settings = await readSettings(store);
  if (budgetReached(salesforce, settings)) return 'budget';
  const ctx = await loadSyncContext(deps, settings, now().getTime());

  const batch = await firstBatch(
    salesforce.allOpportunities(spec.afterId, { extraFields: ctx.extraFields }),
    spec.batchSize,
  );
  const lastId = batch.length > 0 ? (batch[batch.length - 1] as SfOpportunityWithRoles).Id : null;
  if (batch.length === spec.batchSize) {
    await hooks.next({ ...spec, index: spec.index + 1, afterId: lastId });
  } else {
    await store.setSetting(batchesKey(spec.runId), spec.index + 1);
  }
  const mark = async () => {
    await store.setSetting(markKey(spec.runId, spec.index), { lastId } satisfies BatchMark);
  };
  if (batch.length === 0) {
    await store.transaction(mark);
  } else {
    await prefetchPage(deps, batch, settings);
    // The import brings what the sync's scope contract leaves to it: T does not bind it (run.ts).
    const env: BatchEnv = { ...deps, settings, ctx, now: now(), syncStartedAt: null };
    const { fresh, stale } = await withoutStale(store, batch);
    const outcome = await syncOpportunityBatch(env, fresh, {
      reason: 'import',
      cheapSkip: false,
      runId: spec.runId,
    });
    const c = outcome.counts;
    const part = DeferredImportRollups.partOf(spec.runId, spec.index, outcome);
    // The counts first: their UPDATE locks the run's row until the commit, so the batches of a
    // run commit one at a time (the read-then-write settings of storeOutcome lose nothing).
    await storeOutcome(
      store,
      outcome,
      async () => {
        if (part) await part(store);
        await mark();
      },
      () =>
        store.addImportRunCounts(spec.runId, {
          processed: batch.length,
          created: c.created,
          updated: c.updated + c.archived,
          unchanged: c.unchanged + stale,
          skipped: c.skipped,
          failed: c.failed,
        }),
    );
  }
  await checkAllStored(deps, spec.runId, hooks);
  return 'stored';
}

/** The first `size` rows of the stream (the rest of its last page is read again by the next batch). */
async function firstBatch(
  pages: AsyncIterable<SfOpportunityWithRoles[]>,
  size: number,
): Promise<SfOpportunityWithRoles[]> {
  for await (const group of groupPages(pages, size)) return group.slice(0, size);
  return [];
}

/** The batches' marks when all are stored (undefined while some are not, or the count is unknown). */
async function storedMarks(deps: ImportDeps, runId: string): Promise<BatchMark[] | undefined> {
  const { store } = deps;
  const queued = await store.getSetting<QueuedMark>(queuedKey(runId));
  const count = await store.getSetting<number | null>(batchesKey(runId));
  if (!queued || typeof count !== 'number') return undefined;
  const marks: BatchMark[] = [];
  for (let i = queued.firstIndex; i < count; i++) {
    const m = await store.getSetting<BatchMark>(markKey(runId, i));
    if (!m) return undefined;
    marks.push(m);
  }
  return marks;
}

async function checkAllStored(deps: ImportDeps, runId: string, hooks: BatchHooks): Promise<void> {
  if (await storedMarks(deps, runId)) await hooks.allStored(runId);
}

/** The rollups job: once every batch is stored, the run's rollups, then the run is completed. */
export async function finishQueuedImport(
  deps: ImportDeps,
  runId: string,
): Promise<{ run: ImportRun; rollups: RollupResult } | undefined> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const run = await store.getImportRun(runId);
  if (!run || run.status !== 'running') return undefined;
  const marks = await storedMarks(deps, runId);
  const count = await store.getSetting<number>(batchesKey(runId));
  if (!marks || typeof count !== 'number') return undefined;
  // Ids ascend with the batches: the last Id read is the newest mark's that has one.
  const checkpointId =
    marks.reduce<string | null>((max, m) => (m.lastId !== null ? m.lastId : max), null) ?? run.checkpointId;
  await DeferredImportRollups.setParts(store, runId, count);
  const pending = await DeferredImportRollups.load(store, runId);
  const settings = await readSettings(store);
  const ctx = await loadSyncContext(deps, settings, now().getTime());
  const rollups = await importRollups(
    deps,
    pending,
    { id: runId, checkpointId },
    {
      portalCurrency: ctx.portalCurrency,
      startedAt: run.startedAt,
    },
  );
  await pending.clear(store);
  const message = `rollups: ${rollups.contacts.updated} contacts, ${rollups.companies.updated} companies written; ${rollups.contacts.lifecycle} lifecycle stages moved; ${rollups.contacts.failed + rollups.companies.failed} failed`;
  const patch = { status: 'completed' as const, finishedAt: now().toISOString(), checkpointId, message };
  await store.updateImportRun(runId, patch);
  return { run: { ...((await store.getImportRun(runId)) ?? run), ...patch }, rollups };
}
