// The benchmark's org and portal, generated deterministically (one seeded PRNG): N opportunities
// over N/10 accounts with 2.5 contacts each; every opportunity has 1 or 2 contact roles
// (alternating, so exactly 1.5 on average) whose contacts belong to its account. HubSpot holds a
// contact for every Salesforce contact (same email) and a company for every account (same domain),
// and an owner for every Salesforce user, so every opportunity is in scope.
// All Salesforce rows carry a SystemModstamp in the past (end of 2024): they are not "changed"
// until the benchmark touches them after turning opportunity sync on.

export const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
] as const;
const TYPES = ['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement', null];

export interface DatasetSizes {
  opportunities: number;
  accounts: number;
  contacts: number;
  users: number;
  contactRoles: number;
}

export interface Dataset {
  sizes: DatasetSizes;
  /** Salesforce emulator data document (docs/emulators/salesforce.md, "Data documents"). */
  salesforce: Record<string, unknown>;
  /** HubSpot emulator portal document (docs/emulators/hubspot.md, `--data FILE`). */
  hubspot: Record<string, unknown>;
  /** HubSpot record ids, by the Salesforce record's email / domain, for linking after setup. */
  hubspotContactIdByEmail: Map<string, number>;
  hubspotCompanyIdByDomain: Map<string, number>;
}

/** mulberry32, the same small PRNG the emulators' seeds use. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function buildDataset(opportunities: number, opts: { seed?: number; now?: number } = {}): Dataset {
  const r = prng(opts.seed ?? 20250101);
  // A fixed clock: the same seed gives byte-identical documents on every run and machine.
  const now = opts.now ?? Date.UTC(2025, 0, 1);
  const stamp = new Date(now - 3 * DAY).toISOString();
  const server = { CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp };
  const nAcc = Math.max(1, Math.round(opportunities / 10));
  const nUsers = 10;

  const users = Array.from({ length: nUsers }, (_, i) => ({
    '@ref': `u${i}`,
    Username: `rep${i}@bench-org.example`,
    Email: `rep${i}@bench-org.example`,
    FirstName: 'Rep',
    LastName: `Number ${i}`,
    Alias: `rep${i}`,
    IsActive: true,
  }));
  const accounts: Record<string, unknown>[] = [];
  const contacts: Record<string, unknown>[] = [];
  const contactsOf: string[][] = [];
  let nCon = 0;
  for (let a = 0; a < nAcc; a++) {
    const domain = `account-${a}.bench.example`;
    accounts.push({
      '@ref': `a${a}`,
      Name: `Bench Account ${a}`,
      Website: `https://www.${domain}`,
      OwnerId: `@u${a % nUsers}`,
      ...server,
    });
    // 2 or 3 contacts per account (2.5 on average), so every opportunity can have 2 distinct ones.
    const pool: string[] = [];
    for (let k = 0; k < 2 + (a % 2); k++) {
      const ref = `c${nCon}`;
      contacts.push({
        '@ref': ref,
        FirstName: 'Contact',
        LastName: `${nCon}`,
        Email: `contact${nCon}@${domain}`,
        AccountId: `@a${a}`,
        OwnerId: `@u${nCon % nUsers}`,
        ...server,
      });
      pool.push(ref);
      nCon++;
    }
    contactsOf.push(pool);
  }

  const opps: Record<string, unknown>[] = [];
  const roles: Record<string, unknown>[] = [];
  for (let i = 0; i < opportunities; i++) {
    const a = Math.floor(r() * nAcc);
    const created = now - Math.floor((30 + r() * 700) * DAY);
    const stage = STAGES[Math.floor(r() * STAGES.length)]!;
    opps.push({
      '@ref': `o${i}`,
      Name: `Bench Opportunity ${i}`,
      AccountId: `@a${a}`,
      StageName: stage,
      Amount: Math.round(r() * 2000) * 50 + 500,
      CloseDate: isoDate(created + Math.floor(r() * 200) * DAY),
      Type: TYPES[Math.floor(r() * TYPES.length)] ?? null,
      Description: `Generated opportunity ${i}`,
      OwnerId: `@u${Math.floor(r() * nUsers)}`,
      ...server,
      CreatedDate: new Date(created).toISOString(),
    });
    const pool = contactsOf[a]!;
    const start = Math.floor(r() * pool.length);
    for (let k = 0; k < 1 + (i % 2); k++) {
      roles.push({
        OpportunityId: `@o${i}`,
        ContactId: `@${pool[(start + k) % pool.length]!}`,
        Role: k === 0 ? 'Decision Maker' : 'Evaluator',
        IsPrimary: k === 0,
        ...server,
      });
    }
  }

  // HubSpot: explicit ids, so the benchmark can link them to Salesforce ids after setup.
  const hubspotContactIdByEmail = new Map<string, number>();
  const hubspotCompanyIdByDomain = new Map<string, number>();
  const hsContacts = contacts.map((c, i) => {
    const id = 1_000_001 + i;
    hubspotContactIdByEmail.set(String(c.Email), id);
    return {
      id: String(id),
      properties: { email: c.Email, firstname: c.FirstName, lastname: c.LastName, lifecyclestage: 'lead' },
    };
  });
  const hsCompanies = accounts.map((a, i) => {
    const id = 5_000_001 + i;
    const domain = String(a.Website).replace('https://www.', '');
    hubspotCompanyIdByDomain.set(domain, id);
    return { id: String(id), properties: { name: a.Name, domain } };
  });

  return {
    sizes: {
      opportunities,
      accounts: nAcc,
      contacts: nCon,
      users: nUsers,
      contactRoles: roles.length,
    },
    salesforce: {
      base: 'empty',
      records: {
        User: users,
        Account: accounts,
        Contact: contacts,
        Opportunity: opps,
        OpportunityContactRole: roles,
      },
    },
    hubspot: {
      owners: users.map((u, i) => ({
        id: 80_000_001 + i,
        email: u.Email,
        firstName: u.FirstName,
        lastName: u.LastName,
      })),
      currencies: { companyCurrency: 'USD', rates: [] },
      objects: { contacts: hsContacts, companies: hsCompanies },
      associations: [],
    },
    hubspotContactIdByEmail,
    hubspotCompanyIdByDomain,
  };
}
