// Deterministic org generators: `empty` (setup data only), `demo` (a small realistic org built on
// demoPeople()), and sized orgs up to millions of opportunities. Same options, same data: all
// randomness comes from one seeded PRNG, and timestamps are relative to the clock at seeding.
import type { SoqlValue } from './soql/catalog.js';
import type { CurrencyInfo } from './store.js';
import { OrgStore } from './store.js';
import type { Clock } from './clock.js';
import { RECORD_TYPES, STANDARD_STAGES } from './stages.js';
import {
  ACCOUNT_TYPES,
  CONTACT_ROLES,
  INDUSTRIES,
  LEAD_SOURCES,
  OPPORTUNITY_TYPES,
} from './standard-picklists.js';
import { demoPeople } from './demo-people.js';
import { DAY_MS, formatDate } from './time.js';

export interface SeedOptions {
  /** PRNG seed: same seed and sizes, same org. */
  seed?: number;
  users?: number;
  accounts?: number;
  contacts?: number;
  opportunities?: number;
  /** Each opportunity gets 0..maxContactRoles contact roles (uniform; default 3, i.e. 1.5 on average). */
  maxContactRoles?: number;
  multiCurrency?: boolean;
  currencies?: CurrencyInfo[];
  corporateCurrency?: string;
  /** Advanced currency management: DatedConversionRate periods (quarterly, two years back). */
  datedRates?: boolean;
}

export const DEFAULT_CURRENCIES: CurrencyInfo[] = [
  { code: 'USD', rate: 1 },
  { code: 'EUR', rate: 0.92 },
  { code: 'GBP', rate: 0.79 },
  { code: 'JPY', rate: 151.3, decimalPlaces: 0 },
];

/** mulberry32: small, fast, good enough for test data. */
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

const WORDS_A = [
  'Global',
  'Prime',
  'North',
  'Bright',
  'Rapid',
  'Silver',
  'Green',
  'Urban',
  'Alpha',
  'Summit',
  'Nova',
  'Pioneer',
];
const WORDS_B = [
  'Systems',
  'Foods',
  'Motors',
  'Labs',
  'Media',
  'Partners',
  'Works',
  'Networks',
  'Textiles',
  'Pharma',
];
const FIRST = [
  'Alex',
  'Sam',
  'Jordan',
  'Taylor',
  'Morgan',
  'Casey',
  'Robin',
  'Jamie',
  'Kim',
  'Lee',
  'Noa',
  'Ari',
];
const LAST = [
  'Smith',
  'Müller',
  'García',
  'Rossi',
  'Dubois',
  'Kowalski',
  'Silva',
  'Jensen',
  'Novak',
  'Sato',
  'Brown',
  'Wagner',
];
const PRODUCTS = [
  'Platform licence',
  'Support renewal',
  'Onboarding',
  'Expansion',
  'Pilot',
  'Enterprise plan',
  'Add-on seats',
  'Consulting',
];

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Creates the setup every org has: the API user, standard stages, record types when asked. */
export function baseOrg(clock: Clock, o: SeedOptions): OrgStore {
  const multiCurrency = o.multiCurrency ?? false;
  return new OrgStore(clock, {
    multiCurrency,
    currencies: o.currencies ?? DEFAULT_CURRENCIES,
    corporateCurrency: o.corporateCurrency ?? o.currencies?.[0]?.code ?? 'USD',
  });
}

/** The seeded orgs' two opportunity record types (RECORD_TYPES), each with its sales process; their ids. */
export function addRecordTypes(store: OrgStore): string[] {
  return RECORD_TYPES.map((rt) => {
    const id = store.insertRaw('RecordType', {
      Name: rt.name,
      DeveloperName: rt.developerName,
      SobjectType: 'Opportunity',
      Description: rt.description,
      IsActive: true,
    }).Id as string;
    store.recordTypeStages.set(id, rt.stages);
    return id;
  });
}

