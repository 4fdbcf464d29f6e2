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
  /**
   * Runs first in the transaction. Batches stored side by side (src/worker) take a row lock here,
   * so that what follows — read-then-write settings such as the pending contacts — runs one batch
   * at a time, as it does when one process stores its batches in order.
   */
  first?: () => Promise<void>,
): Promise<void> {
  await store.transaction(async () => {
    if (first) await first();
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
