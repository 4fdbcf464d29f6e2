// Step 7: associations, as a diff against what dealbridge wrote last time, for every deal of the
// batch (a deal whose properties did not change can still have gained a contact role).
import type { HsAssociationInput } from '../../../domain/hubspot.js';
import type { InputFailure } from '../apply.js';
import { writeAssociations } from '../apply.js';
import {
  associationsHash,
  diffAssociations,
  emptyDiff,
  previousAssociations,
  type AssociationState,
} from '../associations.js';
import type { CompanyResolution } from '../companies.js';
import type { WrittenDeals } from './deal-writes.js';
import type { PlannedDeal } from './plan.js';
import { opportunityFailure, syncedIssue, type BatchRun } from './run-state.js';
import { unknownAssociations } from './unknown-associations.js';

export interface DealAssociations {
  /** By opportunity id: its deal, the associations it should have and those it had. */
  next: Map<string, { dealId: string; state: AssociationState; prev: AssociationState }>;
  /** Deal id → an association write of it that failed (its state stays the previous one). */
  failedByDeal: Map<string, InputFailure<HsAssociationInput>>;
  /** Every association write that failed (a deal may have several). */
  failed: InputFailure<HsAssociationInput>[];
}

export async function writeBatchAssociations(
  run: BatchRun,
  planned: PlannedDeal[],
  written: WrittenDeals,
  companies: CompanyResolution,
  stateOf: (p: PlannedDeal) => AssociationState,
): Promise<DealAssociations> {
  const diff = emptyDiff();
  const next: DealAssociations['next'] = new Map();
  const unknown = await unknownAssociations(run, planned, written);
  for (const p of planned) {
    if (written.failed.has(p.opp.Id)) continue;
    const dealId = p.write ? written.upserted.get(p.opp.Id)?.dealId : p.link?.dealId;
    if (!dealId) {
      written.failed.add(p.opp.Id);
      run.failures.push(
        opportunityFailure(p.opp.Id, {
          code: 'INTERNAL',
          message: `${p.opp.Id}: HubSpot returned no deal for this opportunity`,
          field: null,
        }),
      );
      continue;
    }
    if (p.opp.AccountId && companies.failed.has(p.opp.AccountId)) {
      p.warnings.push(
        syncedIssue(p.opp.Id, {
          code: 'COMPANY_MATCH_FAILED',
          message: companies.failed.get(p.opp.AccountId) ?? '',
          field: 'AccountId',
        }),
      );
    }
    const state = stateOf(p);
    const prev = previousAssociations(p.link, dealId);
    const noted = run.pending.get(p.opp.Id);
    const extra = unknown.get(p.opp.Id);
    const pending = extra
      ? {
          contacts: [...(noted?.contacts ?? []), ...extra.contacts],
          companies: [...(noted?.companies ?? []), ...extra.companies],
        }
      : noted;
    next.set(p.opp.Id, { dealId, state, prev });
    // Created with its associations inline: nothing left to write for it.
    if (!written.inline.has(p.opp.Id) && (pending || associationsHash(state) !== associationsHash(prev)))
      diffAssociations(dealId, prev, state, diff, pending);
  }
  const hubspot = run.env.hubspot;
  // Old primary company off before the new one on: a deal has one primary company.
  // Contacts and companies are independent of each other: both chains run side by side.
  const [companyFailures, contactFailures] = await Promise.all([
    (async () => [
      ...(await writeAssociations(hubspot, 'dissociate', 'companies', diff.removeCompanies)),
      ...(await writeAssociations(hubspot, 'associate', 'companies', diff.addCompanies)),
    ])(),
    (async () => [
      ...(await writeAssociations(hubspot, 'dissociate', 'contacts', diff.removeContacts)),
      ...(await writeAssociations(hubspot, 'associate', 'contacts', diff.addContacts)),
    ])(),
  ]);
  const failed = [...companyFailures, ...contactFailures];
  const failedByDeal = new Map(failed.map((f) => [f.input.fromId, f]));
  return { next, failedByDeal, failed };
}
