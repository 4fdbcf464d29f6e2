// The jobs of `dealbridge worker`, each a step the engine already has: a sync pass (the poll), an
// import batch, an import's rollups. They schedule and distribute; the engine does the work.
import type PgBoss from 'pg-boss';
import type { Runtime } from '../composition/runtime.js';
import type { PassResult } from '../engine/sync/pass.js';
import { finishQueuedImport, runImportBatch, type ImportBatchSpec } from '../engine/import/queued.js';
import { jobIdOf, QUEUES, type ImportBatchJob, type ImportRollupsJob, type PollJob } from './queues.js';

export interface HandlerDeps {
  boss: PgBoss;
  /** The runtime of a connection (an unknown name is an error: the job ends dead-lettered). */
  connection(name: string): Promise<Runtime>;
  /** Every connection's name (`default` and the registry's), read at every tick. */
  connectionNames(): Promise<string[]>;
  /** Seconds between a connection's passes. */
  intervalSeconds: number;
  onPass?: (connection: string, r: PassResult) => void;
}

/** Queues a poll of the connection unless one is queued already (the queue is `stately`). */
export async function ensurePoll(boss: PgBoss, connection: string, afterSeconds = 0): Promise<void> {
  await boss.send(QUEUES.poll, { connection } satisfies PollJob, {
    singletonKey: connection,
    ...(afterSeconds > 0 ? { startAfter: afterSeconds } : {}),
  });
}

/** Hands an import batch to the queue: once per (run, batch), however often it is asked. */
export async function sendImportBatch(
  boss: PgBoss,
  connection: string,
  spec: ImportBatchSpec,
): Promise<void> {
  await boss.send(QUEUES.importBatch, { connection, ...spec } satisfies ImportBatchJob, {
    id: jobIdOf(`${connection}:${spec.runId}:${spec.index}`),
  });
}

export function handlers(deps: HandlerDeps) {
  const { boss } = deps;
  const importDeps = async (rt: Runtime) => ({
    salesforce: await rt.salesforce(),
    hubspot: await rt.hubspot(),
    store: rt.store,
  });
  return {
    /** One pass, then the next one is queued `intervalSeconds` later. */
    async poll(job: PgBoss.JobWithMetadata<PollJob>): Promise<void> {
      const rt = await deps.connection(job.data.connection);
      const r = await (await rt.engine()).runPass();
      deps.onPass?.(job.data.connection, r);
      await ensurePoll(boss, job.data.connection, deps.intervalSeconds);
    },

    /** Every connection has a poll queued (the chain of polls revives after a lost job). */
    async tick(): Promise<void> {
      for (const name of await deps.connectionNames()) await ensurePoll(boss, name);
    },

    async importBatch(job: PgBoss.JobWithMetadata<ImportBatchJob>): Promise<void> {
      const { connection, ...spec } = job.data;
      const rt = await deps.connection(connection);
      const result = await runImportBatch(await importDeps(rt), spec, {
        next: (s) => sendImportBatch(boss, connection, s),
        allStored: async (runId) => {
          await boss.send(QUEUES.importRollups, { connection, runId } satisfies ImportRollupsJob, {
            id: jobIdOf(`${connection}:${runId}:rollups`),
          });
        },
      });
      // Paused, or at the Salesforce budget: this batch waits (a fresh job; this one is done).
      if (result === 'paused' || result === 'budget')
        await boss.send(QUEUES.importBatch, job.data, { startAfter: result === 'paused' ? 15 : 300 });
    },

    async importRollups(job: PgBoss.JobWithMetadata<ImportRollupsJob>): Promise<void> {
      const rt = await deps.connection(job.data.connection);
      await finishQueuedImport(await importDeps(rt), job.data.runId);
    },
  };
}
