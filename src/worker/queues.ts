// The pg-boss queues of `dealbridge worker`, what their jobs carry, and how they retry and expire.
// Every job names its connection: today only `default` (the one today's environment variables
// describe); the queues are shared by all connections, so a worker serves every one.
import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { ImportBatchSpec } from '../engine/import/queued.js';

export { DEFAULT_CONNECTION } from '../server/serve.js';

export const QUEUES = {
  /** One sync pass of a connection; `stately` keyed by connection: one queued and one active at most. */
  poll: 'dealbridge-poll',
  /** Once a minute (pg-boss cron): makes sure every connection has a poll queued (a lost chain revives). */
  tick: 'dealbridge-tick',
  importBatch: 'dealbridge-import-batch',
  importRollups: 'dealbridge-import-rollups',
  /** Where pg-boss moves a job that has failed all its attempts (and the store's dead letters show it). */
  deadLetters: 'dealbridge-dead-letters',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface PollJob {
  connection: string;
}
export type ImportBatchJob = ImportBatchSpec & { connection: string };
export interface ImportRollupsJob {
  connection: string;
  runId: string;
}

/** Attempts after the first before a job is dead-lettered (pg-boss `retryLimit`). */
export const RETRY_LIMIT = 4;

/**
 * The queues' settings. `jobTimeoutSeconds` is pg-boss's `expireInSeconds`: a job active for longer
 * is failed (and retried by another worker): how soon a SIGKILLed worker's jobs are taken over. It
 * must exceed the longest job (a sync pass through a backlog, an import batch at a slow pace).
 */
export function queueOptions(jobTimeoutSeconds: number): Record<QueueName, Omit<PgBoss.Queue, 'name'>> {
  const common = {
    expireInSeconds: jobTimeoutSeconds,
    retryLimit: RETRY_LIMIT,
    retryDelay: 5,
    retryBackoff: true,
    deadLetter: QUEUES.deadLetters,
  };
  return {
    [QUEUES.poll]: { ...common, policy: 'stately' },
    [QUEUES.tick]: { policy: 'short', retryLimit: 0, expireInSeconds: 60 },
    [QUEUES.importBatch]: { ...common, policy: 'standard' },
    [QUEUES.importRollups]: { ...common, policy: 'standard' },
    [QUEUES.deadLetters]: { policy: 'standard', retentionDays: 30 },
  };
}

/**
 * A job id made from what the job is (`run:batch`), so that sending it twice — the job that sends it
 * runs again after a kill — makes one job (pg-boss ignores a send whose id exists).
 */
export function jobIdOf(what: string): string {
  const h = createHash('sha256').update(what).digest('hex');
  // Shaped as an RFC 4122 name-based UUID (version 5 bits, variant 10): pg-boss's id is a uuid column.
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The store's record key of a dead-lettered job (`dealbridge errors list`, status, Sync health). */
export const jobRecordKey = (queue: string, id: string): string => `job:${queue}:${id}`;

export function parseJobRecordKey(key: string): { queue: string; id: string } | undefined {
  const m = /^job:([a-z-]+):([0-9a-f-]{36})$/.exec(key);
  return m ? { queue: m[1] as string, id: m[2] as string } : undefined;
}
