// The people, companies and planted cases of the messy org (`--seed messy`), as a pure function,
// so the HubSpot emulator's messy portal holds the matching owners, contacts and companies without
// importing the Salesforce store. MESSY_CASES is the machine-readable manifest of every planted
// case (names and emails, stable across runs) that tests and docs/real-orgs.md refer to.
// Keep this output STABLE: seeds and tests depend on it.

export interface MessyUser {
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  /** Whether the HubSpot portal has an owner with this email. */
  hubspotOwner: boolean;
}

export interface MessyAccount {
  name: string;
  /** Website exactly as typed into Salesforce (mixed forms), or absent. */
  website?: string;
  /** Bare lower-case domain of `website`, or absent. */
  domain?: string;
}

export interface MessyContact {
  firstName: string;
  lastName: string;
  /** Absent for contacts without email. */
  email?: string;
  accountName?: string;
}

export interface MessyPeople {
  users: MessyUser[];
  accounts: MessyAccount[];
  contacts: MessyContact[];
}

/** Names and emails of every planted case (see docs/emulators/salesforce.md, docs/real-orgs.md). */
export const MESSY_CASES = {
  recordTypes: { withProcess: ['New Business', 'Renewal'], masterOpportunityPrefix: 'Master - ' },
  inactiveStage: { stage: 'Legacy - Verbal Commit', opportunityPrefix: 'Legacy deal ' },
  typesNotInDealtype: ['Partner Referral', 'Upsell (legacy)', 'Existing Customer - Upgrade', 'New Customer'],
  users: {
    inactive: 'olga.inactive@oldorg-sales.example',
    placeholderEmail: 'autoproc@00d000000000emu.example',
    withoutHubspotOwner: 'nick.nohubspot@oldorg-sales.example',
    ownerEmailOtherCase: 'Petra.Case@oldorg-sales.example',
  },
  contacts: {
    withoutEmail: ['Sven Noemail', 'Hana Noemail', 'Igor Noemail', 'Rita Noemail'],
    sameEmailOtherCase: ['mia.kovac@orbit-freight.example', 'Mia.Kovac@orbit-freight.example'],
    twiceInRoles: { contact: 'Tom Twice', opportunity: 'Twice Roles - Expansion' },
    sixtyRoles: { opportunity: 'Sixty Roles - Enterprise rollout', roles: 60 },
    /** Merged in Salesforce: the loser is deleted with MasterRecordId = the winner. */
    merged: {
      winner: 'lena.brandt@granite-health.example',
      loser: 'l.brandt@granite-health.example',
      loserOpportunity: 'Merged Contact - Support renewal',
    },
    /** Two HubSpot contacts of these emails, the second merged into the first in HubSpot. */
    mergedInHubspot: {
      primary: 'oscar.wilde@harbor-energy.example',
      merged: 'o.wilde@harbor-energy.example',
    },
    /** Org contacts with no HubSpot contact (every 6th generated contact, plus these). */
    missingInHubspotEvery: 6,
  },
  accounts: {
    sharedDomain: { domain: 'orbit-freight.example', names: ['Orbit Freight GmbH', 'Orbit Freight Inc.'] },
    withoutWebsite: ['Quiet Holdings', 'Nameless Trading', 'Offline Bakery'],
    deleted: { name: 'Defunct Traders', opportunityPrefix: 'Defunct Traders - ' },
    merged: {
      winner: 'Granite Health',
      loser: 'Granite Health Ltd',
      loserOpportunity: 'Granite Health Ltd - Pilot',
    },
  },
  opportunities: {
    withoutAccount: ['Private deal - Consulting', 'Private deal - Workshop'],
    amounts: {
      'Amount null - Pilot': null,
      'Amount zero - Free pilot': 0,
      'Amount negative - Credit note': -1500,
      'Amount four decimals - Metered': 1234.5678,
    },
    /** messyLongName(): 120 characters with quotes and emoji. */
    longNameLength: 120,
    longDescription: 'Long description - RTL and control characters',
    closeDates: { 'Close 1970 - Migrated': '1970-01-01', 'Close 2099 - Placeholder': '2099-12-31' },
    ownedByInactive: 'Inactive owner - Renewal',
    ownedByPlaceholder: 'Placeholder owner - Import',
    ownedByNoHubspotOwner: 'No HubSpot owner - Expansion',
  },
} as const;

