// `dealbridge sandbox` (what `npm start` runs): both emulators with demo data, state under
// .dealbridge/sandbox/, setup, sync on, the web UI and a live one-line summary per pass.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { startSandbox } from '../../sandbox/index.js';
import type { PassResult } from '../../engine/sync/pass.js';
import { printJson } from '../output.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description(
      'Run everything locally: Salesforce and HubSpot emulators with demo data, setup, sync on, web UI',
    )
    .option('--port <n>', 'port of the web UI', port, 3000)
    .option('--dir <dir>', 'state folder (wiped at start)', '.dealbridge/sandbox')
    .option('--no-activity', 'do not edit demo opportunities now and then')
    .option('--json', 'print JSON lines instead of text')
    .action(async (opts: { port: number; dir: string; activity: boolean; json?: boolean }) => {
      const started = Date.now();
      const say = (line: string) => {
        if (opts.json) printJson({ event: 'log', message: line });
        else process.stdout.write(`${line}\n`);
      };
      const onPass = (r: PassResult) => {
        if (r.created + r.updated + r.failed + r.archived === 0) return;
        if (opts.json) printJson({ event: 'pass', ...r, touched: undefined });
        else
          say(
            `${r.finishedAt} sync: created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, skipped ${r.skipped}, failed ${r.failed}`,
          );
      };
      const sandbox = await startSandbox({
        dir: resolve(opts.dir),
        port: opts.port,
        activity: opts.activity,
        log: say,
        onPass,
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (opts.json)
        printJson({
          event: 'ready',
          webUrl: sandbox.webUrl,
          loginUrl: sandbox.loginUrl,
          salesforceUrl: sandbox.salesforceUrl,
          hubspotUrl: sandbox.hubspotUrl,
          seconds: Number(seconds),
        });
      else {
        say(`Ready in ${seconds}s.`);
        if (sandbox.loginUrl) {
          say(`Web UI: ${sandbox.loginUrl} (a one-time link, valid 5 minutes)`);
          say(`Later logins: the admin token in ${sandbox.adminTokenFile}`);
          say('Existing opportunities: Import › Preview import, then Start import, in the web UI.');
        }
        say('Syncing. Ctrl-C stops.');
      }
      await new Promise<void>((done) => {
        const stop = () => {
          say('Stopping…');
          void sandbox.stop().finally(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
