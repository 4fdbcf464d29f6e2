// `dealbridge errors list|retry [--code X] [--warnings|--all] [--dead-letters] [--json]`: records
// that failed, and making them due now (the next sync pass re-syncs them). Warnings (records that
// synced with something left out) are a view of their own: they are never retried by themselves.
// Dead letters (20 attempts or 7 days, record-errors.ts) are errors retried only by this retry.
import type { Command } from 'commander';
import type { ErrorFilter } from '../../engine/ports/store/errors.js';
import type { SyncErrorRecord } from '../../engine/ports/store.js';
import { DEAD_LETTER_ATTEMPTS } from '../../engine/record-errors.js';
import { errorCatalogue, isErrorCode } from '../../errors/index.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';
import { requeueJobs } from '../../worker/enqueue.js';

interface ListOptions {
  code?: string;
  warnings?: boolean;
  all?: boolean;
  deadLetters?: boolean;
  json?: boolean;
}

/** Errors by default; `--warnings` the warnings only; `--all` both; `--dead-letters` narrows. */
function filterOf(opts: ListOptions): ErrorFilter {
  return {
    ...(opts.code ? { code: opts.code } : {}),
    ...(opts.all ? {} : { severity: opts.warnings ? 'warning' : 'error' }),
    ...(opts.deadLetters ? { deadLetter: true } : {}),
  };
}

function retryText(e: SyncErrorRecord): string {
  if (e.deadLetteredAt !== null)
    return `dead letter since ${e.deadLetteredAt}, retried only by hand (dealbridge errors retry)`;
  if (e.severity === 'warning' && e.nextRetryAt === null) return 'not retried';
  return `next retry ${e.nextRetryAt ?? 'never'}`;
}

export function registerErrors(program: Command): void {
  const errors = program
    .command('errors')
    .description('List failed records (or warnings) or schedule them for a retry');

  errors
    .command('list')
    .description(
      'List records that failed to sync, with code, attempts and next retry (or "dead letter": retried only by hand); --warnings lists the records that synced with a warning instead',
    )
    .option('--code <code>', 'only this code')
    .option(
      '--warnings',
      'only warnings: records that synced with something left out (never retried by themselves)',
    )
    .option('--all', 'errors and warnings, with a severity column')
    .option(
      '--dead-letters',
      'only dead letters: errors that failed 20 times or for 7 days, retried only by `errors retry`',
    )
    .option('--json', 'print as JSON (each entry has its severity and deadLetteredAt)')
    .action(async (opts: ListOptions) => {
      await withRuntime(async (rt) => {
        const list = await rt.store.listErrors(filterOf(opts));
        const what = opts.all ? 'errors or warnings' : opts.warnings ? 'warnings' : 'errors';
        if (opts.json) printJson(list);
        else if (list.length === 0) process.stdout.write(`No ${what}.\n`);
        else {
          for (const e of list) {
            const fix = isErrorCode(e.code) ? `\n    fix: ${errorCatalogue[e.code].fix}` : '';
            process.stdout.write(
              `${e.recordKey}  ${e.severity}  ${e.code}${e.field ? ` (${e.field})` : ''}  seen ${e.attempts}×, ${retryText(e)}\n    ${e.message}${fix}\n`,
            );
          }
        }
        // Exit 1 when records failed; warnings alone are not a failure.
        return list.some((e) => e.severity === 'error') ? 1 : 0;
      });
    });

  errors
    .command('retry')
    .description(
      'Make the listed records (errors, warnings and dead letters) due now; the next sync pass re-syncs them. A dead letter gets 20 automatic attempts again',
    )
    .option('--code <code>', 'only this code')
    .option('--warnings', 'only records with warnings (e.g. after inviting an owner or mapping a Type value)')
    .option('--dead-letters', 'only dead letters')
    .option('--json', 'print as JSON')
    .action(async (opts: { code?: string; warnings?: boolean; deadLetters?: boolean; json?: boolean }) => {
      await withRuntime(async (rt) => {
        // An explicit request: warnings too (their cause may be fixed now), unless narrowed.
        const list = await rt.store.listErrors({
          ...(opts.code ? { code: opts.code } : {}),
          ...(opts.warnings ? { severity: 'warning' as const } : {}),
          ...(opts.deadLetters ? { deadLetter: true } : {}),
        });
        const keys = list.map((e) => e.recordKey);
        // The one way back for a dead letter: a person asked for it.
        const revived = keys.length > 0 ? await rt.store.retryByHand(keys, new Date().toISOString()) : 0;
        // Dead-lettered worker jobs (WORKER_JOB_FAILED) go back to their pg-boss queue.
        const jobs = keys.some((k) => k.startsWith('job:')) ? await requeueJobs(rt, keys) : 0;
        if (opts.json) printJson({ scheduled: keys.length, deadLetters: revived, jobs, recordKeys: keys });
        else
          process.stdout.write(
            `${keys.length} record(s) scheduled for the next sync pass${
              revived > 0
                ? ` (${revived} dead letter(s) among them, each with ${DEAD_LETTER_ATTEMPTS} automatic attempts again)`
                : ''
            }${jobs > 0 ? `; ${jobs} worker job(s) put back in their queue` : ''}.\n`,
          );
        return 0;
      });
    });
}
