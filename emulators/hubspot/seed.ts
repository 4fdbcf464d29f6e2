// Portal contents: the demo portal (people shared with the Salesforce emulator's demo org),
// generated bulk data for benchmarks, and load/export of a JSON portal file.
import { demoPeople } from '../salesforce/demo-people.js';
import { HubError, isRecord } from './http.js';
import type { Portal } from './portal.js';
import { OBJECT_TYPE_NAMES, type ObjectTypeName } from './schema.js';
import type { Rec } from './store/objects.js';
import type { AssocType } from './store/associations.js';
import { checkValue } from './validate.js';

/**
 * The demo portal: owners for all but the last Salesforce demo user, contacts for about 80 % of
 * the demo contacts (every fifth is missing; every fourth kept one differs in letter case),
 * companies for three in four of the accounts that have a domain, contacts linked to their company,
 * the default sales pipeline, and EUR/GBP enabled next to USD.
 */
export function seedDemo(portal: Portal): void {
  const people = demoPeople();
  people.users.slice(0, -1).forEach((u, i) => {
    portal.addOwner({
      id: 70000001 + i,
      userId: 9100001 + i,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
    });
  });
  portal.addRate('EUR', 1.08, Date.UTC(2024, 0, 1));
  portal.addRate('GBP', 1.27, Date.UTC(2024, 0, 1));

  const at = portal.now();
  const companyByAccount = new Map<string, number>();
  let withDomain = 0;
  people.accounts.forEach((a) => {
    if (!a.domain || withDomain++ % 4 === 3) return;
    const rec = insert(portal, 'companies', { name: a.name, domain: a.domain }, at);
    companyByAccount.set(a.name, rec.id);
  });
  const primary = portal.associations.types.get(1)!;
  people.contacts.forEach((c, i) => {
    if (i % 5 === 4) return;
    const email = i % 4 === 1 ? recase(c.email) : c.email;
    const rec = insert(
      portal,
      'contacts',
      { email, firstname: c.firstName, lastname: c.lastName, lifecyclestage: 'lead' },
      at,
    );
    const company = c.accountName ? companyByAccount.get(c.accountName) : undefined;
    if (company !== undefined) portal.associations.add(primary, rec.id, company);
  });
}

