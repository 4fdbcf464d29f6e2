// `dealbridge import [--dry-run] [--json] [--restart]` and `dealbridge import status [--json]`.
// On a terminal the import draws a progress bar (counts, rate, ETA) on stderr; with --json it
// prints one JSON progress line per second and a final summary line on stdout. Ctrl-C stops
// after the batch in flight: the run is left paused and the next `dealbridge import` resumes it.
import { Option, type Command } from 'commander';
import { followImport, queueImport } from '../../worker/enqueue.js';
import { exitCodes } from '../../errors/index.js';
import {
  DEFAULT_IMPORT_BATCH,
  formatDuration,
  MAX_IMPORT_BATCH,
  previewImport,
  progressLine,
  runImport,
  type ImportProgress,
} from '../../engine/import/index.js';
import type { ImportRun } from '../../engine/ports/store.js';
import type { Runtime } from '../../composition/runtime.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

interface ImportFlags {
  batchSize?: number;
  dryRun?: boolean;
  json?: boolean;
  restart?: boolean;
  queue?: boolean;
}

/** Progress printing: a redrawn line on a TTY, JSON lines at most once a second, else a line per 10 s. */
function reporter(json: boolean) {
  const tty = !json && process.stderr.isTTY === true;
  let last: ImportProgress | undefined;
  let printedAt = 0;
  const emit = (p: ImportProgress, force = false) => {
    const t = Date.now();
    const every = json ? 1000 : tty ? 100 : 10_000;
    if (!force && t - printedAt < every) return;
    printedAt = t;
    if (json) printJson({ type: 'progress', ...p });
    else if (tty) process.stderr.write(`\r\x1b[2K${progressLine(p)}`);
    else process.stderr.write(progressLine(p) + '\n');
  };
  // JSON: a line every second even while one batch takes longer (rate limits, retries).
  const timer = json ? setInterval(() => last && emit(last, true), 1000) : undefined;
  timer?.unref();
  return {
    onProgress(p: ImportProgress) {
      last = p;
      emit(p, p.phase !== 'deals');
    },
    done() {
      if (timer) clearInterval(timer);
      if (tty) process.stderr.write('\n');
    },
  };
}

function runSummary(run: ImportRun, skippedByReason: Record<string, number>): string {
  const reasons = Object.entries(skippedByReason)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `Import ${run.id}: ${run.status}`,
    `  processed ${run.processed}${run.total !== null ? ` of ${run.total}` : ''}: created ${run.created}, updated ${run.updated}, unchanged ${run.unchanged}, skipped ${run.skipped}${reasons ? ` (${reasons})` : ''}, failed ${run.failed}`,
  ];
  if (run.message) lines.push(`  ${run.message}`);
  if (run.status === 'paused')
    lines.push('  Run `dealbridge import` again to resume after the last checkpoint.');
  if (run.failed > 0) lines.push('  See `dealbridge errors list` for the failed records.');
  return lines.join('\n');
}

function statusText(runs: ImportRun[]): string {
  if (runs.length === 0) return 'No import has run yet (dealbridge import --dry-run previews one).';
  return runs
    .map((r) => {
      const took =
        r.finishedAt !== null
          ? ` in ${formatDuration((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000)}`
          : '';
      return `${r.startedAt}  ${r.status.padEnd(9)} ${r.processed}${r.total !== null ? `/${r.total}` : ''} processed${took}: created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, skipped ${r.skipped}, failed ${r.failed}${r.message && r.status !== 'dry-run' ? `\n    ${r.message}` : ''}`;
    })
    .join('\n');
}

/** `import --queue`: the run goes to the workers; this process only follows it in the store. */
async function queued(
  rt: Runtime,
  opts: ImportFlags,
  out: ReturnType<typeof reporter>,
  signal: AbortSignal,
): Promise<number> {
  const start = await queueImport(rt, {
    restart: opts.restart === true,
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
  });
  const runId = 'started' in start ? start.started.id : start.running.id;
  if (!opts.json)
    process.stderr.write(
      `${'started' in start ? 'Queued' : 'Already queued:'} import ${runId}; the workers run it (Ctrl-C stops following, not the run)\n`,
    );
  const run = await followImport(rt, runId, { signal, onProgress: out.onProgress });
  out.done();
  if (!run) return exitCodes.internal;
  if (opts.json) printJson({ type: 'summary', queued: true, ...run });
  else process.stdout.write(runSummary(run, {}) + '\n');
  if (run.status === 'running') return 130;
  return run.failed > 0 ? exitCodes.recordErrors : 0;
}

