// Step 7b: associations HubSpot refused because the contact or company is gone — deleted or merged
// in HubSpot by a user. The refused ids are checked and their links moved or matched again
// (sync/relink.ts, which also re-associates the stored deals of those records), and the deals of
// this batch that name a gone record are associated again, in the same batch, with the records
// their Salesforce contacts and account have now: a new opportunity of a merged contact gets the
// merge's record, not ASSOCIATION_FAILED.
import { DEAL_TO_COMPANY_PRIMARY, DEAL_TO_CONTACT, type AssociationState } from '../associations.js';
import type { CompanyResolution } from '../companies.js';
import { relinkedAny, relinkStale } from '../relink.js';
import type { ContactResolution } from '../scope.js';
import { writeBatchAssociations, type DealAssociations } from './association-writes.js';
import type { WrittenDeals } from './deal-writes.js';
import type { PlannedDeal } from './plan.js';
import { lookupDeps, type BatchRun } from './run-state.js';

export async function relinkRefused(
  run: BatchRun,
  planned: PlannedDeal[],
  written: WrittenDeals,
  contacts: ContactResolution,
  companies: CompanyResolution,
  stateOf: (p: PlannedDeal) => AssociationState,
  assoc: DealAssociations,
): Promise<DealAssociations> {
  const refused = (typeId: number) =>
    assoc.failed.filter((f) => f.input.typeId === typeId).map((f) => f.input.toId);
  const stale = { contacts: refused(DEAL_TO_CONTACT), companies: refused(DEAL_TO_COMPANY_PRIMARY) };
  if (stale.contacts.length + stale.companies.length === 0) return assoc;
  const { env } = run;
  const r = await relinkStale(lookupDeps(env), stale);
  if (!relinkedAny(r)) return assoc;

  const names = (s: AssociationState) =>
    s.contacts.some((c) => r.goneContacts.has(c)) || (s.company !== null && r.goneCompanies.has(s.company));
  const affected = planned.filter((p) => {
    const n = assoc.next.get(p.opp.Id);
    return n !== undefined && (names(n.state) || names(n.prev));
  });
  for (const [sfId, to] of r.contacts) {
    if (to) contacts.linked.set(sfId, to);
    else contacts.linked.delete(sfId);
  }
  for (const [sfId, to] of r.companies) {
    if (to) companies.linked.set(sfId, to);
    else companies.linked.delete(sfId);
  }
  if (affected.length === 0) return assoc;
  // Their stored links now hold what HubSpot holds (relink.ts); deals never stored hold nothing.
  const fresh = await env.store.getDealLinks(affected.map((p) => p.opp.Id));
  const again = affected.map((p) => ({ ...p, link: fresh.get(p.opp.Id) ?? p.link, warnings: [] }));
  const redo = await writeBatchAssociations(run, again, written, companies, stateOf);
  const dealIds = new Set<string>();
  for (const [oppId, n] of redo.next) {
    assoc.next.set(oppId, n);
    dealIds.add(n.dealId);
  }
  for (const id of dealIds) assoc.failedByDeal.delete(id);
  for (const [id, f] of redo.failedByDeal) assoc.failedByDeal.set(id, f);
  assoc.failed = [...assoc.failed.filter((f) => !dealIds.has(f.input.fromId)), ...redo.failed];
  return assoc;
}
