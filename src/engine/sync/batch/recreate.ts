// Step 6b: deals a HubSpot user deleted while dealbridge still links them. Deleting archives the
// deal (restorable for 90 days) and frees its `salesforce_opportunity_id`, so the next upsert of it
// creates a new deal — and says so (`new: true`) — but without `createdate`, which HubSpot takes
// on create only: the deal would be dated at the sync time. dealbridge notices it there, at the
// opportunity's next write, and makes it right in the same pass: the deal just created is archived
// and the deal created again with `createdate` = the opportunity's CreatedDate and its
// associations inline (two calls per 100 such deals). The audit entries of the new deal carry the
// reason `recreate`, and one of them (`@deal`) names the deleted deal and the new one.
import { mapOpportunityToDeal } from '../../mapping/index.js';
import type { DealCreateInput } from '../../ports/remote.js';
import { writeDeals } from '../apply.js';
import { inlineAssociations, type AssociationState } from '../associations.js';
import type { WrittenDeals } from './deal-writes.js';
import type { PlannedDeal } from './plan.js';
import { opportunityFailure, type BatchRun } from './run-state.js';

/** Returns the opportunity id → the deleted deal's id, for the deals created again. */
export async function recreateDeleted(
  run: BatchRun,
  planned: PlannedDeal[],
  written: WrittenDeals,
  stateOf: (p: PlannedDeal) => AssociationState,
): Promise<Map<string, string>> {
  const recreated = new Map<string, string>();
  const inputs: DealCreateInput[] = [];
  const stray: string[] = [];
  for (const p of planned) {
    const result = written.upserted.get(p.opp.Id);
    const believed = p.link?.dealId && !p.link.archived ? p.link.dealId : null;
    // Not only `created`: when the answer of the upsert that made the deal was lost, the retry
    // finds it (created: false), still without createdate. A deal other than the one the store
    // links is made again either way.
    if (!p.write || !believed || !result || result.dealId === believed) continue;
    const mapped = mapOpportunityToDeal(p.opp, run.env.ctx.mapping, { isCreate: true });
    // CreatedDate cannot be mapped (never seen): keep the deal the upsert made.
    if (!mapped.ok) {
      recreated.set(p.opp.Id, believed);
      continue;
    }
    p.properties = mapped.properties;
    inputs.push({
      opportunityId: p.opp.Id,
      properties: mapped.properties,
      associations: inlineAssociations(stateOf(p)),
    });
    stray.push(result.dealId);
    recreated.set(p.opp.Id, believed);
  }
  if (inputs.length === 0) return recreated;
  await run.env.hubspot.archiveDeals(stray);
  const again = await writeDeals(run.env.hubspot, [], inputs);
  for (const r of again.results) written.upserted.set(r.opportunityId, r);
  for (const id of again.inline) written.inline.add(id);
  for (const f of again.failures) {
    written.failed.add(f.input.opportunityId);
    run.failures.push(opportunityFailure(f.input.opportunityId, f));
  }
  return recreated;
}