function addStagesAndTypes(store: OrgStore, withRecordTypes: boolean): string[] {
  STANDARD_STAGES.forEach((s, i) => store.addStage({ ...s, sortOrder: i + 1 }));
  return withRecordTypes ? addRecordTypes(store) : [];
}

function addUser(store: OrgStore, first: string, last: string, email: string, i: number): string {
  const row = store.insertRaw('User', {
    Username: email,
    FirstName: first,
    LastName: last,
    Email: email,
    Alias: (first.slice(0, 1) + last.slice(0, 4)).toLowerCase(),
    Title: i === 0 ? 'Salesforce Administrator' : 'Account Executive',
    IsActive: true,
  });
  if (!store.apiUserId) store.apiUserId = row.Id as string;
  return row.Id as string;
}

function addDatedRates(store: OrgStore, r: Rand, currencies: CurrencyInfo[], corporate: string): void {
  const now = store.clock.now();
  const quarters: string[] = [];
  const d = new Date(now - 730 * DAY_MS);
  let q = new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1));
  while (q.getTime() <= now) {
    quarters.push(formatDate(q.getTime()));
    q = new Date(Date.UTC(q.getUTCFullYear(), q.getUTCMonth() + 3, 1));
  }
  for (const c of currencies) {
    if (c.code === corporate) continue;
    store.addDatedRate(c.code, c.rate, '0001-01-01', quarters[0]!);
    quarters.forEach((start, i) => {
      const rate = Math.round(c.rate * (0.9 + r() * 0.2) * 1e6) / 1e6;
      store.addDatedRate(c.code, rate, start, quarters[i + 1] ?? '9999-12-31');
    });
  }
}

/** Salesforce stamps datetimes to the second (Clock.stampNow). */
const wholeSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** Time stamps of a record created `ageDays` ago, last touched somewhere since. */
function stamps(r: Rand, now: number, maxAgeDays: number) {
  const created = wholeSecond(now - Math.floor(r() * maxAgeDays * DAY_MS));
  const modified = wholeSecond(created + Math.floor(r() * (now - created)));
  return { CreatedDate: created, LastModifiedDate: modified, SystemModstamp: modified };
}

interface Cache {
  dates: Map<number, string>;
}

function closeDate(cache: Cache, ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let s = cache.dates.get(day);
  if (!s) cache.dates.set(day, (s = formatDate(day * DAY_MS)));
  return s;
}

interface OppContext {
  r: Rand;
  now: number;
  store: OrgStore;
  cache: Cache;
  recordTypes: string[];
  userIds: string[];
  currencies: string[];
  maxRoles: number;
}

function addOpportunity(c: OppContext, name: string, accountId: string | null, contactPool: string[]): void {
  const { r, now, store } = c;
  const st = stamps(r, now, 730);
  const renewal = c.recordTypes.length > 1 && r() < 0.3;
  const rt = renewal ? RECORD_TYPES[1]! : RECORD_TYPES[0]!;
  const stage = pick(r, rt.stages);
  const closeMs = st.CreatedDate + Math.floor((r() * 200 - 20) * DAY_MS);
  const values: Record<string, SoqlValue> = {
    Name: name,
    AccountId: accountId,
    StageName: stage,
    Amount: Math.round(r() * 2000) * 50 + 500,
    CloseDate: closeDate(c.cache, closeMs),
    Type: renewal ? pick(r, OPPORTUNITY_TYPES.slice(0, 3)) : r() < 0.8 ? 'New Customer' : null,
    LeadSource: pick(r, LEAD_SOURCES),
    OwnerId: pick(r, c.userIds),
    CreatedById: c.userIds[0]!,
    LastModifiedById: c.userIds[0]!,
    ...st,
  };
  if (c.recordTypes.length > 0) values.RecordTypeId = c.recordTypes[renewal ? 1 : 0]!;
  if (c.currencies.length > 0) values.CurrencyIsoCode = r() < 0.6 ? c.currencies[0]! : pick(r, c.currencies);
  const opp = store.insertRaw('Opportunity', values);
  const roles = Math.floor(r() * (c.maxRoles + 1));
  // Distinct contacts: consecutive entries of the pool from a random start.
  const start = Math.floor(r() * contactPool.length);
  for (let i = 0; i < roles && i < contactPool.length; i++) {
    const contactId = contactPool[(start + i) % contactPool.length]!;
    store.insertRaw('OpportunityContactRole', {
      OpportunityId: opp.Id as string,
      ContactId: contactId,
      Role: pick(r, CONTACT_ROLES),
      IsPrimary: i === 0,
      CreatedById: c.userIds[0]!,
      LastModifiedById: c.userIds[0]!,
      CreatedDate: st.CreatedDate,
      LastModifiedDate: st.CreatedDate,
      SystemModstamp: st.CreatedDate,
      ...(values.CurrencyIsoCode ? { CurrencyIsoCode: values.CurrencyIsoCode } : {}),
    });
  }
}

