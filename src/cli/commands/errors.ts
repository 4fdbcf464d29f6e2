// `dealbridge errors list|retry [--code X] [--warnings|--all] [--json]`: records that failed, and
// making them due now (the next sync pass re-syncs them). Warnings (records that synced with
// something left out) are a view of their own: they are never retried by themselves.
import type { Command } from 'commander';
import type { ErrorFilter } from '../../engine/ports/store/errors.js';
import { errorCatalogue, isErrorCode } from '../../errors/index.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

interface ListOptions {
  code?: string;
  warnings?: boolean;
  all?: boolean;
  json?: boolean;
}

/** Errors by default; `--warnings` the warnings only; `--all` both. */
function filterOf(opts: ListOptions): ErrorFilter {
  return {
    ...(opts.code ? { code: opts.code } : {}),
    ...(opts.all ? {} : { severity: opts.warnings ? 'warning' : 'error' }),
  };
}

export function registerErrors(program: Command): void {
  const errors = program
    .command('errors')
    .description('List failed records (or warnings) or schedule them for a retry');

  errors
    .command('list')
    .description(
      'List records that failed to sync, with code, attempts and next retry; --warnings lists the records that synced with a warning instead',
    )
    .option('--code <code>', 'only this code')
    .option(
      '--warnings',
      'only warnings: records that synced with something left out (never retried by themselves)',
    )
    .option('--all', 'errors and warnings, with a severity column')
    .option('--json', 'print as JSON (each entry has its severity)')
    .action(async (opts: ListOptions) => {
      await withRuntime(async (rt) => {
        const list = await rt.store.listErrors(filterOf(opts));
        const what = opts.all ? 'errors or warnings' : opts.warnings ? 'warnings' : 'errors';
        if (opts.json) printJson(list);
        else if (list.length === 0) process.stdout.write(`No ${what}.\n`);
        else {
          for (const e of list) {
            const fix = isErrorCode(e.code) ? `\n    fix: ${errorCatalogue[e.code].fix}` : '';
            const retry =
              e.severity === 'warning' && e.nextRetryAt === null
                ? 'not retried'
                : `next retry ${e.nextRetryAt ?? 'never'}`;
            process.stdout.write(
              `${e.recordKey}  ${e.severity}  ${e.code}${e.field ? ` (${e.field})` : ''}  seen ${e.attempts}×, ${retry}\n    ${e.message}${fix}\n`,
            );
          }
        }
        // Exit 1 when records failed; warnings alone are not a failure.
        return list.some((e) => e.severity === 'error') ? 1 : 0;
      });
    });

  errors
    .command('retry')
    .description('Make the listed records (errors and warnings) due now; the next sync pass re-syncs them')
    .option('--code <code>', 'only this code')
    .option('--warnings', 'only records with warnings (e.g. after inviting an owner or mapping a Type value)')
    .option('--json', 'print as JSON')
    .action(async (opts: { code?: string; warnings?: boolean; json?: boolean }) => {
      await withRuntime(async (rt) => {
        // An explicit request: warnings too (their cause may be fixed now), unless narrowed.
        const list = await rt.store.listErrors({
          ...(opts.code ? { code: opts.code } : {}),
          ...(opts.warnings ? { severity: 'warning' as const } : {}),
        });
        const keys = list.map((e) => e.recordKey);
        if (keys.length > 0) await rt.store.scheduleRetryNow(keys, new Date().toISOString());
        if (opts.json) printJson({ scheduled: keys.length, recordKeys: keys });
        else process.stdout.write(`${keys.length} record(s) scheduled for the next sync pass.\n`);
        return 0;
      });
    });
}
