// Associations HubSpot may hold that neither the links nor the write-ahead notes know of, added to
// what the association step may remove (as `pending` is; see write-ahead.ts). Two ways the store
// can be behind HubSpot without a note (the soak's seed 99):
// - a deal the store believed new turned out to exist (`created: false`): an unrecorded batch made
//   it, and whatever it associated (a contact whose role went since, the company of the account
//   before) is unknown. Its associations are read (two batch reads per 1,000 such deals, rare);
// - a pass catching up after a start (a state restored from an older copy): an association the
//   lost part of the store recorded is unknown too: for a contact role deleted since (the contacts
//   of the roles Salesforce returns deleted are added: their links, else a HubSpot lookup), and for
//   an account changed since and again after (the deal's companies linked to an account are read).
// Only removals widen: a wanted association is never removed, and a user's own association of a
// deal the store knows is not touched (neither rule reaches it).
import type { PendingAssociations } from '../../ports/store.js';
import type { WrittenDeals } from './deal-writes.js';
import type { PlannedDeal } from './plan.js';
import { lookupDeps, type BatchRun } from './run-state.js';
import { resolveContacts, roleEmails } from '../scope.js';

const ACCOUNT_ID = 'salesforce_account_id';

type Extra = Pick<PendingAssociations, 'contacts' | 'companies'>;

export async function unknownAssociations(
  run: BatchRun,
  planned: PlannedDeal[],
  written: WrittenDeals,
): Promise<Map<string, Extra>> {
  const out = new Map<string, Extra>();
  const add = (oppId: string, contacts: string[], companies: string[]) => {
    const e = out.get(oppId) ?? { contacts: [], companies: [] };
    out.set(oppId, { contacts: [...e.contacts, ...contacts], companies: [...e.companies, ...companies] });
  };
  const found = new Map<string, string>(); // deal id → opportunity id
  for (const p of planned) {
    const r = written.upserted.get(p.opp.Id);
    const believedNew = !p.link?.dealId || p.link.archived;
    if (p.write && believedNew && r && !r.created && !written.inline.has(p.opp.Id))
      found.set(r.dealId, p.opp.Id);
  }
  if (found.size > 0) {
    const ids = [...found.keys()];
    const [contacts, companies] = await Promise.all([
      run.env.hubspot.readAssociations('contacts', ids),
      run.env.hubspot.readAssociations('companies', ids),
    ]);
    for (const [dealId, oppId] of found)
      add(
        oppId,
        (contacts.get(dealId) ?? []).map((a) => a.toId),
        (companies.get(dealId) ?? []).map((a) => a.toId),
      );
  }
  if (run.env.catchingUp) {
    await companiesOfAccountsBefore(run, planned, add);
    const deleted = planned.flatMap((p) => run.deletedRoles.get(p.opp.Id) ?? []);
    if (deleted.length > 0) {
      // Through the links, else HubSpot (by salesforce_contact_id, then email): a contact linked
      // only in the part of the store that was lost has no link here.
      const contacts = await resolveContacts(
        lookupDeps(run.env),
        deleted.map((r) => r.ContactId),
        roleEmails(deleted),
      );
      for (const p of planned) {
        const hs = (run.deletedRoles.get(p.opp.Id) ?? [])
          .map((r) => contacts.linked.get(r.ContactId))
          .filter((id): id is string => Boolean(id));
        if (hs.length > 0) add(p.opp.Id, hs, []);
      }
    }
  }
  return out;
}

/**
 * In the catch-up pass: the companies of accounts the lost part of the store knew (an account
 * changed since the backup and again after it) are associated with deals the store knows. One
 * batch read per 1,000 linked deals of the pass (and one per 100 companies not linked here); only
 * companies of a Salesforce account count, so one a user associated by hand with none stays.
 */
async function companiesOfAccountsBefore(
  run: BatchRun,
  planned: PlannedDeal[],
  add: (oppId: string, contacts: string[], companies: string[]) => void,
): Promise<void> {
  const oppOf = new Map<string, string>();
  for (const p of planned) if (p.link?.dealId && !p.link.archived) oppOf.set(p.link.dealId, p.opp.Id);
  if (oppOf.size === 0) return;
  const read = await run.env.hubspot.readAssociations('companies', [...oppOf.keys()]);
  const companyIds = [...new Set([...read.values()].flat().map((a) => a.toId))];
  if (companyIds.length === 0) return;
  // Linked here, or carrying `salesforce_account_id` (dealbridge writes it on every company it
  // links): a company linked only in the lost part of the store has no link here.
  const ours = new Set((await run.env.store.companyLinksToHubspot(companyIds)).map((l) => l.hubspotId));
  const unlinked = companyIds.filter((id) => !ours.has(id));
  if (unlinked.length > 0) {
    for (const c of await run.env.hubspot.readByIds('companies', unlinked, [ACCOUNT_ID]))
      if (c.properties[ACCOUNT_ID]) ours.add(c.id);
  }
  for (const [dealId, list] of read) {
    const oppId = oppOf.get(dealId);
    const companies = list.map((a) => a.toId).filter((id) => ours.has(id));
    if (oppId && companies.length > 0) add(oppId, [], companies);
  }
}