export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description(
      'Import existing opportunities linked to HubSpot contacts (resumable); `import status` shows the runs',
    )
    .option(
      '--dry-run',
      'preview: counts to create / update / leave unchanged / skip, and sample rows; writes nothing',
    )
    .option('--json', 'JSON progress lines (one per second) and a final summary line')
    .option('--restart', 'start a new run instead of resuming an unfinished one')
    .addOption(
      new Option(
        '--queue',
        'hand the run to `dealbridge worker` processes (Postgres): its batches spread over them; this follows it (Ctrl-C stops following only)',
      ).conflicts('dryRun'),
    )
    .option(
      '--batch-size <n>',
      `opportunities per batch and checkpoint (1-${MAX_IMPORT_BATCH})`,
      (v) => Number(v),
      DEFAULT_IMPORT_BATCH,
    )
    .action(async (opts: ImportFlags) => {
      await withRuntime(async (rt) => {
        const deps = { salesforce: await rt.salesforce(), hubspot: await rt.hubspot(), store: rt.store };
        const out = reporter(opts.json === true);
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          if (opts.dryRun) {
            const preview = await previewImport(deps, { onProgress: out.onProgress });
            out.done();
            if (opts.json) printJson({ type: 'summary', dryRun: true, ...preview });
            else {
              process.stdout.write(
                `Dry run: ${preview.processed} opportunities read; would create ${preview.create}, update ${preview.update}, leave ${preview.unchanged} unchanged, skip ${preview.skip}` +
                  `${
                    Object.keys(preview.skippedByReason).length
                      ? ` (${Object.entries(preview.skippedByReason)
                          .map(([k, v]) => `${k} ${v}`)
                          .join(', ')})`
                      : ''
                  }\n`,
              );
              for (const [action, rows] of Object.entries(preview.samples)) {
                for (const row of rows) {
                  process.stdout.write(
                    `  ${action.padEnd(9)} ${row.opportunityId} ${row.name}${row.reason ? ` (${row.reason})` : ''}\n`,
                  );
                }
              }
            }
            return 0;
          }
          if (opts.queue) return await queued(rt, opts, out, controller.signal);
          const result = await runImport(deps, {
            onProgress: out.onProgress,
            signal: controller.signal,
            restart: opts.restart === true,
            ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
          });
          out.done();
          if (opts.json) {
            printJson({
              type: 'summary',
              resumed: result.resumed,
              paused: result.paused,
              ...result.run,
              skippedByReason: result.skippedByReason,
              rollups: result.rollups,
            });
          } else process.stdout.write(runSummary(result.run, result.skippedByReason) + '\n');
          // Stopped by the pause switch: what the user asked for, not a failure (as `sync` while paused).
          if (result.paused) return 0;
          if (result.run.status === 'paused')
            return /SALESFORCE_LIMIT_REACHED/.test(result.run.message ?? '') ? exitCodes.budget : 130;
          return result.run.failed > 0 ? exitCodes.recordErrors : 0;
        } finally {
          out.done();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      });
    });

  cmd
    .command('status')
    .description('The import runs: started, finished, status, counts, message (newest first)')
    .option('--json', 'print as JSON')
    .option('--limit <n>', 'how many runs', (v) => Number(v), 10)
    .action(async (opts: { json?: boolean; limit: number }) => {
      await withRuntime(async (rt) => {
        const runs = await rt.store.listImportRuns(opts.limit);
        // `import status --json`: commander hands --json to `import` (the parent has it too).
        if (opts.json || (cmd.opts() as ImportFlags).json) printJson({ runs });
        else process.stdout.write(statusText(runs) + '\n');
        return 0;
      });
    });
}
