// The messy org (`--seed messy`): a small, deterministic org with what 10-year-old orgs hold,
// built on messyPeople() and listed case by case in MESSY_CASES (messy-people.ts). Records go in
// through the store's raw insert, as seed.ts does, so the seed states data as it is at rest; the
// merges (merge.ts) and the deleted account run through the store's own delete afterwards.
import type { SoqlValue } from './soql/catalog.js';
import type { Clock } from './clock.js';
import type { OrgStore } from './store.js';
import type { Row } from './table.js';
import { RECORD_TYPES, STANDARD_STAGES } from './stages.js';
import { CONTACT_ROLES, LEAD_SOURCES } from './standard-picklists.js';
import { addRecordTypes, baseOrg, CDC_SELECTED, prng, type SeedOptions } from './seed.js';
import {
  MESSY_CASES as C,
  messyEmailsMissingInHubspot,
  messyLongDescription,
  messyLongName,
  messyPeople,
} from './messy-people.js';
import { DAY_MS, formatDate } from './time.js';
import { mergeRecords } from './merge.js';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const PRODUCTS = ['Platform licence', 'Support renewal', 'Onboarding', 'Expansion', 'Pilot', 'Add-on seats'];
const TYPES = ['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement', null];

interface Ctx {
  store: OrgStore;
  r: Rand;
  now: number;
  users: Map<string, string>;
  activeOwners: string[];
  accounts: Map<string, string>;
  contactsByAccount: Map<string, string[]>;
  contactByEmail: Map<string, string>;
  recordTypes: string[];
}

function stampsAt(created: number, now: number, r: Rand): Record<string, number> {
  // Whole seconds, as Salesforce stamps them (Clock.stampNow).
  const modified = Math.floor((created + Math.floor(r() * (now - created))) / 1000) * 1000;
  return { CreatedDate: created, LastModifiedDate: modified, SystemModstamp: modified };
}

function addUsers(store: OrgStore): Map<string, string> {
  const ids = new Map<string, string>();
  messyPeople().users.forEach((u, i) => {
    const row = store.insertRaw('User', {
      Username: u.email.toLowerCase(),
      FirstName: u.firstName,
      LastName: u.lastName,
      Email: u.email,
      Alias: (u.firstName.slice(0, 1) + u.lastName.slice(0, 4)).toLowerCase(),
      Title: i === 0 ? 'Salesforce Administrator' : 'Account Executive',
      IsActive: u.isActive,
    });
    if (i === 0) store.apiUserId = row.Id as string;
    ids.set(u.email, row.Id as string);
  });
  return ids;
}

/** Two record types with their own sales processes, and the inactive legacy stage (no process). */
function addStagesAndTypes(store: OrgStore): string[] {
  STANDARD_STAGES.forEach((s, i) => store.addStage({ ...s, sortOrder: i + 1 }));
  store.addStage({
    label: C.inactiveStage.stage,
    isClosed: false,
    isWon: false,
    probability: 80,
    forecastCategoryName: 'Commit',
    isActive: false,
    sortOrder: STANDARD_STAGES.length + 1,
  });
  return addRecordTypes(store);
}

function addAccountsAndContacts(ctx: Ctx): void {
  const { store, r, now } = ctx;
  const people = messyPeople();
  people.accounts.forEach((a, i) => {
    const row = store.insertRaw('Account', {
      Name: a.name,
      Website: a.website ?? null,
      OwnerId: ctx.activeOwners[i % ctx.activeOwners.length]!,
      ...stampsAt(now - (3650 - i * 40) * DAY_MS, now, r),
    });
    ctx.accounts.set(a.name, row.Id as string);
  });
  people.contacts.forEach((p, i) => {
    const accountId = p.accountName ? ctx.accounts.get(p.accountName)! : null;
    const row = store.insertRaw('Contact', {
      FirstName: p.firstName,
      LastName: p.lastName,
      Email: p.email ?? null,
      AccountId: accountId,
      LeadSource: pick(r, LEAD_SOURCES),
      OwnerId: ctx.activeOwners[i % ctx.activeOwners.length]!,
      ...stampsAt(now - (3000 - i * 9) * DAY_MS, now, r),
    });
    const id = row.Id as string;
    if (p.email) ctx.contactByEmail.set(p.email, id);
    if (accountId)
      ctx.contactsByAccount.set(accountId, [...(ctx.contactsByAccount.get(accountId) ?? []), id]);
  });
}

interface OppSpec {
  name: string;
  account: string | null;
  stage?: string;
  recordType?: 0 | 1 | null;
  amount?: number | null;
  closeDate?: string;
  type?: string | null;
  owner?: string;
  description?: string;
  ageDays?: number;
  /** Contact ids for roles, in order; the first is primary. */
  roles?: string[];
}