/** An org with setup data and no records. */
export function seedEmpty(clock: Clock, o: SeedOptions = {}): OrgStore {
  const store = baseOrg(clock, o);
  addUser(store, 'Integration', 'User', 'integration@dealbridge-emulator.example', 0);
  addStagesAndTypes(store, false);
  if (store.multiCurrency && (o.datedRates ?? true))
    addDatedRates(store, prng(o.seed ?? 1), o.currencies ?? DEFAULT_CURRENCIES, store.corporateCurrency);
  return store;
}

/** The demo org: demoPeople()'s users, accounts and contacts, 500 opportunities over two record types. */
/** The entities the demo and messy orgs select for Change Data Capture. */
export const CDC_SELECTED = ['Opportunity', 'Account', 'OpportunityContactRole'];

export function seedDemo(clock: Clock, o: SeedOptions = {}): OrgStore {
  const store = baseOrg(clock, o);
  // Setup › Change Data Capture: the sandbox shows the live path (docs/emulators/salesforce.md).
  for (const e of CDC_SELECTED) store.cdcSelected.add(e);
  const r = prng(o.seed ?? 20240520);
  const people = demoPeople();
  const userIds = people.users.map((u, i) => addUser(store, u.firstName, u.lastName, u.email, i));
  const recordTypes = addStagesAndTypes(store, true);
  const currencies = store.multiCurrency ? store.currencyCodes : [];
  if (store.multiCurrency && (o.datedRates ?? true))
    addDatedRates(store, r, o.currencies ?? DEFAULT_CURRENCIES, store.corporateCurrency);
  const now = clock.now();
  const accountIds = new Map<string, string>();
  people.accounts.forEach((a, i) => {
    const row = store.insertRaw('Account', {
      Name: a.name,
      Website: a.domain ? `https://www.${a.domain}` : null,
      Type: i % 4 === 0 ? 'Prospect' : pick(r, ACCOUNT_TYPES.slice(1)),
      Industry: pick(r, INDUSTRIES),
      NumberOfEmployees: 10 + Math.floor(r() * 5000),
      OwnerId: userIds[i % userIds.length]!,
      ...(currencies.length ? { CurrencyIsoCode: pick(r, currencies) } : {}),
      ...stamps(r, now, 900),
    });
    accountIds.set(a.name, row.Id as string);
  });
  const contactsByAccount = new Map<string, string[]>();
  const loose: string[] = [];
  people.contacts.forEach((p, i) => {
    const accountId = p.accountName ? (accountIds.get(p.accountName) ?? null) : null;
    const row = store.insertRaw('Contact', {
      FirstName: p.firstName,
      LastName: p.lastName,
      Email: p.email,
      AccountId: accountId,
      Title: pick(r, [
        'CEO',
        'CTO',
        'Head of Sales',
        'Procurement Manager',
        'IT Director',
        'Operations Lead',
      ]),
      LeadSource: pick(r, LEAD_SOURCES),
      OwnerId: userIds[i % userIds.length]!,
      ...(currencies.length ? { CurrencyIsoCode: pick(r, currencies) } : {}),
      ...stamps(r, now, 800),
    });
    if (accountId)
      contactsByAccount.set(accountId, [...(contactsByAccount.get(accountId) ?? []), row.Id as string]);
    else loose.push(row.Id as string);
  });
  const ctx: OppContext = {
    r,
    now,
    store,
    cache: { dates: new Map() },
    recordTypes,
    userIds,
    currencies,
    maxRoles: o.maxContactRoles ?? 3,
  };
  const accounts = [...accountIds.entries()];
  for (let i = 0; i < (o.opportunities ?? 500); i++) {
    const [name, id] = accounts[Math.floor(r() * accounts.length)]!;
    const pool = contactsByAccount.get(id) ?? loose;
    addOpportunity(ctx, `${name} - ${pick(r, PRODUCTS)}`, id, pool);
  }
  return store;
}

