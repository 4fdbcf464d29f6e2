// Step 6: write the deals that need it. Deals never created go as creates with their associations
// inline; the rest as upserts by `salesforce_opportunity_id`. Bad inputs are isolated (apply.ts),
// so a refusal fails only its own opportunity.
import type { DealUpsertResult } from '../../ports/remote.js';
import { writeDeals } from '../apply.js';
import { inlineAssociations, type AssociationState } from '../associations.js';
import type { PlannedDeal } from './plan.js';
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

export async function writePlannedDeals(
  run: BatchRun,
  planned: PlannedDeal[],
  stateOf: (p: PlannedDeal) => AssociationState,
): Promise<WrittenDeals> {
  const toWrite = planned.filter((p) => p.write);
  const upserts = await writeDeals(
    run.env.hubspot,
    toWrite.filter((p) => p.link?.dealId).map((p) => ({ opportunityId: p.opp.Id, properties: p.properties })),
    toWrite
      .filter((p) => !p.link?.dealId)
      .map((p) => ({
        opportunityId: p.opp.Id,
        properties: p.properties,
        associations: inlineAssociations(stateOf(p)),
      })),
  );
  const failed = new Set<string>();
  for (const f of upserts.failures) {
    failed.add(f.input.opportunityId);
    run.failures.push(opportunityFailure(f.input.opportunityId, f));
  }
  const written: WrittenDeals = {
    upserted: new Map(upserts.results.map((r) => [r.opportunityId, r])),
    failed,
    inline: upserts.inline,
    recreated: new Map(),
  };
  written.recreated = await recreateDeleted(run, planned, written, stateOf);
  return written;
}