function addOpp(ctx: Ctx, s: OppSpec): Row {
  const { store, r, now } = ctx;
  const rtIndex = s.recordType === undefined ? (r() < 0.3 ? 1 : 0) : s.recordType;
  const stages = rtIndex === null ? STANDARD_STAGES.map((x) => x.label) : RECORD_TYPES[rtIndex]!.stages;
  const created = now - (s.ageDays ?? 30 + Math.floor(r() * 2500)) * DAY_MS;
  const values: Record<string, SoqlValue> = {
    Name: s.name,
    AccountId: s.account,
    RecordTypeId: rtIndex === null ? null : ctx.recordTypes[rtIndex]!,
    StageName: s.stage ?? pick(r, stages),
    Amount: s.amount === undefined ? Math.round(r() * 400) * 250 + 1000 : s.amount,
    CloseDate: s.closeDate ?? formatDate(created + Math.floor(r() * 180) * DAY_MS),
    Type: s.type === undefined ? pick(r, TYPES) : s.type,
    LeadSource: pick(r, LEAD_SOURCES),
    Description: s.description ?? null,
    OwnerId: s.owner ?? pick(r, ctx.activeOwners),
    ...stampsAt(created, now, r),
  };
  const opp = store.insertRaw('Opportunity', values);
  const pool = s.account ? (ctx.contactsByAccount.get(s.account) ?? []) : [];
  const roles = s.roles ?? pool.slice(0, Math.floor(r() * Math.min(4, pool.length + 1)));
  roles.forEach((contactId, i) => {
    store.insertRaw('OpportunityContactRole', {
      OpportunityId: opp.Id as string,
      ContactId: contactId,
      Role: CONTACT_ROLES[i % CONTACT_ROLES.length]!,
      IsPrimary: i === 0,
      CreatedDate: created,
      LastModifiedDate: created,
      SystemModstamp: created,
    });
  });
  return opp;
}

function addOpportunities(ctx: Ctx): void {
  const { r } = ctx;
  const acc = (name: string) => ctx.accounts.get(name)!;
  const contact = (email: string) => ctx.contactByEmail.get(email)!;
  const regular = messyPeople().accounts.filter(
    (a) => a.name !== C.accounts.deleted.name && !C.accounts.withoutWebsite.includes(a.name as never),
  );
  // The planted cases' opportunities get a role of their account's first contact the messy portal
  // has (else of a contact elsewhere), so each case is in scope and reaches HubSpot.
  const missing = messyEmailsMissingInHubspot();
  const inPortal = [...ctx.contactByEmail].filter(([e]) => !missing.has(e)).map(([, id]) => id);
  const fallback = inPortal[0]!;
  const planted = (name: string): string[] => {
    const pool = ctx.contactsByAccount.get(acc(name)) ?? [];
    const hit = pool.find((id) => inPortal.includes(id));
    return hit ? [hit] : [...pool, fallback];
  };
  // Ordinary opportunities over both record types.
  for (let i = 0; i < 150; i++) {
    const a = regular[i % regular.length]!;
    addOpp(ctx, { name: `${a.name} - ${pick(r, PRODUCTS)} ${i + 1}`, account: acc(a.name) });
  }
  // Master record type (RecordTypeId null), the default for orgs that had no record types then.
  for (let i = 0; i < 15; i++) {
    const a = regular[(i * 5) % regular.length]!;
    addOpp(ctx, {
      name: `${C.recordTypes.masterOpportunityPrefix}${a.name} ${i + 1}`,
      account: acc(a.name),
      recordType: null,
    });
  }
  // The inactive stage, on old Master opportunities.
  for (let i = 0; i < 6; i++) {
    const a = regular[(i * 3) % regular.length]!;
    addOpp(ctx, {
      name: `${C.inactiveStage.opportunityPrefix}${i + 1}`,
      account: acc(a.name),
      recordType: null,
      stage: C.inactiveStage.stage,
      ageDays: 2600 + i * 30,
    });
  }
  // Type values HubSpot's dealtype does not have (standard and custom ones).
  C.typesNotInDealtype.forEach((type, i) =>
    addOpp(ctx, {
      name: `Type ${type} - Deal ${i + 1}`,
      account: acc(regular[i]!.name),
      type,
      roles: planted(regular[i]!.name),
    }),
  );
  // Accounts without website.
  for (const name of C.accounts.withoutWebsite)
    addOpp(ctx, { name: `${name} - Onboarding`, account: acc(name), roles: planted(name) });
  // Shared domain.
  for (const name of C.accounts.sharedDomain.names)
    addOpp(ctx, { name: `${name} - Freight platform`, account: acc(name), roles: planted(name) });
  // Without account.
  for (const name of C.opportunities.withoutAccount)
    addOpp(ctx, { name, account: null, roles: [contact('paula@mailbox.example')] });
  // Amounts.
  for (const [name, amount] of Object.entries(C.opportunities.amounts))
    addOpp(ctx, { name, account: acc('Cedar Systems'), amount, roles: planted('Cedar Systems') });
  // Long name and description.
  addOpp(ctx, { name: messyLongName(), account: acc('Ember Media'), roles: planted('Ember Media') });
  addOpp(ctx, {
    name: C.opportunities.longDescription,
    account: acc('Ember Media'),
    description: messyLongDescription(),
    roles: planted('Ember Media'),
  });
  // Close dates at the ends of the range.
  for (const [name, closeDate] of Object.entries(C.opportunities.closeDates))
    addOpp(ctx, {
      name,
      account: acc('Delta Foods'),
      closeDate,
      stage: 'Closed Won',
      recordType: 0,
      roles: planted('Delta Foods'),
    });
  // Owners.
  addOpp(ctx, {
    name: C.opportunities.ownedByInactive,
    account: acc('Falcon Pharma'),
    owner: ctx.users.get(C.users.inactive)!,
    roles: planted('Falcon Pharma'),
  });
  addOpp(ctx, {
    name: C.opportunities.ownedByPlaceholder,
    account: acc('Falcon Pharma'),
    owner: ctx.users.get(C.users.placeholderEmail)!,
    roles: planted('Falcon Pharma'),
  });
  addOpp(ctx, {
    name: C.opportunities.ownedByNoHubspotOwner,
    account: acc('Falcon Pharma'),
    owner: ctx.users.get(C.users.withoutHubspotOwner)!,
    roles: planted('Falcon Pharma'),
  });
  // Contact roles: one contact twice, and sixty roles.
  const tom = contact('tom.twice@acme-robotics.example');
  addOpp(ctx, {
    name: C.contacts.twiceInRoles.opportunity,
    account: acc('Acme Robotics'),
    roles: [tom, tom],
  });
  const sixty = [...ctx.contactByEmail.values()].slice(0, C.contacts.sixtyRoles.roles);
  addOpp(ctx, { name: C.contacts.sixtyRoles.opportunity, account: acc('Juniper Labs'), roles: sixty });
  // Same email in two cases, both in one opportunity's roles.
  const [lower, upper] = C.contacts.sameEmailOtherCase;
  addOpp(ctx, {
    name: 'Orbit Freight - Both Mias',
    account: acc('Orbit Freight GmbH'),
    roles: [contact(lower), contact(upper)],
  });
  // The HubSpot-merged pair, both roles of one opportunity.
  const hm = C.contacts.mergedInHubspot;
  addOpp(ctx, {
    name: 'Harbor Energy - Wilde deal',
    account: acc('Harbor Energy'),
    roles: [contact(hm.primary), contact(hm.merged)],
  });
  // To be merged (the losers' opportunity and roles are reparented) and deleted.
  addOpp(ctx, {
    name: C.contacts.merged.loserOpportunity,
    account: acc('Granite Health'),
    roles: [contact(C.contacts.merged.loser)],
  });
  addOpp(ctx, {
    name: 'Granite Health - Platform licence',
    account: acc('Granite Health'),
    roles: [contact(C.contacts.merged.winner)],
  });
  addOpp(ctx, { name: C.accounts.merged.loserOpportunity, account: acc(C.accounts.merged.loser) });
  for (let i = 0; i < 3; i++)
    addOpp(ctx, {
      name: `${C.accounts.deleted.opportunityPrefix}${i + 1}`,
      account: acc(C.accounts.deleted.name),
      roles: [contact('dirk@defunct-traders.example')],
    });
}

