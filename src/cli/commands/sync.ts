// `dealbridge sync [--once] [--interval 5s] [--json]`: one pass, or passes every interval until
// Ctrl-C / SIGTERM (the pass in flight finishes its batch; nothing is left half-stored).
import type { Command } from 'commander';
import type { PassResult } from '../../engine/sync/pass.js';
import { runSyncLoop } from '../../engine/sync/loop.js';
import { printJson } from '../output.js';
import { parseDuration, withRuntime } from './shared.js';

function passLine(r: PassResult): string {
  if (!r.ran)
    return 'Opportunity sync is off: nothing read or written (dealbridge settings set opportunitySync on).';
  const reasons = Object.entries(r.skippedByReason)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${r.finishedAt} created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, skipped ${r.skipped}${
    reasons ? ` (${reasons})` : ''
  }, failed ${r.failed}, archived ${r.archived}${
    r.fullComparison
      ? ` (full comparison of deletes: ${r.fullComparison.liveDeals} deals compared, ${r.fullComparison.missing} missing, ${r.fullComparison.archived} archived)`
      : ''
  }`;
}

function passJson(r: PassResult) {
  const { touched: _touched, ...rest } = r;
  return rest;
}

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('Sync changed opportunities to HubSpot deals: once, or every --interval until stopped')
    .option('--once', 'run one pass and exit (exit 1 when records failed)')
    .option(
      '--interval <duration>',
      'time between passes, e.g. 5s, 1m (default: config sync.intervalSeconds, else 5s)',
      parseDuration,
    )
    .option('--json', 'print one JSON line per pass')
    .action(async (opts: { once?: boolean; interval?: number; json?: boolean }) => {
      await withRuntime(async (rt) => {
        const engine = await rt.engine();
        const print = (r: PassResult) => {
          if (opts.json) printJson(passJson(r));
          else process.stdout.write(passLine(r) + '\n');
        };
        if (opts.once) {
          const r = await engine.runPass();
          print(r);
          return r.failed > 0 ? 1 : 0;
        }
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const result = await runSyncLoop(engine, {
            intervalMs: opts.interval ?? rt.config.intervalMs ?? 5000,
            signal: controller.signal,
            onPass: (r) => {
              if (opts.json || r.created + r.updated + r.failed + r.archived > 0) print(r);
            },
            onError: (err, info) => {
              const e = err as { code?: string; message?: string };
              const what = `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
              if (opts.json)
                printJson({
                  error: e.code ?? 'INTERNAL',
                  message: e.message,
                  waitMs: info.waitMs,
                  paused: info.paused,
                });
              else
                process.stderr.write(
                  `dealbridge sync: ${what}; ${info.paused ? 'paused' : 'retrying'} in ${Math.round(info.waitMs / 1000)}s\n`,
                );
            },
          });
          if (result.fatal) throw result.fatal;
          return 0;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      });
    });
}
