// `dealbridge status [--json]`: reads the store only (no API calls). Exit 1 when errors wait;
// warnings (records that synced with something left out) are counted apart and do not.
import type { Command } from 'commander';
import { formatStatus, readStatus } from '../../engine/status/read-status.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'Show the setting, change-feed cursors and lag (opportunities, contact roles, accounts), how far deletes are known, the last pass, errors by code, warnings by code apart, and API calls in the last 24 h; exit 1 when errors wait',
    )
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const status = await readStatus(rt.store);
        if (opts.json) printJson(status);
        else process.stdout.write(formatStatus(status) + '\n');
        return status.errors.total > 0 ? 1 : 0;
      });
    });
}
