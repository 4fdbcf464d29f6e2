// One batch of opportunities (≤ a few hundred) from read to written, as named steps (batch/):
// select, archive, scope, companies, stages (stage-step.ts: provision what the records need),
// plan (mapping and hash), write-ahead (write-ahead.ts: what a killed batch may have written),
// deal writes, association writes (then their refusals: gone contacts
// and companies relinked, deals deleted in HubSpot created again), results. Returns the outcome
// to store; the caller stores it (with the cursor, in one transaction, batch/store-outcome.ts)
// only after every HubSpot write of the batch has returned, so a crash at any point re-runs the
// batch against idempotent writes.
import type { SfOpportunityWithRoles } from '../ports/remote.js';
import { associationState, type AssociationState } from './associations.js';
import { writeBatchAssociations } from './batch/association-writes.js';
import { archiveDeleted } from './batch/archive.js';
import { writePlannedDeals } from './batch/deal-writes.js';
import { recreateRefusedDeals } from './batch/deleted-deal-step.js';
import type { BatchOutcome } from './batch/outcome.js';
import { planDeals, type PlannedDeal } from './batch/plan.js';
import { recordDealResults, settleErrors } from './batch/record-results.js';
import { relinkRefused } from './batch/relink-step.js';
import { startBatch, type BatchEnv, type BatchMode } from './batch/run-state.js';
import { writeAhead } from './batch/write-ahead.js';
import { scopeBatch } from './batch/scope-step.js';
import { selectWork } from './batch/select.js';
import { provisionMissingStages } from './batch/stage-step.js';
import { knownAccounts, resolveCompanies } from './companies.js';

export { addCounts, emptyCounts, emptyTouched, toMirror } from './batch/outcome.js';
export type { BatchOutcome, Counts, OpportunityAction, Touched } from './batch/outcome.js';
export type { BatchEnv, BatchMode } from './batch/run-state.js';
export { storeOutcome } from './batch/store-outcome.js';

export async function syncOpportunityBatch(
  env: BatchEnv,
  input: SfOpportunityWithRoles[],
  mode: BatchMode,
): Promise<BatchOutcome> {
  const run = await startBatch(env, input, mode);
  const work = selectWork(run);
  await archiveDeleted(
    run,
    work.filter((o) => o.IsDeleted),
  );
  const { inScope, contacts, ahead } = await scopeBatch(
    run,
    work.filter((o) => !o.IsDeleted),
  );
  const companies = await resolveCompanies(
    { salesforce: env.salesforce, hubspot: env.hubspot, store: env.store },
    inScope.flatMap((o) => (o.AccountId ? [o.AccountId] : [])),
    {
      create: env.settings.createCompanies,
      known: knownAccounts(inScope),
      padding: ahead.flatMap((o) => (o.AccountId ? [o.AccountId] : [])),
      now: env.now,
    },
  );
  await provisionMissingStages(run, inScope);
  const planned = planDeals(run, inScope);
  // What each deal should be associated with; deals never created get it inline with the create.
  const stateOf = (p: PlannedDeal): AssociationState =>
    associationState(
      p.opp.contactRoles.flatMap((r) => {
        const hs = contacts.linked.get(r.ContactId);
        return hs ? [hs] : [];
      }),
      p.opp.AccountId ? (companies.linked.get(p.opp.AccountId) ?? null) : null,
    );
  await writeAhead(run, planned, stateOf);
  const written = await writePlannedDeals(run, planned, stateOf);
  const assoc = await recreateRefusedDeals(
    run,
    planned,
    written,
    companies,
    stateOf,
    await relinkRefused(
      run,
      planned,
      written,
      contacts,
      companies,
      stateOf,
      await writeBatchAssociations(run, planned, written, companies, stateOf),
    ),
  );
  recordDealResults(run, planned, written, assoc);
  settleErrors(run);
  return run.out;
}