/** A generated org of any size (accounts default to opportunities/20, contacts to opportunities/4). */
export function seedSized(clock: Clock, o: SeedOptions = {}): OrgStore {
  const store = baseOrg(clock, o);
  const r = prng(o.seed ?? 1);
  const nOpp = o.opportunities ?? 1000;
  const nAcc = o.accounts ?? Math.max(1, Math.ceil(nOpp / 20));
  const nCon = o.contacts ?? Math.max(1, Math.ceil(nOpp / 4));
  const nUsers = o.users ?? 10;
  const userIds: string[] = [];
  for (let i = 0; i < nUsers; i++) {
    const f = FIRST[i % FIRST.length]!;
    const l = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    userIds.push(addUser(store, f, l, `${f.toLowerCase()}.${i}@sized-org.example`, i));
  }
  const recordTypes = addStagesAndTypes(store, true);
  const currencies = store.multiCurrency ? store.currencyCodes : [];
  if (store.multiCurrency && (o.datedRates ?? true))
    addDatedRates(store, r, o.currencies ?? DEFAULT_CURRENCIES, store.corporateCurrency);
  const now = clock.now();
  const accountIds: string[] = [];
  const domains: string[] = [];
  for (let i = 0; i < nAcc; i++) {
    const name = `${WORDS_A[i % WORDS_A.length]} ${WORDS_B[Math.floor(i / WORDS_A.length) % WORDS_B.length]} ${i + 1}`;
    const domain = i % 3 === 2 ? '' : `${name.toLowerCase().replace(/ /g, '-')}.example`;
    domains.push(domain);
    const row = store.insertRaw('Account', {
      Name: name,
      Website: domain ? `https://www.${domain}` : null,
      Type: pick(r, ACCOUNT_TYPES),
      Industry: pick(r, INDUSTRIES),
      OwnerId: userIds[i % nUsers]!,
      ...(currencies.length ? { CurrencyIsoCode: pick(r, currencies) } : {}),
      ...stamps(r, now, 900),
    });
    accountIds.push(row.Id as string);
  }
  const contactsByAccount: string[][] = accountIds.map(() => []);
  for (let i = 0; i < nCon; i++) {
    const a = i % nAcc;
    const f = FIRST[i % FIRST.length]!;
    const l = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const row = store.insertRaw('Contact', {
      FirstName: f,
      LastName: l,
      Email: `${f.toLowerCase()}.${i}@${domains[a] || 'mailbox.example'}`,
      AccountId: accountIds[a]!,
      OwnerId: userIds[i % nUsers]!,
      ...(currencies.length ? { CurrencyIsoCode: pick(r, currencies) } : {}),
      ...stamps(r, now, 800),
    });
    contactsByAccount[a]!.push(row.Id as string);
  }
  const ctx: OppContext = {
    r,
    now,
    store,
    cache: { dates: new Map() },
    recordTypes,
    userIds,
    currencies,
    maxRoles: o.maxContactRoles ?? 3,
  };
  for (let i = 0; i < nOpp; i++) {
    const a = Math.floor(r() * nAcc);
    addOpportunity(ctx, `Opportunity ${i + 1}`, accountIds[a]!, contactsByAccount[a]!);
  }
  return store;
}
