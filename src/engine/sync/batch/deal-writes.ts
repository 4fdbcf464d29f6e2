// Step 6: write the deals that need it. Deals never created go as creates with their associations
// inline; the rest as upserts by `salesforce_opportunity_id`. Bad inputs are isolated (apply.ts),
// so a refusal fails only its own opportunity; a refused owner is handled (owner-refresh.ts) and
// the deal written again.
import type { DealUpsertResult } from '../../ports/remote.js';
import { writeDeals } from '../apply.js';
import { inlineAssociations, type AssociationState } from '../associations.js';
import type { PlannedDeal } from './plan.js';
import { refusedOwner, replanRefusedOwners } from './owner-refresh.js';
import { recreateDeleted } from './recreate.js';
import { opportunityFailure, type BatchRun } from './run-state.js';

export interface WrittenDeals {
  /** By opportunity id: the deal HubSpot answered for each write that succeeded. */
  upserted: Map<string, DealUpsertResult>;
  /** Opportunities whose write failed (their failure is recorded). */
  failed: Set<string>;
  /** Opportunities whose associations were created with the deal. */
  inline: Set<string>;
  /** Opportunities whose deal a HubSpot user deleted, created again: id → the deleted deal's id. */
  recreated: Map<string, string>;
}

/** A refused owner is re-planned at most this often per batch: map refreshed, then fallback. */
const OWNER_ATTEMPTS = 2;

export async function writePlannedDeals(
  run: BatchRun,
  planned: PlannedDeal[],
  stateOf: (p: PlannedDeal) => AssociationState,
): Promise<WrittenDeals> {
  const written: WrittenDeals = {
    upserted: new Map(),
    failed: new Set(),
    inline: new Set(),
    recreated: new Map(),
  };
  const refused = new Set<string>();
  let toWrite = planned.filter((p) => p.write);
  for (let attempt = 0; toWrite.length > 0; attempt++) {
    const byId = new Map(toWrite.map((p) => [p.opp.Id, p]));
    const upserts = await writeDeals(
      run.env.hubspot,
      toWrite
        .filter((p) => p.link?.dealId)
        .map((p) => ({ opportunityId: p.opp.Id, properties: p.properties })),
      toWrite
        .filter((p) => !p.link?.dealId)
        .map((p) => ({
          opportunityId: p.opp.Id,
          properties: p.properties,
          associations: inlineAssociations(stateOf(p)),
        })),
    );
    for (const r of upserts.results) written.upserted.set(r.opportunityId, r);
    for (const id of upserts.inline) written.inline.add(id);
    const ownerRefusals: { planned: PlannedDeal; owner: string }[] = [];
    for (const f of upserts.failures) {
      const owner = attempt < OWNER_ATTEMPTS ? refusedOwner(f) : null;
      const p = byId.get(f.input.opportunityId);
      if (owner !== null && p) ownerRefusals.push({ planned: p, owner });
      else {
        written.failed.add(f.input.opportunityId);
        run.failures.push(opportunityFailure(f.input.opportunityId, f));
      }
    }
    toWrite = ownerRefusals.length > 0 ? await replanRefusedOwners(run, ownerRefusals, refused) : [];
    // Deals whose re-mapping failed are not written: they failed (planDeals recorded why).
    const again = new Set(toWrite.map((p) => p.opp.Id));
    for (const r of ownerRefusals) if (!again.has(r.planned.opp.Id)) written.failed.add(r.planned.opp.Id);
  }
  written.recreated = await recreateDeleted(run, planned, written, stateOf);
  return written;
}
