// `dealbridge serve [--port 3000] [--host 127.0.0.1] [--no-sync]`: the web UI and its API, and the
// sync loop unless --no-sync (run `dealbridge sync` elsewhere then). Login with the admin token
// from DEALBRIDGE_ADMIN_TOKEN; the printed login URL does not contain it.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DealbridgeError } from '../../errors/index.js';
import { openRuntime, type Runtime } from '../../composition/runtime.js';
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
    .option('--port <n>', 'port to listen on', port, 3000)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--no-sync', 'do not run the sync loop in this process')
    .option('--interval <duration>', 'time between sync passes, e.g. 5s', parseDuration, 5000)
    .action(async (opts: { port: number; host: string; sync: boolean; interval: number }) => {
      let rt: Runtime | undefined;
      try {
        const adminToken = process.env.DEALBRIDGE_ADMIN_TOKEN ?? '';
        if (adminToken.length < 16)
          throw new DealbridgeError(
            'CONFIG_INVALID',
            'DEALBRIDGE_ADMIN_TOKEN must be set to a secret of at least 16 characters (it is the web UI login)',
          );
        // Rollups and lifecycle stages follow every stored batch (the runtime's default).
        const runtime = await openRuntime();
        rt = runtime;
        const { startServer } = await import('../../server/serve.js');
        const server = await startServer({
          runtime,
          host: opts.host,
          port: opts.port,
          adminToken,
          sync: opts.sync,
          intervalMs: opts.interval,
        });
        process.stdout.write(
          `dealbridge web UI: ${server.url}/ (log in with DEALBRIDGE_ADMIN_TOKEN)${opts.sync ? '' : ' — sync loop off'}\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.close();
      } catch (err) {
        process.exitCode = reportFatal(err);
      } finally {
        await rt?.close();
      }
    });
}
