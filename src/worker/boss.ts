// pg-boss over the store's Postgres database. Its tables live in a schema of their own next to the
// store's: `pgboss`, or `<schema>_pgboss` when the store's URL names a schema (so test runs and
// installations that share a database by schema share no queue either).
import pg from 'pg';
import PgBoss from 'pg-boss';
import { parsePostgresUrl } from '../store/postgres/backend.js';
import { parseStoreLocation } from '../store/index.js';
import { QUEUES, queueOptions } from './queues.js';

export interface BossOptions {
  databaseUrl: string;
  jobTimeoutSeconds: number;
  /** Run pg-boss's maintenance (expiry of a killed worker's jobs, archiving) and cron. */
  supervise: boolean;
}

/** Whether the store is Postgres (the worker and the queue need it). */
export function isPostgres(databaseUrl: string): boolean {
  return parseStoreLocation(databaseUrl).dialect === 'postgres';
}

export function bossSchemaOf(databaseUrl: string): string {
  const { schema } = parsePostgresUrl(databaseUrl);
  return schema === undefined ? 'pgboss' : `${schema}_pgboss`;
}

export async function openBoss(opts: BossOptions): Promise<PgBoss> {
  const { connectionString } = parsePostgresUrl(opts.databaseUrl);
  // Processes starting together on a fresh schema deadlock in pg-boss's install and queue creation
  // (40P01, seen with three workers): one at a time, under a session advisory lock of the schema.
  const lock = new pg.Client({ connectionString });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [
      `dealbridge-boss:${bossSchemaOf(opts.databaseUrl)}`,
    ]);
    return await startBoss(opts, connectionString);
  } finally {
    await lock.end();
  }
}

async function startBoss(opts: BossOptions, connectionString: string): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: bossSchemaOf(opts.databaseUrl),
    application_name: 'dealbridge-worker',
    max: 4,
    supervise: opts.supervise,
    schedule: opts.supervise,
    // Expired jobs are found by maintenance: a quarter of the timeout (at most a minute) after it.
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(opts.jobTimeoutSeconds / 4))),
    expireInSeconds: opts.jobTimeoutSeconds,
  });
  try {
    await boss.start();
    const options = queueOptions(opts.jobTimeoutSeconds);
    // The dead-letter queue first: a queue naming it needs it to exist.
    const names = [QUEUES.deadLetters, ...Object.values(QUEUES).filter((q) => q !== QUEUES.deadLetters)];
    for (const name of names) {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...options[name] });
    }
    return boss;
  } catch (err) {
    // A half-started pg-boss keeps its timers and pool: the process would never exit.
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw err;
  }
}
