// Step 7c: associations HubSpot refused because the deal itself is gone — a HubSpot user deleted
// it. An opportunity whose properties did not change is not written (content hash), so only its
// association write (a contact role added, say) reaches the deleted deal, and HubSpot refuses it.
// The refused deals are read by id once (one call per 100); those gone are written again, which
// goes through the recreate step (recreate.ts: a new deal with `createdate` = CreatedDate, its
// associations inline, an audit entry `recreate`) instead of ending in ASSOCIATION_FAILED.
import { opportunityKey } from '../../record-errors.js';
import type { AssociationState } from '../associations.js';
import type { CompanyResolution } from '../companies.js';
import { writeBatchAssociations, type DealAssociations } from './association-writes.js';
import { writePlannedDeals, type WrittenDeals } from './deal-writes.js';
import { decide } from './outcome.js';
import type { PlannedDeal } from './plan.js';
import type { BatchRun } from './run-state.js';

export async function recreateRefusedDeals(
  run: BatchRun,
  planned: PlannedDeal[],
  written: WrittenDeals,
  companies: CompanyResolution,
  stateOf: (p: PlannedDeal) => AssociationState,
  assoc: DealAssociations,
): Promise<DealAssociations> {
  const refused = [...new Set(assoc.failed.map((f) => f.input.fromId))];
  if (refused.length === 0) return assoc;
  const alive = new Set((await run.env.hubspot.readByIds('deals', refused, [])).map((d) => d.id));
  const gone = new Set(refused.filter((id) => !alive.has(id)));
  // Only a deal this batch did not write can be gone: a written one was answered by HubSpot.
  const affected = planned.filter((p) => {
    const n = assoc.next.get(p.opp.Id);
    return !p.write && n !== undefined && gone.has(n.dealId);
  });
  if (affected.length === 0) return assoc;
  const drop = new Set<string>();
  for (const p of affected) {
    const old = assoc.next.get(p.opp.Id)?.dealId;
    if (old !== undefined) drop.add(old);
    assoc.next.delete(p.opp.Id);
  }
  for (const id of drop) assoc.failedByDeal.delete(id);
  assoc.failed = assoc.failed.filter((f) => !drop.has(f.input.fromId));
  // Only the link kept it in scope (no contact role of it is a HubSpot contact): not created again;
  // the link says the deal is gone, so a later trigger creates it anew (as deletes/deleted-deals.ts).
  const recreate: PlannedDeal[] = [];
  for (const p of affected) {
    if (stateOf(p).contacts.length > 0 || !p.link) recreate.push(p);
    else {
      run.out.links.push({ ...p.link, archived: true, lastSyncedAt: run.at });
      run.out.cleared.push(opportunityKey(p.opp.Id));
      decide(run.out, p.opp.Id, 'skip', 'no_contact_in_hubspot');
    }
  }
  if (recreate.length === 0) return assoc;
  for (const p of recreate) p.write = true;
  const again = await writePlannedDeals(run, recreate, stateOf);
  for (const [id, r] of again.upserted) written.upserted.set(id, r);
  for (const id of again.failed) written.failed.add(id);
  for (const id of again.inline) written.inline.add(id);
  for (const [id, deleted] of again.recreated) written.recreated.set(id, deleted);
  // The new deals carry their associations inline; anything not created inline is written here.
  const redo = await writeBatchAssociations(run, recreate, written, companies, stateOf);
  for (const [oppId, n] of redo.next) assoc.next.set(oppId, n);
  for (const [id, f] of redo.failedByDeal) assoc.failedByDeal.set(id, f);
  assoc.failed = [...assoc.failed, ...redo.failed];
  return assoc;
}
