// Page-level look-ups before a page's batches run: the contacts and companies of a whole Salesforce
// page (2,000 opportunities) are resolved at once, in full batches of 100, and remembered in the
// store's links. The batches then find every one of them in the store and make no look-up call:
// per 100-opportunity batch, ~150 role contacts would otherwise cost two half-empty reads each
// time, and a contact on opportunities in several batches would be looked up in each.
// Companies are only resolved (and, with the setting, created) for opportunities in scope.
import { knownAccounts, resolveCompanies } from '../sync/companies.js';
import type { HubspotPort, SalesforcePort, SfOpportunityWithRoles } from '../ports/remote.js';
import { resolveContacts, roleEmails } from '../sync/scope.js';
import type { Settings } from '../user-settings.js';
import type { StateStore } from '../ports/store.js';

export async function prefetchPage(
  deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
  page: SfOpportunityWithRoles[],
  settings: Settings,
): Promise<void> {
  const live = page.filter((o) => !o.IsDeleted);
  const roles = (o: SfOpportunityWithRoles) => o.contactRoles.filter((r) => !r.IsDeleted);
  // By email only: on a first import no HubSpot contact carries `salesforce_contact_id` yet, so a
  // read by it would find nothing at the cost of one call per 100 contacts. Contacts not found by
  // email are looked up again by the batch itself, by `salesforce_contact_id` first.
  const contacts = await resolveContacts(
    { ...deps, contactIdIsUnique: false },
    live.flatMap((o) => roles(o).map((r) => r.ContactId)),
    roleEmails(live.flatMap(roles)),
  );
  const links = await deps.store.getDealLinks(live.map((o) => o.Id));
  const accountIds = live
    .filter((o) => o.AccountId)
    .filter((o) => {
      const l = links.get(o.Id);
      return roles(o).some((r) => contacts.linked.has(r.ContactId)) || (l?.dealId && !l.archived);
    })
    .map((o) => o.AccountId as string);
  await resolveCompanies(deps, accountIds, {
    create: settings.createCompanies,
    known: knownAccounts(live),
    // A first import finds no company by our id: domain first (the read comes only on a conflict).
    readByIdFirst: false,
  });
}

/**
 * Each page with the one after it (undefined for the last), reading one page ahead: a batch can
 * then fill its look-up calls with the next page's contacts and accounts (BatchMode.lookahead).
 */
export async function* withNext<T>(source: AsyncIterable<T>): AsyncIterable<[T, T | undefined]> {
  const it = source[Symbol.asyncIterator]();
  try {
    let current = await it.next();
    while (!current.done) {
      const next = await it.next();
      yield [current.value, next.done ? undefined : next.value];
      current = next;
    }
  } finally {
    await it.return?.();
  }
}
