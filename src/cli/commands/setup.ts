// `dealbridge setup [--json]`: creates what the sync needs on HubSpot and saves the stage and owner
// maps. Exit 0 when everything is in place, 1 when it found problems (listed), 2–6 on errors.
import type { Command } from 'commander';
import { runSetup, type SetupReport } from '../../engine/setup/run-setup.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

export function formatSetupReport(r: SetupReport): string {
  const lines: string[] = ['Properties:'];
  for (const p of r.properties)
    lines.push(
      `  ${p.objectType}.${p.name}: ${p.status}${p.label ? ` (label "${p.label}")` : ''}${p.problem ? ` — ${p.problem}` : ''}`,
    );
  lines.push(`Pipelines (stage map from ${r.stageMap.source}):`);
  for (const p of r.pipelines) lines.push(`  ${p.label} (${p.id ?? '?'}): ${p.status}`);
  for (const p of r.stageMap.problems)
    lines.push(`  problem: record type ${p.recordType}, stage ${p.stage}: ${p.problem}`);
  lines.push(`Owners: ${r.owners.matched} matched, ${r.owners.unmatched.length} without a HubSpot owner`);
  for (const u of r.owners.unmatched) lines.push(`  ${u.name} <${u.email}> (${u.id})`);
  if (r.dealtype.added.length > 0) lines.push(`Deal type options added: ${r.dealtype.added.join(', ')}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  const c = r.currency;
  lines.push(
    `Currency: ${c.multiCurrency ? 'multi-currency org' : `single currency ${c.corporateCurrency}`}, HubSpot ${c.portalCurrency}${
      c.problem ? ` — ${c.problem}` : ''
    }`,
  );
  lines.push(r.problems.length === 0 ? 'Setup complete.' : `${r.problems.length} problem(s) need attention.`);
  return lines.join('\n');
}

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('Create the HubSpot properties, pipelines and maps the opportunity sync needs (idempotent)')
    .option('--json', 'print the report as JSON')
    .option(
      '--add-dealtype-options',
      "add the Salesforce Type values that HubSpot's dealtype property has no option for as options",
    )
    .action(async (opts: { json?: boolean; addDealtypeOptions?: boolean }) => {
      await withRuntime(async (rt) => {
        const report = await runSetup({
          salesforce: await rt.salesforce(),
          hubspot: await rt.hubspot(),
          store: rt.store,
          ...(rt.config.rollupPropertyNames ? { rollupNames: rt.config.rollupPropertyNames } : {}),
          addDealtypeOptions: opts.addDealtypeOptions ?? false,
        });
        if (opts.json) printJson(report);
        else process.stdout.write(formatSetupReport(report) + '\n');
        return report.problems.length === 0 ? 0 : 1;
      });
    });
}
