// Deals a HubSpot user deleted while dealbridge still links them. Deleting archives the deal
// (HubSpot's recycle bin keeps it 90 days) and nothing tells dealbridge: without this check the
// deal came back only when its opportunity next changed. Every `intervalMs` (a few minutes; the
// first pass of a process checks at once) the recycle bin is listed — HubSpot's list has no filter
// by time, so all of it, 100 deals a call: a few calls normally — and the deals a live link still
// points to have their opportunities re-read by id and written again (`dealsDeleted` of the batch
// mode): the upsert creates a new deal and the batch's recreate step (sync/batch/recreate.ts) makes
// it right, with `createdate` = CreatedDate and an audit entry `recreate`. An opportunity deleted in
// Salesforce meanwhile is archived instead; one no longer in scope by its own contact roles is not
// created again (its link is marked archived). The check keeps no mark of its own: a recreated deal
// moves its link to the new deal, so the old one no longer matches, and one whose write failed
// matches again at the next check.
import type { HubspotPort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';

export interface DeletedDealsDeps {
  hubspot: HubspotPort;
  store: StateStore;
  /** The engine's clock. */
  now(): Date;
  /** Re-reads these opportunities by id and writes their deals again. */
  resync(opportunityIds: string[]): Promise<void>;
  checkBudget(): void;
}

export class DeletedDealsCheck {
  private lastCheckAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs: number) {}

  /** Returns the opportunities whose deal was found deleted, or undefined when the check did not run. */
  async run(deps: DeletedDealsDeps): Promise<string[] | undefined> {
    const at = deps.now().getTime();
    if (at - this.lastCheckAt < this.intervalMs) return undefined;
    const archived = await deps.hubspot.archivedDeals();
    const links = await deps.store.dealLinksByDealIds(archived.map((d) => d.dealId));
    // Links dealbridge archived itself (their opportunity was deleted) are archived in the store too.
    const orphaned = [...links.values()].filter((l) => !l.archived).map((l) => l.opportunityId);
    if (orphaned.length > 0) {
      deps.checkBudget();
      await deps.resync(orphaned);
    }
    // Counted from a check that finished: one stopped by the budget runs again at the next pass.
    this.lastCheckAt = at;
    return orphaned;
  }
}
