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
// That is the `keep` policy (setting hubspotDealDeletes, the default: the opportunity is left
// alone). With `delete`, the opportunity is deleted in Salesforce instead (to its recycle bin),
// its link marked archived so that nothing writes the deal again, and an audit entry `delete`
// kept; a delete Salesforce refuses is stored with its coded error (`opportunity-write:<id>`)
// and tried again at the next check.
import { auditEntries } from '../audit.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { DealLink, StateStore } from '../ports/store.js';
import { existingErrors, opportunityWriteKey, toErrorRecords, type RecordFailure } from '../record-errors.js';
import type { Settings } from '../user-settings.js';

export interface DeletedDealsDeps {
  hubspot: HubspotPort;
  salesforce: Pick<SalesforcePort, 'deleteOpportunities'>;
  store: StateStore;
  policy: Settings['hubspotDealDeletes'];
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
    const live = [...links.values()].filter((l) => !l.archived);
    const orphaned = live.map((l) => l.opportunityId);
    if (orphaned.length > 0) {
      deps.checkBudget();
      if (deps.policy === 'delete') await deleteOpportunities(deps, live);
      else await deps.resync(orphaned);
    }
    // Counted from a check that finished: one stopped by the budget runs again at the next pass.
    this.lastCheckAt = at;
    return orphaned;
  }
}

/** The `delete` policy: the opportunities of deals deleted in HubSpot go too. */
async function deleteOpportunities(deps: DeletedDealsDeps, links: DealLink[]): Promise<void> {
  const at = deps.now().toISOString();
  const results = await deps.salesforce.deleteOpportunities(links.map((l) => l.opportunityId));
  const ok = new Set(results.filter((r) => r.ok).map((r) => r.id));
  const failures: RecordFailure[] = results.flatMap((r) =>
    r.ok
      ? []
      : [
          {
            recordKey: opportunityWriteKey(r.id),
            code: r.code,
            message: r.message,
            field: null,
            severity: 'error' as const,
          },
        ],
  );
  const done = links.filter((l) => ok.has(l.opportunityId));
  const errors = toErrorRecords(
    failures,
    await existingErrors(
      deps.store,
      failures.map((f) => f.recordKey),
    ),
    deps.now(),
  );
  await deps.store.transaction(async () => {
    if (done.length > 0)
      await deps.store.saveDealLinks(done.map((l) => ({ ...l, archived: true, lastSyncedAt: at })));
    const audit = done.flatMap((l) =>
      auditEntries({
        target: `opportunity:${l.opportunityId}`,
        sourceKey: `deal:${l.dealId ?? ''}`,
        oldValues: { '@opportunity': l.opportunityId },
        newValues: { '@opportunity': null },
        reason: 'delete',
        at,
      }),
    );
    if (audit.length > 0) await deps.store.appendAudit(audit);
    if (errors.length > 0) await deps.store.recordErrors(errors);
    const cleared = done.map((l) => opportunityWriteKey(l.opportunityId));
    if (cleared.length > 0) await deps.store.clearErrors(cleared);
  });
}