/**
 * Emails of org contacts the messy portal has no contact for: every `missingInHubspotEvery`-th
 * contact with email, except the planted ones (the pair merged in HubSpot, and Paula of the
 * opportunities without account). Both seeds use it: the portal leaves them out, the org gives the
 * planted cases' opportunities a contact the portal has.
 */
export function messyEmailsMissingInHubspot(): Set<string> {
  const c = MESSY_CASES.contacts;
  const planted: string[] = [...Object.values(c.mergedInHubspot), 'paula@mailbox.example'];
  const missing = new Set<string>();
  let n = 0;
  for (const p of messyPeople().contacts) {
    if (!p.email) continue;
    const i = n++;
    if (p.email === c.sameEmailOtherCase[1] || planted.includes(p.email)) continue;
    if (i % c.missingInHubspotEvery === c.missingInHubspotEvery - 1) missing.add(p.email);
  }
  return missing;
}

/** A 120-character name with quotes, an apostrophe and emoji (120 UTF-16 code units). */
export function messyLongName(): string {
  const head = `"Big" O'Neil deal 🚀 — “quoted” & <b>tagged</b> 🇩🇪 `;
  return (head + 'x'.repeat(120)).slice(0, 120);
}

/** 32,000 characters mixing Latin, Hebrew and Arabic (right-to-left) and control characters. */
export function messyLongDescription(): string {
  const chunk =
    'Renewal notes שלום עולם مرحبا بالعالم \u200f\u202eRTL\u202c tab\there\r\nline\u0007bell\u0000nul ';
  return chunk.repeat(Math.ceil(32000 / chunk.length)).slice(0, 32000);
}

const FIRST = ['Anna', 'Ben', 'Clara', 'Dario', 'Emil', 'Fatima', 'Goran', 'Helga', 'Ivan', 'Jana'];
const LAST = ['Novak', 'Weiss', 'Moreno', 'Okoro', 'Lindqvist', 'Haddad', 'Petrov', 'Ruiz', 'Sato', 'Berg'];

/** Generated accounts: [name, website as typed]; the planted ones follow. */
const ACCOUNTS: [string, string | undefined][] = [
  ['Acme Robotics', 'https://www.acme-robotics.example'],
  ['Blue Harbor Logistics', 'blueharbor.example'],
  ['Cedar Systems', 'http://cedar-systems.example/about'],
  ['Delta Foods', 'https://delta-foods.example/'],
  ['Ember Media', 'WWW.EMBER-MEDIA.EXAMPLE'],
  ['Falcon Pharma', 'https://www.falcon-pharma.example'],
  ['Harbor Energy', 'https://harbor-energy.example'],
  ['Iris Textiles', 'iris-textiles.example'],
  ['Juniper Labs', 'https://www.juniper-labs.example'],
  ['Kestrel Motors', 'http://www.kestrel-motors.example'],
  ['Lumen Partners', 'https://lumen-partners.example'],
  ['Maple Networks', 'https://www.maple-networks.example'],
  ['Nimbus Works', 'nimbus-works.example'],
  ['Orchid Health', 'https://orchid-health.example'],
  ['Pioneer Data', 'https://www.pioneer-data.example'],
  ['Granite Health', 'https://www.granite-health.example'],
  ['Granite Health Ltd', 'granite-health.example'],
  ['Orbit Freight GmbH', 'https://www.orbit-freight.example'],
  ['Orbit Freight Inc.', 'http://orbit-freight.example/us'],
  ['Quiet Holdings', undefined],
  ['Nameless Trading', undefined],
  ['Offline Bakery', undefined],
  ['Defunct Traders', 'https://defunct-traders.example'],
];

/** `https://WWW.X.example/about` → `x.example`. */
export function bareDomain(website: string): string {
  return website
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '');
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');

