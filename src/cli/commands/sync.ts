// `dealbridge sync [--once] [--interval 5s] [--json]`: one pass, or passes every interval until
// Ctrl-C / SIGTERM (the pass in flight finishes its batch; nothing is left half-stored). While the
// sync is paused (`dealbridge pause`) the passes write nothing and say so; the loop keeps running
// and goes on by itself after `dealbridge resume`.
import type { Command } from 'commander';
import { idlePass, type PassResult } from '../../engine/sync/pass.js';
import { readPause } from '../../engine/pause.js';
import { runSyncLoop } from '../../engine/sync/loop.js';
import { printJson } from '../output.js';
import { parseDuration, withRuntime } from './shared.js';

function passLine(r: PassResult): string {
  if (r.paused && !r.ran) return 'Sync paused: nothing read or written (dealbridge resume).';
  if (!r.ran)
    return 'Opportunity sync is off: nothing read or written (dealbridge settings set opportunitySync on).';
  const reasons = Object.entries(r.skippedByReason)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${r.finishedAt} created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, skipped ${r.skipped}${
    reasons ? ` (${reasons})` : ''
  }, failed ${r.failed}, archived ${r.archived}${r.paused ? '; then paused before the next batch (dealbridge resume)' : ''}${
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
        const print = (r: PassResult) => {
          if (opts.json) printJson(passJson(r));
          else process.stdout.write(passLine(r) + '\n');
        };
        if (opts.once) {
          // Paused: answered from the store alone, without logging in to either side.
          const r = (await readPause(rt.store)).paused
            ? idlePass(new Date().toISOString(), true)
            : await (await rt.engine()).runPass();
          print(r);
          return r.failed > 0 ? 1 : 0;
        }
        const engine = await rt.engine();
        // A paused loop says so once, and again when it goes on, not at every pass.
        let wasPaused = false;
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const result = await runSyncLoop(engine, {
            intervalMs: opts.interval ?? rt.config.intervalMs ?? 5000,
            signal: controller.signal,
            onPass: (r) => {
              const changed = r.paused !== wasPaused;
              wasPaused = r.paused;
              if (opts.json || changed || r.created + r.updated + r.failed + r.archived > 0) print(r);
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
