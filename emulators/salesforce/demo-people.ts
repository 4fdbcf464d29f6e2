// The people and companies of the demo org, as a pure function, so the HubSpot emulator's demo portal
// can hold the same contacts (matched by email) and owners (matched by user email) without importing
// the Salesforce store. Keep this output STABLE: other seeds and tests depend on it byte for byte.

export interface DemoUser {
  email: string;
  firstName: string;
  lastName: string;
}

export interface DemoContact {
  email: string;
  firstName: string;
  lastName: string;
  /** Name of the demo account the contact belongs to; absent for the few contacts without one. */
  accountName?: string;
}

export interface DemoAccount {
  name: string;
  /** Bare domain (e.g. `acme-robotics.example`) for accounts with a Website; absent otherwise. */
  domain?: string;
}

export interface DemoPeople {
  users: DemoUser[];
  contacts: DemoContact[];
  accounts: DemoAccount[];
}

const USER_NAMES: [string, string][] = [
  ['Alice', 'Martin'],
  ['Bruno', 'Keller'],
  ['Chloé', 'Durand'],
  ['Daniel', 'Okafor'],
  ['Eva', 'Schmidt'],
  ['Farid', 'Haddad'],
  ['Grace', 'Lee'],
  ['Hugo', 'Moreau'],
  ['Ines', 'Fischer'],
  ['Jonas', 'Berg'],
];

const ACCOUNT_FIRST = [
  'Acme',
  'Blue',
  'Cedar',
  'Delta',
  'Ember',
  'Falcon',
  'Granite',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Maple',
  'Nimbus',
  'Orchid',
];
const ACCOUNT_SECOND = ['Robotics', 'Logistics', 'Health', 'Energy'];

const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Carla',
  'David',
  'Elena',
  'Felix',
  'Greta',
  'Henry',
  'Isabel',
  'Jakob',
  'Karin',
  'Lukas',
  'Maria',
  'Noah',
  'Olivia',
  'Paul',
  'Quentin',
  'Rosa',
  'Simon',
  'Tara',
  'Umar',
  'Vera',
  'William',
  'Yara',
  'Zoe',
];
const LAST_NAMES = [
  'Adams',
  'Baker',
  'Costa',
  'Dietrich',
  'Evans',
  'Ferreira',
  'Garcia',
  'Hoffmann',
  'Ito',
  'Jansen',
  'Kowalski',
  'Lopez',
  'Meyer',
  'Nguyen',
  'Olsen',
  'Petrov',
  'Quinn',
  'Rossi',
  'Santos',
  'Tanaka',
  'Ulrich',
  'Vogel',
  'Weber',
  'Young',
];

/** Lower-case ASCII slug for email local parts and domains (`Chloé` → `chloe`). */
function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The demo org's users, accounts and contacts. Pure and deterministic: same output on every call. */
export function demoPeople(): DemoPeople {
  const users: DemoUser[] = USER_NAMES.map(([firstName, lastName]) => ({
    email: `${slug(firstName)}.${slug(lastName)}@northwind-sales.example`,
    firstName,
    lastName,
  }));

  const accounts: DemoAccount[] = [];
  for (let i = 0; i < 60; i++) {
    const name = `${ACCOUNT_FIRST[i % 15]} ${ACCOUNT_SECOND[Math.floor(i / 15)]}`;
    // Two accounts in three have a website; the rest test matching without a domain.
    accounts.push(i % 3 === 2 ? { name } : { name, domain: `${slug(name)}.example` });
  }

  const contacts: DemoContact[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length]!;
    // Every 25th contact has no account (a private person / lead converted without company).
    const account = i % 25 === 24 ? undefined : accounts[(i * 11) % accounts.length];
    const domain = account?.domain ?? 'mailbox.example';
    let email = `${slug(firstName)}.${slug(lastName)}@${domain}`;
    for (let n = 2; seen.has(email); n++) email = `${slug(firstName)}.${slug(lastName)}${n}@${domain}`;
    seen.add(email);
    contacts.push(
      account ? { email, firstName, lastName, accountName: account.name } : { email, firstName, lastName },
    );
  }
  return { users, contacts, accounts };
}
