// `dealbridge worker`: one process of any number sharing the Postgres store and its pg-boss queues.
// It takes jobs (handlers.ts) until SIGTERM or SIGINT, then drains: it takes no new job, /readyz
// says so, and what it holds finishes within the drain timeout or is failed back to the queue
// (pg-boss `stop({ graceful, timeout })`), where another worker takes it. /healthz, /readyz and
// /metrics (src/ops) are served on its own port.
import Fastify from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import type PgBoss from 'pg-boss';
import type { Runtime } from '../composition/runtime.js';
import { DealbridgeError } from '../errors/index.js';
import { createMetrics } from '../ops/metrics.js';
import { registerOpsRoutes } from '../ops/routes.js';
import { createLogger } from '../ops/log.js';
import { logPass, passLogger } from '../ops/pass-log.js';
import { secretsOf } from '../server/redact.js';
import { isPostgres, openBoss } from './boss.js';
import { createGuard } from './guard.js';
import { ensurePoll, handlers } from './handlers.js';
import { QUEUES } from './queues.js';
import { ConnectionRuntimes } from './runtimes.js';

export interface WorkerOptions {
  host: string;
  /** 0: any free port (printed at start). */
  port: number;
  intervalSeconds: number;
  /** Import batches this process writes at the same time. */
  concurrency: number;
  jobTimeoutSeconds: number;
  drainTimeoutMs: number;
  signal: AbortSignal;
  /** Called once the worker takes jobs, with the address of its /metrics. */
  onListening?: (url: string) => void;
}

export async function runWorker(rt: Runtime, opts: WorkerOptions): Promise<void> {
  if (!isPostgres(rt.config.databaseUrl))
    throw new DealbridgeError(
      'WORKER_NEEDS_POSTGRES',
      'dealbridge worker needs a Postgres state store (DEALBRIDGE_DATABASE_URL=postgres://…): workers share it and its pg-boss queues. With SQLite, run `dealbridge sync` or `dealbridge serve`, which need no worker',
    );
  const log = createLogger({
    format: rt.config.log?.format ?? 'json',
    level: rt.config.log?.level ?? 'info',
    secrets: secretsOf(rt.config, rt.config.adminToken ?? ''),
  });
  const boss = await openBoss({
    databaseUrl: rt.config.databaseUrl,
    jobTimeoutSeconds: opts.jobTimeoutSeconds,
    supervise: true,
  });
  boss.on('error', (err) => log.error({ event: 'queue', code: 'INTERNAL' }, `pg-boss: ${err.message}`));
  let draining = false;
  const runtimes = new ConnectionRuntimes(rt);
  const metrics = createMetrics({
    connections: () =>
      runtimes.opened().map(([name, r]) => ({ name, store: r.store, adapters: () => r.openedAdapters() })),
  });
  queueGauge(boss, metrics.registry);
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, {
    metrics,
    readiness: { migrationStatus: () => rt.migrationStatus(), draining: () => draining },
    metricsToken: rt.config.server?.metricsToken,
  });
  try {
    await app.listen({ host: opts.host, port: opts.port });
    const guard = createGuard({ store: rt.store, log, registry: metrics.registry });
    const h = handlers({
      boss,
      intervalSeconds: opts.intervalSeconds,
      connection: (name) => runtimes.get(name),
      connectionNames: () => runtimes.names(),
      onPass: (connection, r) => {
        metrics.passFinished(connection, r);
        if (r.ran) logPass(passLogger(log).child({ connection }), r);
      },
    });
    const work = { includeMetadata: true as const, batchSize: 1, pollingIntervalSeconds: 0.5 };
    await boss.work(QUEUES.poll, work, guard.wrap(QUEUES.poll, h.poll));
    await boss.work(QUEUES.tick, work, guard.wrap(QUEUES.tick, h.tick));
    await boss.work(QUEUES.importRollups, work, guard.wrap(QUEUES.importRollups, h.importRollups));
    // pg-boss runs one job at a time per work(): a process writes `concurrency` batches at once.
    for (let i = 0; i < opts.concurrency; i++)
      await boss.work(QUEUES.importBatch, work, guard.wrap(QUEUES.importBatch, h.importBatch));
    await boss.schedule(QUEUES.tick, '* * * * *');
    for (const name of await runtimes.names()) await ensurePoll(boss, name);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
    log.info({ event: 'worker', pid: process.pid, metrics: `${url}/metrics` }, 'worker started');
    opts.onListening?.(url);
    await new Promise<void>((resolve) => {
      if (opts.signal.aborted) resolve();
      else opts.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    draining = true;
    log.info(
      { event: 'worker', drainTimeoutMs: opts.drainTimeoutMs },
      'draining: no new job; the ones held finish or go back to the queue',
    );
  } finally {
    // wait: resolves once the jobs held have finished (or, at the timeout, been failed back).
    await boss.stop({ graceful: true, wait: true, timeout: opts.drainTimeoutMs });
    await app.close();
    await runtimes.close();
  }
  log.info({ event: 'worker' }, 'worker stopped');
}

/** `dealbridge_jobs{queue}`: jobs waiting in each queue (created or retry), read at every scrape. */
function queueGauge(boss: PgBoss, registry: Registry): void {
  new Gauge({
    name: 'dealbridge_jobs_waiting',
    help: 'Jobs waiting in each pg-boss queue of dealbridge (queued or waiting for a retry)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      for (const queue of Object.values(QUEUES)) {
        this.set({ queue }, await boss.getQueueSize(queue, { before: 'active' }));
      }
    },
  });
}
