// `dealbridge errors list|retry [--code X] [--json]`: records that failed, and making them due now
// (the next sync pass re-syncs them).
import type { Command } from 'commander';
import { errorCatalogue, isErrorCode } from '../../errors/index.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

export function registerErrors(program: Command): void {
  const errors = program.command('errors').description('List failed records or schedule them for a retry');

  errors
    .command('list')
    .description('List records that failed to sync, with code, attempts and next retry')
    .option('--code <code>', 'only this error code')
    .option('--json', 'print as JSON')
    .action(async (opts: { code?: string; json?: boolean }) => {
      await withRuntime(async (rt) => {
        const list = await rt.store.listErrors(opts.code ? { code: opts.code } : undefined);
        if (opts.json) printJson(list);
        else if (list.length === 0) process.stdout.write('No errors.\n');
        else {
          for (const e of list) {
            const fix = isErrorCode(e.code) ? `\n    fix: ${errorCatalogue[e.code].fix}` : '';
            process.stdout.write(
              `${e.recordKey}  ${e.code}${e.field ? ` (${e.field})` : ''}  attempts ${e.attempts}, next retry ${
                e.nextRetryAt ?? 'never'
              }\n    ${e.message}${fix}\n`,
            );
          }
        }
        return list.length > 0 ? 1 : 0;
      });
    });

  errors
    .command('retry')
    .description('Make failed records due now; the next sync pass re-syncs them')
    .option('--code <code>', 'only this error code')
    .option('--json', 'print as JSON')
    .action(async (opts: { code?: string; json?: boolean }) => {
      await withRuntime(async (rt) => {
        const list = await rt.store.listErrors(opts.code ? { code: opts.code } : undefined);
        const keys = list.map((e) => e.recordKey);
        if (keys.length > 0) await rt.store.scheduleRetryNow(keys, new Date().toISOString());
        if (opts.json) printJson({ scheduled: keys.length, recordKeys: keys });
        else process.stdout.write(`${keys.length} record(s) scheduled for the next sync pass.\n`);
        return 0;
      });
    });
}
