// `dealbridge worker [--port 9464] [--host 127.0.0.1] [--interval 5s] [--concurrency 2]
// [--job-timeout 15m] [--drain-timeout 30s]`: one of any number of processes sharing a Postgres
// store and its pg-boss queues (src/worker). Runs until SIGTERM or SIGINT, then drains. Refuses
// a SQLite store (exit 2): `sync` and `serve` need no worker there.
import type { Command } from 'commander';
import { runWorker } from '../../worker/run.js';
import { parseDuration, withRuntime } from './shared.js';

const HELP = `
Any number of workers, on one machine or several, share the Postgres store of
DEALBRIDGE_DATABASE_URL and its pg-boss queues (schema pgboss, or <schema>_pgboss when the URL has
?schema=…). Jobs: a sync pass per connection (one at a time per connection, queued again every
--interval), the batches of an import handed to the workers (\`dealbridge import --queue\`) and
its rollups. A job held longer than --job-timeout (a worker killed with SIGKILL) goes to another
worker; one that fails all its attempts is a dead letter (\`dealbridge status\`, \`dealbridge
errors list --dead-letters\`; \`dealbridge errors retry\` puts it back).

SIGTERM or SIGINT drains: no new job, /readyz answers 503, the jobs held finish within
--drain-timeout or go back to the queue. /healthz, /readyz and /metrics on --host:--port (0: any
free port); /metrics wants DEALBRIDGE_METRICS_TOKEN as a bearer token when set, else loopback only.
Logs are JSON lines on stderr (DEALBRIDGE_LOG_FORMAT=pretty for a terminal). See docs/operations.md.`;

interface WorkerFlags {
  host: string;
  port: number;
  interval?: number;
  concurrency: number;
  jobTimeout: number;
  drainTimeout: number;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description("Take sync and import jobs from the Postgres store's queues (pg-boss) until stopped")
    .option('--host <host>', 'address of /healthz, /readyz and /metrics', '127.0.0.1')
    .option('--port <n>', 'port of /healthz, /readyz and /metrics (0: any free port)', (v) => Number(v), 9464)
    .option(
      '--interval <duration>',
      'time between the sync passes of a connection (default: config sync.intervalSeconds, else 5s)',
      parseDuration,
    )
    .option('--concurrency <n>', 'import batches this process writes at once', (v) => Number(v), 2)
    .option(
      '--job-timeout <duration>',
      'a job held longer is taken over by another worker (must exceed the longest job)',
      parseDuration,
      15 * 60_000,
    )
    .option(
      '--drain-timeout <duration>',
      'on SIGTERM, how long the jobs held may take before they go back to the queue',
      parseDuration,
      30_000,
    )
    .addHelpText('after', HELP)
    .action(async (opts: WorkerFlags) => {
      await withRuntime(async (rt) => {
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await runWorker(rt, {
            host: opts.host,
            port: opts.port,
            intervalSeconds: Math.max(1, Math.round((opts.interval ?? rt.config.intervalMs ?? 5000) / 1000)),
            concurrency: Math.max(1, Math.floor(opts.concurrency)),
            jobTimeoutSeconds: Math.max(1, Math.round(opts.jobTimeout / 1000)),
            drainTimeoutMs: opts.drainTimeout,
            signal: controller.signal,
            onListening: (url) =>
              process.stdout.write(
                `dealbridge worker ${process.pid}: taking jobs; /metrics on ${url}/metrics\n`,
              ),
          });
          return 0;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      });
    });
}
