// The messy org's closing-note counts and its case table (issue #11): what became of every
// opportunity — synced, synced with a code (a warning, or a part that failed), a coded error, out
// of scope, deleted in Salesforce, or lost — read afresh from both emulators and the store's errors.
// The case table groups the opportunities by MESSY_CASES (and by the incremental changes, when
// given). Used by src/engine/messy-org.integration.test.ts and scripts/messy-report.mjs.
import { MESSY_CASES as C, messyLongName } from '../../../emulators/salesforce/messy-people.js';
import { errorCatalogue, isErrorCode } from '../../errors/index.js';
import { listAll, listerFor } from '../../verify/index.js';
import type { MessyChanges, MessyWorld, SfContact } from './messy-org.js';
import { hubspotContactsOf } from './messy-org.js';

export type Outcome = 'synced' | 'synced with code' | 'coded error' | 'out of scope' | 'deleted' | 'lost';

export interface OpportunityOutcome {
  id: string;
  name: string;
  outcome: Outcome;
  /** The codes the store holds for it (errors, or warnings of a synced record). */
  codes: string[];
  /** Why it is out of scope: `no_contact_role` or `no_contact_in_hubspot`. */
  reason?: string;
}

export interface CaseRow {
  /** The MESSY_CASES key (or `changes.…` for the incremental changes). */
  key: string;
  what: string;
  opportunities: number;
  outcomes: Partial<Record<Outcome, number>>;
  codes: Record<string, number>;
}

export interface MessyReport {
  records: {
    opportunities: number;
    deletedOpportunities: number;
    accounts: number;
    contacts: number;
    users: number;
    contactRoles: number;
  };
  hubspot: { deals: number; contacts: number; companies: number };
  outcomes: Record<Outcome, number>;
  outOfScope: Record<string, number>;
  /** Codes of records that did not sync (opportunities without a deal; contacts, companies). */
  errorsByCode: Record<string, number>;
  /** Codes of opportunities that synced: warnings, or a part that failed (e.g. an association). */
  syncedWithCodeByCode: Record<string, number>;
  /** Codes the catalogue does not know, or whose entry has no fix: must be none. */
  uncatalogued: string[];
  lost: number;
  lostIds: string[];
  cases: CaseRow[];
  opportunities: OpportunityOutcome[];
}

interface SfOppRow {
  Id: string;
  Name: string;
  IsDeleted: boolean;
  Type: string | null;
  OwnerId: string;
  AccountId: string | null;
  RecordTypeId: string | null;
  StageName: string;
  OpportunityContactRoles: { records: { ContactId: string; IsDeleted?: boolean }[] } | null;
}

const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

