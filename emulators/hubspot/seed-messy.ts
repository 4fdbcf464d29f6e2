// The messy portal (`--seed messy`), matching the Salesforce emulator's messy org the way real
// portals partly do: owners for some users (one email in another letter case), contacts for most of
// the org's contacts (some missing, some in another case), a contact merged in HubSpot before any
// sync, companies for part of the accounts by domain (one for the domain two accounts share), and
// HubSpot's default dealtype options. No deals: the connector's import creates them.
import { MESSY_CASES as C, messyEmailsMissingInHubspot, messyPeople } from '../salesforce/messy-people.js';
import type { Portal } from './portal.js';
import { insert, recase } from './seed.js';
import { mergeRecords } from './merge.js';

/** What the messy portal planted, by HubSpot id, for tests. */
export interface MessyPortalManifest {
  /** The record HubSpot's merge produced from the two `mergedInHubspot` contacts, and the old ids. */
  mergedContact: { id: number; oldIds: number[] };
  /** The one company of the domain two accounts share. */
  sharedDomainCompany: number;
  /** Org contact emails that have no HubSpot contact. */
  missingEmails: string[];
}

export function seedMessy(portal: Portal): MessyPortalManifest {
  const people = messyPeople();
  const at = portal.now();
  people.users.forEach((u, i) => {
    if (!u.hubspotOwner) return;
    portal.addOwner({
      id: 80000001 + i,
      userId: 9200001 + i,
      email: u.email === C.users.ownerEmailOtherCase.toLowerCase() ? C.users.ownerEmailOtherCase : u.email,
      firstName: u.firstName,
      lastName: u.lastName,
    });
  });

  const companyByDomain = new Map<string, number>();
  people.accounts.forEach((a, i) => {
    if (!a.domain || companyByDomain.has(a.domain)) return;
    // Every third account with a domain has no company yet; the planted domains always have one.
    const planted = [C.accounts.sharedDomain.domain, 'granite-health.example', 'harbor-energy.example'];
    if (i % 3 === 2 && !planted.includes(a.domain)) return;
    const name = a.domain === C.accounts.sharedDomain.domain ? 'Orbit Freight' : a.name;
    companyByDomain.set(a.domain, insert(portal, 'companies', { name, domain: a.domain }, at).id);
  });

  const primary = portal.associations.types.get(1)!;
  const missingEmails: string[] = [];
  const idByEmail = new Map<string, number>();
  const missing = messyEmailsMissingInHubspot();
  let n = 0;
  for (const c of people.contacts) {
    if (!c.email) continue;
    const i = n++;
    // HubSpot's email is unique whatever the case: one contact for the two org contacts sharing it.
    if (c.email === C.contacts.sameEmailOtherCase[1]) continue;
    const planted = Object.values(C.contacts.mergedInHubspot).includes(c.email as never);
    if (missing.has(c.email)) {
      missingEmails.push(c.email);
      continue;
    }
    const email = i % 5 === 1 && !planted ? recase(c.email) : c.email;
    const rec = insert(
      portal,
      'contacts',
      { email, firstname: c.firstName, lastname: c.lastName, lifecyclestage: 'lead' },
      at,
    );
    idByEmail.set(c.email, rec.id);
    const company = companyByDomain.get(c.email.split('@')[1] ?? '');
    if (company !== undefined) portal.associations.add(primary, rec.id, company);
  }

  const hm = C.contacts.mergedInHubspot;
  const oldIds = [idByEmail.get(hm.primary)!, idByEmail.get(hm.merged)!];
  const merged = mergeRecords(portal, 'contacts', {
    primaryObjectId: String(oldIds[0]),
    objectIdToMerge: String(oldIds[1]),
  });
  return {
    mergedContact: { id: merged.id, oldIds },
    sharedDomainCompany: companyByDomain.get(C.accounts.sharedDomain.domain)!,
    missingEmails,
  };
}
