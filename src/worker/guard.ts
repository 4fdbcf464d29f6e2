// What every job of the worker goes through: its duration (the `dealbridge_job_duration_seconds`
// histogram) and, when it fails its last attempt, a dead letter in the store's errors (code
// WORKER_JOB_FAILED, record key `job:<queue>:<id>`), where `dealbridge status`, `errors list
// --dead-letters` and Sync health show it like any other; pg-boss moves the job itself to the
// dead-letter queue. `dealbridge errors retry` puts it back (requeue.ts). A job that succeeds after
// a failure clears its row.
import type PgBoss from 'pg-boss';
import { Histogram, type Registry } from 'prom-client';
import type { StateStore } from '../engine/ports/store.js';
import { jobRecordKey } from './queues.js';

export interface JobLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type JobHandler<T> = (job: PgBoss.JobWithMetadata<T>) => Promise<void>;

export interface Guard {
  wrap<T>(queue: string, handler: JobHandler<T>): (jobs: PgBoss.JobWithMetadata<T>[]) => Promise<void>;
}

export function createGuard(deps: { store: StateStore; log: JobLog; registry: Registry }): Guard {
  const durations = new Histogram({
    name: 'dealbridge_job_duration_seconds',
    help: 'How long the jobs this worker ran took, by queue and outcome (ok, failed)',
    labelNames: ['queue', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
    registers: [deps.registry],
  });
  return {
    wrap(queue, handler) {
      return async (jobs) => {
        for (const job of jobs) {
          const end = durations.startTimer({ queue });
          const key = jobRecordKey(queue, job.id);
          const data = (job.data ?? {}) as { connection?: unknown; index?: unknown };
          const what = {
            event: 'job',
            queue,
            jobId: job.id,
            connection: data.connection,
            ...(typeof data.index === 'number' ? { index: data.index } : {}),
          };
          deps.log.debug(what, 'job started');
          try {
            await handler(job);
            deps.log.debug(what, 'job finished');
            end({ outcome: 'ok' });
            // Only a job that failed before can have a row (a retry, or one put back by hand).
            if (job.retryCount > 0) await deps.store.clearErrors([key]);
          } catch (err) {
            end({ outcome: 'failed' });
            const e = err as { code?: string; message?: string };
            const message = `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
            const last = job.retryCount >= job.retryLimit;
            deps.log[last ? 'error' : 'warn'](
              { ...what, attempt: job.retryCount + 1, code: e.code ?? 'INTERNAL' },
              last
                ? `job failed its last attempt, dead-lettered: ${message}`
                : `job failed, retried: ${message}`,
            );
            if (last) await deadLetter(deps.store, key, message, job.retryCount + 1).catch(() => undefined);
            throw err;
          }
        }
      };
    },
  };
}

async function deadLetter(store: StateStore, recordKey: string, message: string, attempts: number) {
  const now = new Date().toISOString();
  await store.recordErrors([
    {
      recordKey,
      code: 'WORKER_JOB_FAILED',
      message,
      field: null,
      severity: 'error',
      attempts,
      firstSeenAt: now,
      lastSeenAt: now,
      nextRetryAt: null,
      deadLetteredAt: now,
    },
  ]);
}