export async function messyReport(w: MessyWorld, changes?: MessyChanges): Promise<MessyReport> {
  const { sfRest, store } = w;
  const all = await sfRest.queryAll<SfOppRow>(
    'SELECT Id, Name, IsDeleted, Type, OwnerId, AccountId, RecordTypeId, StageName, ' +
      '(SELECT ContactId, IsDeleted FROM OpportunityContactRoles) FROM Opportunity ORDER BY Name',
  );
  const contacts = await sfRest.query<SfContact>('SELECT Id, Email, AccountId FROM Contact');
  const accounts = await sfRest.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Account');
  const users = await sfRest.query<{ Id: string; Email: string }>('SELECT Id, Email FROM User');
  const hsContactOf = await hubspotContactsOf(w, contacts);
  const list = listerFor(w.hs);
  if (!list) throw new Error('the HubSpot adapter exposes no transport to list with');
  const [deals, hsContacts, companies] = await Promise.all([
    listAll(list, 'deals', ['salesforce_opportunity_id']),
    listAll(list, 'contacts', ['email']),
    listAll(list, 'companies', ['domain']),
  ]);
  const dealOf = new Set(deals.map((d) => d.properties.salesforce_opportunity_id).filter(Boolean));
  const codesOf = new Map<string, string[]>();
  const errorsByCode: Record<string, number> = {};
  const syncedWithCodeByCode: Record<string, number> = {};
  const uncatalogued = new Set<string>();
  for (const e of await store.listErrors()) {
    codesOf.set(e.recordKey, [...(codesOf.get(e.recordKey) ?? []), e.code]);
    if (!isErrorCode(e.code) || !errorCatalogue[e.code].fix.trim()) uncatalogued.add(e.code);
  }
  for (const [key, codes] of codesOf) {
    const synced = key.startsWith('opportunity:') && dealOf.has(key.slice('opportunity:'.length));
    for (const code of codes) bump(synced ? syncedWithCodeByCode : errorsByCode, code);
  }

  const outcomes: OpportunityOutcome[] = [];
  const outOfScope: Record<string, number> = {};
  let roles = 0;
  for (const o of all) {
    const live = (o.OpportunityContactRoles?.records ?? []).filter((r) => !r.IsDeleted);
    if (!o.IsDeleted) roles += live.length;
    const codes = codesOf.get(`opportunity:${o.Id}`) ?? [];
    const base = { id: o.Id, name: o.Name, codes };
    if (o.IsDeleted) outcomes.push({ ...base, outcome: 'deleted' });
    else if (dealOf.has(o.Id))
      outcomes.push({ ...base, outcome: codes.length ? 'synced with code' : 'synced' });
    else if (codes.length) outcomes.push({ ...base, outcome: 'coded error' });
    else if (live.length === 0)
      outcomes.push({ ...base, outcome: 'out of scope', reason: 'no_contact_role' });
    else if (!live.some((r) => hsContactOf.has(r.ContactId)))
      outcomes.push({ ...base, outcome: 'out of scope', reason: 'no_contact_in_hubspot' });
    else outcomes.push({ ...base, outcome: 'lost' });
  }
  const counts: Record<Outcome, number> = {
    synced: 0,
    'synced with code': 0,
    'coded error': 0,
    'out of scope': 0,
    deleted: 0,
    lost: 0,
  };
  for (const o of outcomes) {
    counts[o.outcome]++;
    if (o.reason) bump(outOfScope, o.reason);
  }
  const lostIds = outcomes.filter((o) => o.outcome === 'lost').map((o) => o.id);
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const userId = (email: string) => users.find((u) => u.Email.toLowerCase() === email.toLowerCase())?.Id;
  const contactIds = (pred: (c: SfContact) => boolean) => new Set(contacts.filter(pred).map((c) => c.Id));
  const withRoleOf = (ids: Set<string>) =>
    all.filter((o) => (o.OpportunityContactRoles?.records ?? []).some((r) => ids.has(r.ContactId)));
  const named = (...names: string[]) => all.filter((o) => names.includes(o.Name));
  const prefixed = (p: string) => all.filter((o) => o.Name.startsWith(p));
  const accountId = (name: string) => accounts.find((a) => a.Name === name)?.Id;
  const lower = (s: string | null) => (s ?? '').toLowerCase();

  const groups: [string, string, { Id: string }[]][] = [
    [
      'recordTypes',
      'Master-record-type opportunities (RecordTypeId null)',
      prefixed(C.recordTypes.masterOpportunityPrefix),
    ],
    [
      'inactiveStage',
      `stage ${C.inactiveStage.stage} (inactive)`,
      prefixed(C.inactiveStage.opportunityPrefix),
    ],
    [
      'typesNotInDealtype',
      'Type values outside dealtype',
      all.filter((o) => /^Type .+ - Deal \d+$/.test(o.Name)),
    ],
    ['users.inactive', 'owner inactive in Salesforce', named(C.opportunities.ownedByInactive)],
    ['users.placeholderEmail', 'owner with a placeholder email', named(C.opportunities.ownedByPlaceholder)],
    [
      'users.withoutHubspotOwner',
      'owner without a HubSpot owner',
      named(C.opportunities.ownedByNoHubspotOwner),
    ],
    [
      'users.ownerEmailOtherCase',
      'owner whose HubSpot email differs in case',
      all.filter((o) => o.OwnerId === userId(C.users.ownerEmailOtherCase)),
    ],
    ['contacts.withoutEmail', 'roles of contacts without email', withRoleOf(contactIds((c) => !c.Email))],
    [
      'contacts.sameEmailOtherCase',
      'two contacts sharing one email in other case',
      withRoleOf(contactIds((c) => lower(c.Email) === C.contacts.sameEmailOtherCase[0])),
    ],
    ['contacts.twiceInRoles', 'one contact twice in the roles', named(C.contacts.twiceInRoles.opportunity)],
    ['contacts.sixtyRoles', '60 contact roles', named(C.contacts.sixtyRoles.opportunity)],
    ['contacts.merged', 'contact merged in Salesforce (seed)', named(C.contacts.merged.loserOpportunity)],
    [
      'contacts.mergedInHubspot',
      'contacts merged in HubSpot (seed)',
      withRoleOf(contactIds((c) => lower(c.Email) === C.contacts.mergedInHubspot.merged)),
    ],
    [
      'accounts.sharedDomain',
      'accounts sharing a website domain',
      all.filter((o) => C.accounts.sharedDomain.names.some((n) => o.Name === `${n} - Freight platform`)),
    ],
    [
      'accounts.withoutWebsite',
      'accounts without website',
      all.filter((o) => C.accounts.withoutWebsite.some((n) => o.AccountId === accountId(n))),
    ],
    [
      'accounts.deleted',
      'account deleted (its opportunities with it)',
      prefixed(C.accounts.deleted.opportunityPrefix),
    ],
    ['accounts.merged', 'account merged in Salesforce (seed)', named(C.accounts.merged.loserOpportunity)],
    ['opportunities.withoutAccount', 'no account', named(...C.opportunities.withoutAccount)],
    [
      'opportunities.amounts',
      'amounts null, 0, negative, 4 decimals',
      named(...Object.keys(C.opportunities.amounts)),
    ],
    ['opportunities.longNameLength', '120-character name, quotes and emoji', named(messyLongName())],
    [
      'opportunities.longDescription',
      '32,000-character description, RTL, control characters',
      named(C.opportunities.longDescription),
    ],
    [
      'opportunities.closeDates',
      'close dates 1970 and 2099',
      named(...Object.keys(C.opportunities.closeDates)),
    ],
  ];
  if (changes) {
    const ids = (...xs: string[]) => xs.map((Id) => ({ Id }));
    groups.push(
      [
        'changes.plainOpportunities',
        'created through REST without RecordTypeId',
        ids(...changes.plainOpportunities),
      ],
      ['changes.stageChanged', 'stage changed in Salesforce', ids(changes.stageChanged)],
      ['changes.roleAdded', 'contact role added', ids(changes.roleAdded.opportunity)],
      [
        'changes.salesforceMerge',
        'contacts merged in Salesforce',
        ids(...changes.salesforceMerge.opportunities),
      ],
      [
        'changes.salesforceAccountMerge',
        'accounts sharing a domain merged in Salesforce',
        ids(...changes.salesforceAccountMerge.opportunities),
      ],
      [
        'changes.dealEdited',
        'deal edited in HubSpot, then the opportunity changed',
        ids(changes.dealEdited.opportunity),
      ],
      [
        'changes.dealDeleted',
        'deal deleted in HubSpot, then the opportunity changed',
        ids(changes.dealDeleted.opportunity),
      ],
      [
        'changes.hubspotContactMerge',
        'contacts merged in HubSpot (their deals, and a new opportunity)',
        ids(...changes.hubspotContactMerge.opportunities, changes.hubspotContactMerge.newOpportunity),
      ],
      [
        'changes.hubspotContactDeleted',
        'contact deleted in HubSpot (its deals, and a new opportunity)',
        ids(...changes.hubspotContactDeleted.opportunities, changes.hubspotContactDeleted.newOpportunity),
      ],
    );
  }
  const cases = groups.map(([key, what, opps]): CaseRow => {
    const row: CaseRow = { key, what, opportunities: opps.length, outcomes: {}, codes: {} };
    for (const { Id } of opps) {
      const o = byId.get(Id);
      if (!o) continue;
      row.outcomes[o.outcome] = (row.outcomes[o.outcome] ?? 0) + 1;
      for (const c of o.codes) bump(row.codes, c);
    }
    return row;
  });

  return {
    records: {
      opportunities: all.filter((o) => !o.IsDeleted).length,
      deletedOpportunities: all.filter((o) => o.IsDeleted).length,
      accounts: accounts.length,
      contacts: contacts.length,
      users: users.length,
      contactRoles: roles,
    },
    hubspot: { deals: deals.length, contacts: hsContacts.length, companies: companies.length },
    outcomes: counts,
    outOfScope,
    errorsByCode,
    syncedWithCodeByCode,
    uncatalogued: [...uncatalogued],
    lost: lostIds.length,
    lostIds,
    cases,
    opportunities: outcomes,
  };
}