/** The messy org's users, accounts and contacts. Pure and deterministic. */
export function messyPeople(): MessyPeople {
  const c = MESSY_CASES;
  const users: MessyUser[] = [
    {
      email: 'admin@oldorg-sales.example',
      firstName: 'Ada',
      lastName: 'Admin',
      isActive: true,
      hubspotOwner: true,
    },
    {
      email: 'bea.seller@oldorg-sales.example',
      firstName: 'Bea',
      lastName: 'Seller',
      isActive: true,
      hubspotOwner: true,
    },
    {
      email: 'carl.closer@oldorg-sales.example',
      firstName: 'Carl',
      lastName: 'Closer',
      isActive: true,
      hubspotOwner: true,
    },
    {
      email: 'dana.deals@oldorg-sales.example',
      firstName: 'Dana',
      lastName: 'Deals',
      isActive: true,
      hubspotOwner: true,
    },
    {
      email: c.users.ownerEmailOtherCase.toLowerCase(),
      firstName: 'Petra',
      lastName: 'Case',
      isActive: true,
      hubspotOwner: true,
    },
    { email: c.users.inactive, firstName: 'Olga', lastName: 'Inactive', isActive: false, hubspotOwner: true },
    {
      email: c.users.placeholderEmail,
      firstName: 'Automated',
      lastName: 'Process',
      isActive: true,
      hubspotOwner: false,
    },
    {
      email: c.users.withoutHubspotOwner,
      firstName: 'Nick',
      lastName: 'Nohubspot',
      isActive: true,
      hubspotOwner: false,
    },
  ];
  const accounts: MessyAccount[] = ACCOUNTS.map(([name, website]) =>
    website ? { name, website, domain: bareDomain(website) } : { name },
  );
  const contacts: MessyContact[] = [];
  const seen = new Set<string>();
  // Generated contacts go to ordinary accounts; the planted accounts get only their planted contacts.
  const planted = ['Granite', 'Orbit', 'Defunct'];
  const regular = accounts.filter((a) => a.domain && !planted.some((p) => a.name.startsWith(p)));
  for (let i = 0; i < 100; i++) {
    const firstName = FIRST[i % FIRST.length]!;
    const lastName = LAST[(i * 3 + Math.floor(i / FIRST.length)) % LAST.length]!;
    const account = regular[i % regular.length]!;
    let email = `${slug(firstName)}.${slug(lastName)}@${account.domain}`;
    for (let n = 2; seen.has(email); n++)
      email = `${slug(firstName)}.${slug(lastName)}${n}@${account.domain}`;
    seen.add(email);
    contacts.push({ firstName, lastName, email, accountName: account.name });
  }
  for (const full of c.contacts.withoutEmail) {
    const [firstName, lastName] = full.split(' ') as [string, string];
    contacts.push({ firstName, lastName, accountName: 'Quiet Holdings' });
  }
  const [lower, upper] = c.contacts.sameEmailOtherCase;
  contacts.push({ firstName: 'Mia', lastName: 'Kovac', email: lower, accountName: 'Orbit Freight GmbH' });
  contacts.push({ firstName: 'Mia', lastName: 'Kovač', email: upper, accountName: 'Orbit Freight Inc.' });
  contacts.push({
    firstName: 'Tom',
    lastName: 'Twice',
    email: 'tom.twice@acme-robotics.example',
    accountName: 'Acme Robotics',
  });
  contacts.push({
    firstName: 'Lena',
    lastName: 'Brandt',
    email: c.contacts.merged.winner,
    accountName: 'Granite Health',
  });
  contacts.push({
    firstName: 'Lena',
    lastName: 'Brandt',
    email: c.contacts.merged.loser,
    accountName: 'Granite Health Ltd',
  });
  contacts.push({
    firstName: 'Oscar',
    lastName: 'Wilde',
    email: c.contacts.mergedInHubspot.primary,
    accountName: 'Harbor Energy',
  });
  contacts.push({
    firstName: 'Oscar',
    lastName: 'Wilde',
    email: c.contacts.mergedInHubspot.merged,
    accountName: 'Harbor Energy',
  });
  contacts.push({ firstName: 'Paula', lastName: 'Private', email: 'paula@mailbox.example' });
  contacts.push({
    firstName: 'Dirk',
    lastName: 'Defunct',
    email: 'dirk@defunct-traders.example',
    accountName: 'Defunct Traders',
  });
  return { users, accounts, contacts };
}
