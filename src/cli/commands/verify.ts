// `dealbridge verify [--json]`: reads Salesforce and HubSpot afresh and reports where HubSpot
// differs from what it should hold. Exit 0 when everything agrees, 1 with a report otherwise, 4
// when setup never ran (without salesforce_opportunity_id every opportunity would be reported as a
// missing deal, which says "run setup" 500 times over and hides it).
// Only the settings come from the store (rollup property names, the recent-amount rule, lifecycle
// on/off): they say what "should" means; every record is read from the two APIs.
import type { Command } from 'commander';
import { readRollupNames } from '../../engine/rollups/rollup-context.js';
import { readSettings } from '../../engine/user-settings.js';
import { DealbridgeError } from '../../errors/index.js';
import { formatReport, listerFor, runVerify } from '../../verify/index.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'Compare HubSpot with Salesforce record by record: deals, associations, rollups, lifecycle stages',
    )
    .option('--json', 'print the report as JSON')
    .option('--max <n>', 'list at most this many differences', (v) => Number(v), 1000)
    .action(async (opts: { json?: boolean; max: number }) => {
      await withRuntime(async (rt) => {
        const hubspot = await rt.hubspot();
        const list = listerFor(hubspot);
        const idProp = (await hubspot.properties('deals')).find(
          (p) => p.name === 'salesforce_opportunity_id',
        );
        if (!idProp?.hasUniqueValue)
          throw new DealbridgeError(
            'SETUP_REQUIRED',
            'HubSpot has no unique deal property salesforce_opportunity_id to compare by: run `dealbridge setup` first',
            { field: 'salesforce_opportunity_id' },
          );
        const settings = await readSettings(rt.store);
        const report = await runVerify(
          { salesforce: await rt.salesforce(), hubspot, list },
          {
            rule: settings.recentDealAmountRule,
            lifecycle: settings.lifecycleStage,
            names: await readRollupNames(rt.store),
            maxDifferences: opts.max,
          },
        );
        if (opts.json) printJson(report);
        else process.stdout.write(formatReport(report) + '\n');
        return report.ok ? 0 : 1;
      });
    });
}
