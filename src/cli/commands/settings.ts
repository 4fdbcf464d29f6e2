// `dealbridge settings get [key]` / `settings set <key> <value>`: the settings the web UI shows too.
// Turning opportunitySync on records Salesforce's server time as the start of the change feeds.
import type { Command } from 'commander';
import {
  formatSetting,
  isSettingKey,
  readSettings,
  settingDescriptions,
  settingParsers,
  SettingValueError,
  writeSetting,
  type SettingKey,
} from '../../engine/user-settings.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

function usage(message: string): number {
  process.stderr.write(`dealbridge settings: ${message}\n`);
  return 2;
}

export function registerSettings(program: Command): void {
  const settings = program
    .command('settings')
    .description('Show or change settings (opportunitySync, lifecycleStage, recentDealAmountRule, …)')
    .addHelpText(
      'after',
      '\nSettings:\n' +
        Object.entries(settingDescriptions)
          .map(([k, d]) => `  ${k.padEnd(24)} ${d}`)
          .join('\n'),
    );

  settings
    .command('get [key]')
    .description('Print one setting or all of them')
    .option('--json', 'print as JSON')
    .action(async (key: string | undefined, opts: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        if (key !== undefined && !isSettingKey(key)) return usage(`unknown setting "${key}"`);
        const all = await readSettings(rt.store);
        const keys = key ? [key as SettingKey] : (Object.keys(all) as SettingKey[]);
        if (opts.json) printJson(Object.fromEntries(keys.map((k) => [k, all[k]])));
        else for (const k of keys) process.stdout.write(`${k}: ${formatSetting(k, all[k])}\n`);
        return 0;
      });
    });

  settings
    .command('set <key> <value>')
    .description('Change a setting, e.g. `settings set opportunitySync on`')
    .option('--json', 'print the result as JSON')
    .action(async (key: string, value: string, opts: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        if (!isSettingKey(key)) return usage(`unknown setting "${key}"`);
        let parsed;
        try {
          parsed = settingParsers[key](value);
        } catch (err) {
          if (err instanceof SettingValueError) return usage(`${key}: ${err.message}`);
          throw err;
        }
        const needsSalesforce = key === 'opportunitySync' && parsed === true;
        const result = await writeSetting(
          rt.store,
          key,
          parsed,
          needsSalesforce ? { salesforce: await rt.salesforce() } : {},
        );
        if (opts.json) printJson({ key, value: parsed, ...result });
        else {
          process.stdout.write(
            `${key}: ${formatSetting(key, parsed)}${result.changed ? '' : ' (unchanged)'}\n`,
          );
          if (result.cursorStart)
            process.stdout.write(`Changes from ${result.cursorStart} (Salesforce time) on will sync.\n`);
        }
        return 0;
      });
    });
}