/** `jane.doe@x.example` → `Jane.Doe@x.example`: same address for HubSpot's case-insensitive match. */
export function recase(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.replace(/(^|[._-])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase())}@${domain}`;
}

export function insert(portal: Portal, type: ObjectTypeName, p: Record<string, string>, at: number): Rec {
  const rec: Rec = { id: portal.newId(), p, createdAt: at, updatedAt: at, archivedAt: 0 };
  portal.objects[type].insert(rec);
  return rec;
}

export interface SeedSizes {
  deals?: number;
  contacts?: number;
  companies?: number;
  /** Associations to generate: deal→contact (3), and deal→company (341) when companies exist. */
  associations?: number;
  /** Create this unique-value deal property and fill it with `BENCH-<n>` (upsert benchmarks). */
  uniqueProperty?: string;
  /** Build every generated record now instead of on first use (memory measurements). */
  materialize?: boolean;
}

const STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'contractsent',
  'closedwon',
  'closedlost',
];

/** `prefix<i>suffix` → i (canonical decimal below `count`), else -1. */
function indexIn(key: string, prefix: string, suffix: string, count: number): number {
  if (!key.startsWith(prefix) || !key.endsWith(suffix)) return -1;
  const digits = key.slice(prefix.length, key.length - suffix.length);
  if (!/^(0|[1-9]\d*)$/.test(digits)) return -1;
  const i = Number(digits);
  return i < count ? i : -1;
}

/**
 * Generated records for benchmarks: no JSON, no validation, no events. Records are registered as
 * id ranges and built on first use (`Generated` in store/objects.ts); `materialize: true` builds
 * them all now (to measure what a portal of real records holds). Associations are stored at once.
 */
export function seedSizes(
  portal: Portal,
  sizes: SeedSizes,
): { deals: number; contacts: number; companies: number } {
  const at = portal.now();
  const day = 86_400_000;
  const base = Date.UTC(2024, 0, 1);
  const key = sizes.uniqueProperty;
  if (key) ensureUniqueProperty(portal, 'deals', key);
  const rec = (id: number, p: Record<string, string>): Rec => ({
    id,
    p,
    createdAt: at,
    updatedAt: at,
    archivedAt: 0,
  });
  const range = (n: number | undefined) => {
    const count = Math.max(0, Math.floor(n ?? 0));
    const first = portal.nextId + 1;
    portal.nextId += count;
    return { first, count };
  };

  const contacts = range(sizes.contacts);
  portal.objects.contacts.addGenerated({
    ...contacts,
    make: (i) =>
      rec(contacts.first + i, {
        email: `bench${i}@bench.example`,
        firstname: 'Bench',
        lastname: `Contact ${i}`,
      }),
    find: (prop, k) => (prop === 'email' ? indexIn(k, 'bench', '@bench.example', contacts.count) : -1),
  });
  const companies = range(sizes.companies);
  portal.objects.companies.addGenerated({
    ...companies,
    make: (i) => rec(companies.first + i, { name: `Bench Co ${i}`, domain: `bench${i}.example` }),
    find: () => -1,
  });
  // Values repeat with short periods: build each distinct string once, share it between records.
  const amounts = Array.from({ length: 997 }, (_, i) => String(1000 + i * 10));
  const closeDates = Array.from({ length: 365 }, (_, i) => new Date(base + i * day).toISOString());
  const deals = range(sizes.deals);
  portal.objects.deals.addGenerated({
    ...deals,
    make: (i) => {
      const p: Record<string, string> = {
        dealname: `Bench deal ${i}`,
        amount: amounts[i % 997]!,
        pipeline: 'default',
        dealstage: STAGES[i % STAGES.length]!,
        closedate: closeDates[i % 365]!,
      };
      if (key) p[key] = `BENCH-${i}`;
      return rec(deals.first + i, p);
    },
    find: (prop, k) => (prop === key ? indexIn(k, 'BENCH-', '', deals.count) : -1),
  });
  if (sizes.materialize) {
    for (const [t, r] of [
      ['contacts', contacts],
      ['companies', companies],
      ['deals', deals],
    ] as const) {
      for (let i = 0; i < r.count; i++) portal.objects[t].get(r.first + i);
    }
  }

  // Distinct pairs: the r-th round gives every deal one more contact (even r) or company (odd r).
  const n = sizes.associations ?? 0;
  if (n && deals.count) {
    const assoc = portal.associations;
    const toContact = assoc.types.get(3)!;
    const toCompany = assoc.types.get(341)!;
    // Round r pairs deal d with target (d·k + r) mod size: distinct pairs while the rounds are
    // fewer than the targets, so the duplicate check can be skipped (it is what made 2M slow).
    const rounds = Math.ceil(n / deals.count);
    const fresh = rounds <= Math.min(contacts.count || Infinity, companies.count || Infinity);
    for (let k = 0; k < n; k++) {
      const d = k % deals.count;
      const r = Math.floor(k / deals.count);
      const useCompany = companies.count > 0 && (r % 2 === 1 || contacts.count === 0);
      const from = deals.first + d;
      let t: AssocType | undefined;
      let to = 0;
      if (useCompany) {
        t = toCompany;
        to = companies.first + ((d * 3 + r) % companies.count);
      } else if (contacts.count) {
        t = toContact;
        to = contacts.first + ((d * 7 + r) % contacts.count);
      }
      if (t) {
        if (fresh) assoc.addNew(t, from, to);
        else assoc.add(t, from, to);
      }
    }
  }
  return { deals: deals.count, contacts: contacts.count, companies: companies.count };
}

export function ensureUniqueProperty(portal: Portal, type: ObjectTypeName, name: string): void {
  const defs = portal.properties[type];
  if (!defs.has(name)) {
    const at = portal.now();
    defs.set(name, {
      name,
      label: name,
      type: 'string',
      fieldType: 'text',
      groupName: [...portal.groups[type].keys()][0] ?? 'dealinformation',
      description: '',
      options: [],
      displayOrder: defs.size,
      hasUniqueValue: true,
      hidden: false,
      formField: true,
      calculated: false,
      externalOptions: false,
      hubspotDefined: false,
      readOnlyValue: false,
      readOnlyDefinition: false,
      createdAt: at,
      updatedAt: at,
      archived: false,
    });
  }
  portal.objects[type].addUniqueProperty(name);
}

/**
 * Load `{owners, currencies, objects: {deals: [{id?, properties}]}, associations: [{from, fromId,
 * to, toId, typeId}]}`. Property values are checked against the portal's definitions.
 */
export function loadPortalData(portal: Portal, data: unknown): void {
  if (!isRecord(data)) throw new HubError(400, 'VALIDATION_ERROR', 'portal data must be an object');
  for (const o of arr(data.owners)) {
    if (isRecord(o) && typeof o.email === 'string') {
      portal.addOwner({
        email: o.email,
        firstName: str(o.firstName),
        lastName: str(o.lastName),
        id: typeof o.id === 'number' || typeof o.id === 'string' ? Number(o.id) : undefined,
      });
    }
  }
  if (isRecord(data.currencies)) {
    if (typeof data.currencies.companyCurrency === 'string')
      portal.companyCurrency = data.currencies.companyCurrency;
    for (const r of arr(data.currencies.rates)) {
      if (isRecord(r) && typeof r.code === 'string') portal.addRate(r.code, Number(r.rate));
    }
  }
  const at = portal.now();
  const objects = isRecord(data.objects) ? data.objects : {};
  for (const type of OBJECT_TYPE_NAMES) {
    for (const raw of arr(objects[type])) {
      if (!isRecord(raw)) continue;
      const p: Record<string, string> = {};
      for (const [k, v] of Object.entries(isRecord(raw.properties) ? raw.properties : {})) {
        const def = portal.properties[type].get(k);
        if (!def || v === null || v === '' || def.readOnlyValue) continue;
        const r = checkValue(portal, type, def, String(v));
        if (typeof r !== 'string') throw new HubError(400, 'VALIDATION_ERROR', `${type} ${k}: ${r.message}`);
        p[k] = r;
      }
      const id = raw.id === undefined ? portal.newId() : Number(raw.id);
      if (id > portal.nextId) portal.nextId = id;
      portal.objects[type].insert({ id, p, createdAt: at, updatedAt: at, archivedAt: 0 });
    }
  }
  for (const a of arr(data.associations)) {
    if (!isRecord(a)) continue;
    const t = portal.associations.types.get(Number(a.typeId));
    if (t) portal.associations.add(t, Number(a.fromId), Number(a.toId));
  }
}

/** The portal as loadable JSON (small portals: tests, sandbox snapshots). */
export function exportPortalData(portal: Portal): Record<string, unknown> {
  const objects: Record<string, unknown[]> = {};
  const associations: unknown[] = [];
  for (const type of OBJECT_TYPE_NAMES) {
    objects[type] = [...portal.objects[type].values()]
      .filter((r) => !r.archivedAt)
      .map((r) => ({ id: String(r.id), properties: { ...r.p } }));
    for (const other of OBJECT_TYPE_NAMES) {
      for (const r of portal.objects[type].values()) {
        const flat = portal.associations.list(type, r.id, other);
        for (let i = 0; i < flat.length; i += 2) {
          const t = portal.associations.types.get(flat[i + 1]!);
          // Each pair is stored both ways; export the direction with the smaller type id once.
          if (t && t.id < t.inverse)
            associations.push({ from: type, fromId: r.id, to: other, toId: flat[i], typeId: t.id });
        }
      }
    }
  }
  return {
    owners: [...portal.owners.values()].map((o) => ({
      id: o.id,
      email: o.email,
      firstName: o.firstName,
      lastName: o.lastName,
    })),
    currencies: {
      companyCurrency: portal.companyCurrency,
      rates: [...portal.rates.values()].map((r) => ({ code: r.fromCurrencyCode, rate: r.conversionRate })),
    },
    objects,
    associations,
  };
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
