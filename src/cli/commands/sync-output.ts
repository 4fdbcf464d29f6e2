// What `dealbridge sync` prints: a line per pass (or its JSON), and for `--dry-run` the plan, one
// line per opportunity and per other HubSpot record it would write, then what the pass would count.
import type { DryRunReport, PlanEntry, PlanRecordWrite } from '../../engine/dry-run/run.js';
import type { Counts } from '../../engine/sync/batch.js';
import type { PassResult } from '../../engine/sync/pass.js';

const SYNC_OFF =
  'Opportunity sync is off: nothing read or written (dealbridge settings set opportunitySync on).';

function countsText(c: Counts): string {
  const reasons = Object.entries(c.skippedByReason)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, skipped ${c.skipped}${
    reasons ? ` (${reasons})` : ''
  }, failed ${c.failed}, archived ${c.archived}`;
}

export function passLine(r: PassResult): string {
  if (r.paused && !r.ran) return 'Sync paused: nothing read or written (dealbridge resume).';
  if (!r.ran) return SYNC_OFF;
  return `${r.finishedAt} ${countsText(r)}${r.paused ? '; then paused before the next batch (dealbridge resume)' : ''}${
    r.fullComparison
      ? ` (full comparison of deletes: ${r.fullComparison.liveDeals} deals compared, ${r.fullComparison.missing} missing, ${r.fullComparison.archived} archived)`
      : ''
  }`;
}

export function passJson(r: PassResult) {
  const { touched: _touched, ...rest } = r;
  return rest;
}

/** A value as the plan shows it: quoted (so spaces and line breaks show), or (none). */
const shown = (v: string | null | undefined): string =>
  v === null || v === undefined ? '(none)' : JSON.stringify(v);

function entryLine(e: PlanEntry): string {
  const what = [e.action.padEnd(9), e.opportunityId];
  if (e.name !== undefined) what.push(JSON.stringify(e.name));
  if (e.dealId !== null) what.push(`deal ${e.dealId}`);
  else if (e.action === 'create') what.push('new deal');
  const detail: string[] = [];
  if (e.reason !== undefined) detail.push(e.reason);
  for (const i of e.issues)
    detail.push(`${i.code}${i.severity === 'warning' ? ' (warning)' : ''}: ${i.message}`);
  for (const [field, c] of Object.entries(e.changes))
    detail.push(`${field}: ${shown(c.old)} → ${shown(c.new)}`);
  return detail.length > 0 ? `${what.join(' ')}  ${detail.join('; ')}` : what.join(' ');
}

function recordLine(r: PlanRecordWrite): string {
  const kind = r.objectType === 'contacts' ? 'contact' : 'company';
  const changes = Object.entries(r.changes).map(([field, c]) =>
    'old' in c ? `${field}: ${shown(c.old)} → ${shown(c.new)}` : `${field} → ${shown(c.new)}`,
  );
  return `${r.action.padEnd(9)} ${kind} ${r.id ?? '(new)'}  ${changes.join('; ')}`;
}

export function planText(r: DryRunReport): string {
  if (!r.ran) return SYNC_OFF;
  const lines = [
    'Dry run: read both sides as a pass would; wrote nothing to HubSpot or to the state store.',
    ...r.plan.map(entryLine),
    ...r.hubspot.records.map(recordLine),
    ...r.hubspot.pipelines.map((p) => `${p.action.padEnd(9)} pipeline ${p.id ?? '(new)'} ${shown(p.label)}`),
  ];
  const writes = Object.values(r.hubspot.writes).reduce((a, b) => a + b, 0);
  const byCall = Object.entries(r.hubspot.writes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(
    `A pass now would: ${countsText(r.summary)}; HubSpot records written: ${writes}${byCall ? ` (${byCall})` : ''}`,
  );
  return lines.join('\n');
}
