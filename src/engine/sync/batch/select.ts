// Step 1: which rows of the batch need work. A look-back re-read of a row the mirror already holds
// at the same SystemModstamp and with the same content (an edit within the second of the earlier
// read keeps the stamp) is skipped, unless it failed and its retry time has come.
import { opportunityRowHash } from '../../mapping/hash.js';
import { opportunityKey } from '../../record-errors.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import { decide } from './outcome.js';
import type { BatchRun } from './run-state.js';

export function selectWork(run: BatchRun): SfOpportunityWithRoles[] {
  const { out, mode, env } = run;
  const work: SfOpportunityWithRoles[] = [];
  for (const opp of run.byId.values()) {
    const m = run.mirrors.get(opp.Id);
    const unchangedRow =
      mode.cheapSkip &&
      m &&
      m.systemModstamp === opp.SystemModstamp &&
      m.isDeleted === opp.IsDeleted &&
      (m.rowHash == null || m.rowHash === opportunityRowHash(opp));
    // A failed record is tried again by the look-back re-read only once its backoff is over; until
    // then the pass's due-retries step owns it (else the look-back would retry it every pass). A
    // warning has no retry time: the unchanged row would only find the same warning again.
    const err = run.errs.get(opportunityKey(opp.Id));
    const retryDue =
      err?.nextRetryAt !== undefined &&
      err.nextRetryAt !== null &&
      Date.parse(err.nextRetryAt) <= env.now.getTime();
    if (unchangedRow && !retryDue) {
      // Not recorded as processed: its roles (read now) may be newer than what was synced.
      decide(out, opp.Id, 'unchanged');
      continue;
    }
    work.push(opp);
    out.processed.push(opp);
    out.touched.opportunityIds.add(opp.Id);
    if (opp.AccountId) out.touched.accountIds.add(opp.AccountId);
    if (m?.accountId) out.touched.accountIds.add(m.accountId);
    for (const c of run.oldContacts.get(opp.Id) ?? []) out.touched.contactIds.add(c);
    for (const r of opp.contactRoles) out.touched.contactIds.add(r.ContactId);
    // Roles deleted in Salesforce (with their opportunity, or alone) change their contacts' rollups
    // too; the mirror may never have held them (a state restored from an older copy, a batch killed
    // before it stored its roles), so its old contacts alone can miss them.
    for (const r of run.deletedRoles.get(opp.Id) ?? []) out.touched.contactIds.add(r.ContactId);
  }
  return work;
}
