// `dealbridge sync [--once] [--interval 5s] [--dry-run] [--json]`: one pass, or passes every
// interval until Ctrl-C / SIGTERM (the pass in flight finishes its batch; nothing is left
// half-stored); `--dry-run`, one pass that writes nothing and prints what it would do. While the
// sync is paused (`dealbridge pause`) the passes write nothing and say so; the loop keeps running
// and goes on by itself after `dealbridge resume`. With a log format configured
// (DEALBRIDGE_LOG_FORMAT, docs/operations.md) every pass also writes a log line to stderr with its
// pass id, and a pass's error is a log line instead of the sentence; stdout stays as it is.
import { Option, type Command } from 'commander';
import { idlePass, type PassResult } from '../../engine/sync/pass.js';
import { readPause } from '../../engine/pause.js';
import { runLiveSync } from '../../engine/cdc/live-sync.js';
import { printJson } from '../output.js';
import { parseDuration, withRuntime } from './shared.js';
import { passJson, passLine, planText } from './sync-output.js';
import { createLogger } from '../../ops/log.js';
import { logPass, passLogger } from '../../ops/pass-log.js';
import { secretsOf } from '../../server/redact.js';
import type { Runtime } from '../../composition/runtime.js';

/** The pass log of `sync`: only when a log format is configured, so a terminal sees what it always did. */
function syncLog(rt: Runtime) {
  const format = rt.config.log?.format;
  if (!format) return undefined;
  return createLogger({
    format,
    level: rt.config.log?.level ?? 'info',
    secrets: secretsOf(rt.config, rt.config.adminToken ?? ''),
  });
}

const DRY_RUN_HELP = `
--dry-run runs one pass (--once is implied) that reads everything a pass reads — the Salesforce
change feeds from the stored cursors, HubSpot's look-ups — and writes nothing: no call that changes
HubSpot, and nothing kept in the state store (no cursor moves; no link, error, audit entry or pass
summary is stored). It runs on a throwaway copy of the state in memory. It prints, per opportunity,
what the pass would do: create, update (each field old → new, old being what dealbridge last
wrote), unchanged, skip (with the reason), archive or fail (with the error code); association
changes as @contacts / @company; then the contact and company rollups, companies and pipelines it
would write, and the counts. With --json: one object {dryRun, ran, plan, hubspot, summary}.
The one thing it stores is the API calls it made (status counts them: they spend the allocations).
What only HubSpot decides when it is written to (a value it refuses, an owner or contact removed
since) shows in the real pass, not here. Exit 1 when records would fail.

With DEALBRIDGE_LOG_FORMAT=json|pretty set, every pass also writes a log line to stderr with its
pass id (DEALBRIDGE_LOG_LEVEL, default info; a pass that found nothing logs at debug), and a
pass's error is a log line instead of the sentence. stdout is the same either way.`;

const CDC_HELP = `

Without --once, when the org selects Opportunity for Change Data Capture (Setup › Change Data
Capture), the loop also subscribes to its change events and applies them as they come (the live
path); it polls meanwhile every sync.cdcPollIntervalSeconds (default 60) and at --interval when
CDC is down or not selected. It prints "change data capture: <state>" when that changes (JSON
{"cdc", "reason"}). See docs/sync.md, "Change Data Capture".`;

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
    .addOption(
      new Option('--dry-run', 'one pass that writes nothing and prints what it would do').conflicts(
        'interval',
      ),
    )
    .option('--json', 'print one JSON line per pass')
    .addHelpText('after', DRY_RUN_HELP + CDC_HELP)
    .action(async (opts: { once?: boolean; interval?: number; dryRun?: boolean; json?: boolean }) => {
      await withRuntime(async (rt) => {
        if (opts.dryRun) {
          const report = await rt.dryRunPass();
          if (opts.json) printJson(report);
          else process.stdout.write(planText(report) + '\n');
          return report.summary.failed > 0 ? 1 : 0;
        }
        const print = (r: PassResult) => {
          if (opts.json) printJson(passJson(r));
          else process.stdout.write(passLine(r) + '\n');
        };
        const log = syncLog(rt);
        if (opts.once) {
          const passLog = log && passLogger(log);
          // Paused: answered from the store alone, without logging in to either side.
          const r = (await readPause(rt.store)).paused
            ? idlePass(new Date().toISOString(), true)
            : await (await rt.engine()).runPass();
          if (passLog && r.ran) logPass(passLog, r);
          print(r);
          return r.failed > 0 ? 1 : 0;
        }
        const engine = await rt.engine();
        // Each pass logs with its own pass id: a new one is made as each pass ends, for the next.
        // (The engine itself goes to runLiveSync: the change-event feed needs all of it.)
        let passLog = log ? passLogger(log) : log;
        // A paused loop says so once, and again when it goes on, not at every pass.
        let wasPaused = false;
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const salesforce = await rt.salesforce();
          const changeEvents = await rt.changeEvents();
          const live = { salesforce, store: rt.store, ...(changeEvents ? { changeEvents } : {}) };
          const result = await runLiveSync(engine, live, {
            intervalMs: opts.interval ?? rt.config.intervalMs ?? 5000,
            ...(rt.config.cdcPollIntervalMs ? { cdcPollIntervalMs: rt.config.cdcPollIntervalMs } : {}),
            signal: controller.signal,
            onCdcStatus: (status, reason, code) => {
              if (opts.json) printJson({ cdc: status, reason, ...(code ? { code } : {}) });
              else process.stdout.write(`change data capture: ${status}${reason ? ` (${reason})` : ''}\n`);
            },
            onPass: (r) => {
              const changed = r.paused !== wasPaused;
              wasPaused = r.paused;
              if (passLog && r.ran) logPass(passLog, r);
              if (log && r.ran) passLog = passLogger(log);
              if (opts.json || changed || r.created + r.updated + r.failed + r.archived > 0) print(r);
            },
            onError: (err, info) => {
              const e = err as { code?: string; message?: string };
              const what = `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
              if (passLog)
                passLog.error(
                  { event: 'sync', code: e.code ?? 'INTERNAL', waitMs: info.waitMs, paused: info.paused },
                  `sync loop: ${what}`,
                );
              if (opts.json)
                printJson({
                  error: e.code ?? 'INTERNAL',
                  message: e.message,
                  waitMs: info.waitMs,
                  paused: info.paused,
                });
              else if (!passLog)
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
