// `dealbridge serve [--port 3000] [--host 127.0.0.1] [--no-sync]`: the web UI and its API, and the
// sync loop unless --no-sync (run `dealbridge sync` elsewhere then). Login with the admin token
// from the configuration (`adminToken` in the config file, or DEALBRIDGE_ADMIN_TOKEN over it); the
// printed login URL does not contain it. SIGHUP rereads the configuration's admin token: a new one
// ends every session (token rotation without a restart). SIGTERM drains: /readyz answers 503, the
// pass in flight finishes, then the server closes. Its log goes to stderr (docs/operations.md).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DealbridgeError } from '../../errors/index.js';
import { openRuntime, type Runtime } from '../../composition/runtime.js';
import { loadRuntimeConfig } from '../../composition/runtime-config.js';
import { reportFatal } from '../output.js';
import { parseDuration } from './shared.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the web UI (settings, import, sync health, records) and run the sync loop')
    .addHelpText(
      'after',
      '\nWithout the web login: /healthz, /readyz (503 when the store is unreachable, a migration is\n' +
        'pending or the server drains) and /metrics (Prometheus; DEALBRIDGE_METRICS_TOKEN as a bearer\n' +
        'token, or loopback clients only without one), and POST /webhooks/hubspot (HubSpot webhooks,\n' +
        'signed v3 with HUBSPOT_CLIENT_SECRET; see docs/two-way.md). The log goes to stderr: JSON, or pretty on a\n' +
        'terminal (DEALBRIDGE_LOG_FORMAT=json|pretty, DEALBRIDGE_LOG_LEVEL). SIGTERM drains: the pass\n' +
        'in flight finishes first. See docs/operations.md.',
    )
    .option('--port <n>', 'port to listen on', port, 3000)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--no-sync', 'do not run the sync loop in this process')
    .option(
      '--interval <duration>',
      'time between sync passes, e.g. 5s (default: config sync.intervalSeconds, else 5s)',
      parseDuration,
    )
    .action(async (opts: { port: number; host: string; sync: boolean; interval?: number }) => {
      let rt: Runtime | undefined;
      try {
        // Rollups and lifecycle stages follow every stored batch (the runtime's default).
        const runtime = await openRuntime();
        rt = runtime;
        // The configuration validated the token's length; here it must be there at all.
        const adminToken = runtime.config.adminToken;
        if (adminToken === undefined)
          throw new DealbridgeError(
            'CONFIG_INVALID',
            'DEALBRIDGE_ADMIN_TOKEN (or adminToken in the config file) must be set: it is the web UI login',
            { field: 'DEALBRIDGE_ADMIN_TOKEN' },
          );
        const { startServer } = await import('../../server/serve.js');
        const server = await startServer({
          runtime,
          host: opts.host,
          port: opts.port,
          adminToken,
          sync: opts.sync,
          intervalMs: opts.interval ?? runtime.config.intervalMs ?? 5000,
          // Every request is logged with its id; probes and scrapes only when refused (ops/routes.ts).
          logger: true,
          logFormat: runtime.config.log?.format,
          ...(runtime.config.log?.level ? { logLevel: runtime.config.log.level } : {}),
        });
        process.stdout.write(
          `dealbridge web UI: ${server.url}/ (log in with DEALBRIDGE_ADMIN_TOKEN)${opts.sync ? '' : ' — sync loop off'}\n`,
        );
        let current = adminToken;
        const rotate = () => {
          try {
            const next = loadRuntimeConfig().adminToken;
            if (next === undefined || next === current) return;
            server.rotateAdminToken(next);
            current = next;
            process.stdout.write('dealbridge: admin token rotated; every session ended\n');
          } catch (err) {
            // A bad new token keeps the old one: the server stays reachable by its admin.
            reportFatal(err);
          }
        };
        process.on('SIGHUP', rotate);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        process.off('SIGHUP', rotate);
        await server.close();
      } catch (err) {
        process.exitCode = reportFatal(err);
      } finally {
        await rt?.close();
      }
    });
}