/** The messy org; deterministic for the same clock start (ids, values and time stamps). */
export function seedMessy(clock: Clock, o: SeedOptions = {}): OrgStore {
  const store = baseOrg(clock, o);
  // Setup › Change Data Capture: the sandbox shows the live path (docs/emulators/salesforce.md).
  for (const e of CDC_SELECTED) store.cdcSelected.add(e);
  const r = prng(o.seed ?? 20150301);
  // Whole seconds: a running clock started at the same time gives the same stamps.
  const now = Math.floor(clock.now() / 1000) * 1000;
  const users = addUsers(store);
  const people = messyPeople();
  const activeOwners = people.users
    .filter((u) => u.isActive && u.email !== C.users.placeholderEmail)
    .map((u) => users.get(u.email)!);
  const ctx: Ctx = {
    store,
    r,
    now,
    users,
    activeOwners,
    accounts: new Map(),
    contactsByAccount: new Map(),
    contactByEmail: new Map(),
    recordTypes: addStagesAndTypes(store),
  };
  addAccountsAndContacts(ctx);
  addOpportunities(ctx);
  // Past events, two days ago: the merges and the deleted account (its opportunities go with it).
  const at = now - 2 * DAY_MS;
  const saved = clock.now();
  const wasFrozen = clock.frozen;
  clock.set(at, true);
  mergeRecords(store, 'Account', ctx.accounts.get(C.accounts.merged.winner)!, [
    ctx.accounts.get(C.accounts.merged.loser)!,
  ]);
  mergeRecords(store, 'Contact', ctx.contactByEmail.get(C.contacts.merged.winner)!, [
    ctx.contactByEmail.get(C.contacts.merged.loser)!,
  ]);
  store.remove('Account', ctx.accounts.get(C.accounts.deleted.name)!, store.apiUserId);
  clock.set(saved, wasFrozen);
  return store;
}
