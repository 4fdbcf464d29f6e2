// `dealbridge mappings list [--json]` and `mappings set <hubspot property> <rule>` (issue #13): the
// field mappings and their sync rules, the ones the web UI's field mappings show and change. A
// running `sync` or `serve` on the same store picks a change up at its next pass.
import type { Command } from 'commander';
import { CUSTOM_MAPPINGS_SETTING } from '../../engine/mapping/sync-context.js';
import { listMappings, RULE_NAMES, withRule } from '../../engine/mapping/rules.js';
import type { FieldMapping } from '../../engine/mapping/types.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

const RULE_HELP = `
Rules (HubSpot's connector's four):
  prefer-salesforce   Prefer Salesforce unless blank: a blank Salesforce value leaves HubSpot's
  always-salesforce   Always use Salesforce (the default): HubSpot's value is overwritten
  two-way             Two-way: an edit made in HubSpot stands until the Salesforce value changes;
                      writing HubSpot's edits back to Salesforce is not built yet (docs/sync.md)
  none                Don't sync: never written`;

function usage(message: string): number {
  process.stderr.write(`dealbridge mappings: ${message}\n`);
  return 2;
}

export function registerMappings(program: Command): void {
  const mappings = program
    .command('mappings')
    .description('Show the field mappings with their sync rules, or change a rule')
    .addHelpText('after', RULE_HELP);

  mappings
    .command('list')
    .description('Every mapping: HubSpot property, Salesforce field, rule, whether the rule can change')
    .option('--json', 'print as JSON ([{hubspotProperty, salesforceField, rule, kind, editable, note}])')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const rows = listMappings((await rt.store.getSetting<FieldMapping[]>(CUSTOM_MAPPINGS_SETTING)) ?? []);
        if (opts.json) printJson(rows);
        else {
          const w = Math.max(...rows.map((r) => r.hubspotProperty.length));
          const f = Math.max(...rows.map((r) => r.salesforceField.length));
          for (const r of rows)
            process.stdout.write(
              `${r.hubspotProperty.padEnd(w)}  ← ${r.salesforceField.padEnd(f)}  ${r.rule.padEnd(17)}  ${r.editable ? '' : '(fixed) '}${r.note}\n`,
            );
        }
        return 0;
      });
    });

  mappings
    .command('set <property> <rule>')
    .description(
      'Set the sync rule of a HubSpot deal property: prefer-salesforce|always-salesforce|two-way|none',
    )
    .option('--json', 'print the mappings after the change as JSON')
    .action(async (property: string, ruleArg: string, opts: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const rule = RULE_NAMES[ruleArg];
        if (!rule)
          return usage(`unknown rule "${ruleArg}": use one of ${Object.keys(RULE_NAMES).join(', ')}`);
        const stored = (await rt.store.getSetting<FieldMapping[]>(CUSTOM_MAPPINGS_SETTING)) ?? [];
        const next = withRule(stored, property, rule);
        if (!next.ok) return usage(next.reason);
        await rt.store.setSetting(CUSTOM_MAPPINGS_SETTING, next.mappings);
        const rows = listMappings(next.mappings);
        if (opts.json) printJson(rows);
        else process.stdout.write(`${property}: ${ruleArg}\n`);
        return 0;
      });
    });
}
