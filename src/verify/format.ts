// verify's report as text: a summary line, then one line per difference, grouped by record.
import type { VerifyReport } from './run.js';

export function formatReport(r: VerifyReport): string {
  const { opportunities, deals, contacts, companies } = r.checked;
  const head = `Checked ${opportunities} opportunities, ${deals} deals, ${contacts} contacts, ${companies} companies.`;
  if (r.ok) return `${head}\nHubSpot agrees with Salesforce: no differences.`;
  const total = Object.values(r.counts).reduce((a, b) => a + (b ?? 0), 0);
  const byCheck = Object.entries(r.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [head, `${total} difference${total === 1 ? '' : 's'}: ${byCheck}`];
  let last = '';
  for (const d of r.differences) {
    if (d.record !== last) {
      lines.push(`${d.record}${d.hubspotId ? ` (HubSpot ${d.hubspotId})` : ''}`);
      last = d.record;
    }
    lines.push(`  ${d.check}: ${d.message}`);
  }
  if (r.truncated > 0)
    lines.push(`… and ${r.truncated} more (use --json for the listed ones, or fix these first)`);
  return lines.join('\n');
}