const kv = (m: Record<string, number>) =>
  Object.entries(m)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '—';

/** The closing note's counts and the case table, as Markdown. */
export function formatMessyReport(r: MessyReport): string {
  const lines = [
    `Records: ${r.records.opportunities} opportunities (+${r.records.deletedOpportunities} deleted), ` +
      `${r.records.accounts} accounts, ${r.records.contacts} contacts, ${r.records.users} users, ` +
      `${r.records.contactRoles} contact roles.`,
    `HubSpot: ${r.hubspot.deals} deals, ${r.hubspot.contacts} contacts, ${r.hubspot.companies} companies.`,
    `Outcomes: ${kv(r.outcomes)}.`,
    `Out of scope: ${kv(r.outOfScope)}.`,
    `Errors by code (records not synced): ${kv(r.errorsByCode)}.`,
    `Codes on synced opportunities (warnings, or a part that failed): ${kv(r.syncedWithCodeByCode)}.`,
    `Lost: ${r.lost}${r.lost ? ` (${r.lostIds.join(', ')})` : ''}.`,
    '',
    '| Case | What | Opportunities | Outcome | Codes |',
    '|---|---|---:|---|---|',
    ...r.cases.map(
      (c) => `| \`${c.key}\` | ${c.what} | ${c.opportunities} | ${kv(c.outcomes)} | ${kv(c.codes)} |`,
    ),
  ];
  return lines.join('\n');
}
