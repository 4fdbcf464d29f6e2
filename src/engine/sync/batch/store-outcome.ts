// A batch's outcome goes to the store in one transaction, with the cursor (`extra`), and only after
// every HubSpot write of the batch has returned: a crash at any point re-runs the batch against
// idempotent writes.
import type { StateStore } from '../../ports/store.js';
import { updatePending } from '../scope.js';
import type { BatchOutcome } from './outcome.js';

export async function storeOutcome(
  store: StateStore,
  o: BatchOutcome,
  extra?: () => Promise<void>,
): Promise<void> {
  await store.transaction(async () => {
    await store.saveOpportunities(o.mirrors);
    if (o.roleOpportunityIds.length > 0) await store.replaceContactRoles(o.roleOpportunityIds, o.roles);
    await store.saveDealLinks(o.links);
    if (o.errors.length > 0) await store.recordErrors(o.errors);
    if (o.cleared.length > 0) await store.clearErrors(o.cleared);
    if (o.audit.length > 0) await store.appendAudit(o.audit);
    await updatePending(store, o.pendingContacts, o.foundContacts);
    if (o.associationsRecorded.length > 0) await store.clearPendingAssociations(o.associationsRecorded);
    if (extra) await extra();
  });
}
