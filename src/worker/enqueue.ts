// The CLI's side of the queues: `dealbridge import --queue` hands an import to the workers and
// follows it in the store; `dealbridge errors retry` puts dead-lettered jobs back. Neither runs
// pg-boss's maintenance: that is the workers' (a CLI call is short-lived).
import type PgBoss from 'pg-boss';
import type { Runtime } from '../composition/runtime.js';
import { DealbridgeError } from '../errors/index.js';
import { startQueuedImport, type QueuedStart } from '../engine/import/queued.js';
import { rateAndEta, type ImportProgress } from '../engine/import/progress.js';
import type { ImportRun } from '../engine/ports/store.js';
import { loadRuntimeConfig } from '../composition/runtime-config.js';
import { isPostgres, openBoss } from './boss.js';
import { sendImportBatch } from './handlers.js';
import { DEFAULT_CONNECTION, parseJobRecordKey } from './queues.js';

/** The connection the command acts on (`--connection`, composition/runtime.ts). */
const selected = (): string => process.env.DEALBRIDGE_CONNECTION || DEFAULT_CONNECTION;

async function withBoss<T>(rt: Runtime, what: string, fn: (boss: PgBoss) => Promise<T>): Promise<T> {
  // The queues are the deployment's, next to the default store, whichever connection acts.
  const databaseUrl =
    selected() === DEFAULT_CONNECTION ? rt.config.databaseUrl : loadRuntimeConfig().databaseUrl;
  if (!isPostgres(databaseUrl))
    throw new DealbridgeError(
      'WORKER_NEEDS_POSTGRES',
      `${what} needs a Postgres state store and \`dealbridge worker\` processes; with SQLite, run \`dealbridge import\` without --queue`,
    );
  // The job timeout only matters to the workers' maintenance; queues made here get the default.
  const boss = await openBoss({
    databaseUrl: rt.config.databaseUrl,
    jobTimeoutSeconds: 15 * 60,
    supervise: false,
  });
  try {
    return await fn(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** Starts (or resumes) a run and queues its first batch; a run the workers hold already is returned. */
export async function queueImport(
  rt: Runtime,
  opts: { batchSize?: number; restart?: boolean },
): Promise<QueuedStart> {
  return withBoss(rt, 'import --queue', async (boss) => {
    const deps = { salesforce: await rt.salesforce(), hubspot: await rt.hubspot(), store: rt.store };
    const start = await startQueuedImport(deps, opts);
    if ('started' in start) await sendImportBatch(boss, selected(), start.first);
    return start;
  });
}

/** Reads the run every `everyMs` until it is no longer running (or `signal` stops the following). */
export async function followImport(
  rt: Runtime,
  runId: string,
  opts: { everyMs?: number; signal?: AbortSignal; onProgress?: (p: ImportProgress) => void },
): Promise<ImportRun | undefined> {
  const started = Date.now();
  let first: number | undefined;
  for (;;) {
    const run = await rt.store.getImportRun(runId);
    if (!run) return undefined;
    first ??= run.processed;
    const elapsedMs = Date.now() - started;
    const phase: ImportProgress['phase'] =
      run.status === 'running'
        ? run.total !== null && run.processed >= run.total
          ? 'rollups'
          : 'deals'
        : run.status === 'completed'
          ? 'done'
          : run.status === 'failed'
            ? 'failed'
            : 'paused';
    opts.onProgress?.({
      runId,
      phase,
      processed: run.processed,
      total: run.total,
      created: run.created,
      updated: run.updated,
      unchanged: run.unchanged,
      skipped: run.skipped,
      failed: run.failed,
      elapsedMs,
      ...rateAndEta(run.processed, first, elapsedMs, run.total),
    });
    if (run.status !== 'running' || opts.signal?.aborted) return run;
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 1000));
  }
}

/**
 * Puts the dead-lettered jobs among these record keys back in their queues: a failed job still in
 * pg-boss's table gets one more attempt (`retry`); one archived since is sent again with its data.
 * Returns how many went back.
 */
export async function requeueJobs(rt: Runtime, recordKeys: string[]): Promise<number> {
  const jobs = recordKeys.map(parseJobRecordKey).filter((j) => j !== undefined);
  if (jobs.length === 0) return 0;
  return withBoss(rt, 'putting a worker job back', async (boss) => {
    let n = 0;
    for (const { queue, id } of jobs) {
      const live = await boss.getJobById<object>(queue, id, { includeArchive: false });
      if (live?.state === 'failed') await boss.retry(queue, id);
      else {
        const archived = live
          ? undefined
          : await boss.getJobById<object>(queue, id, { includeArchive: true });
        if (!archived) continue;
        await boss.send(queue, archived.data);
      }
      n++;
    }
    return n;
  });
}
