// Loading an org from a JSON document (`--data FILE`, POST /__emulator/load) and exporting one
// (GET /__emulator/export). Format (docs/emulators/salesforce.md):
// { "base": "empty"|"demo", "options": {multiCurrency, currencies, corporateCurrency, datedRates},
//   "records": { "Account": [{ "@ref": "acme", "Name": "Acme" }], "Opportunity": [{ "AccountId": "@acme", ...}] } }
// Ids may be given (18 or 15 characters) or left to the emulator; "@ref" names a record so later
// records can point at it with "@name". Datetimes are ISO 8601 strings, dates YYYY-MM-DD.
import type { SoqlValue } from './soql/catalog.js';
import type { Clock } from './clock.js';
import type { OrgStore } from './store.js';
import { seedDemo, seedEmpty } from './seed.js';
import type { SeedOptions } from './seed.js';
import { normalizeId } from './ids.js';
import { formatDateTime, parseDate, parseDateTime } from './time.js';
import type { Row } from './table.js';

export interface OrgDocument {
  base?: 'empty' | 'demo';
  options?: Pick<SeedOptions, 'multiCurrency' | 'currencies' | 'corporateCurrency' | 'datedRates' | 'seed'>;
  records?: Record<string, Record<string, unknown>[]>;
}

/** Types whose rows a base org already has and an export leaves out (they are re-created on load). */
const SETUP = new Set(['Organization', 'OpportunityStage', 'CurrencyType']);
/** Load order: parents before children. */
const ORDER = [
  'User',
  'RecordType',
  'DatedConversionRate',
  'Account',
  'Contact',
  'Opportunity',
  'OpportunityContactRole',
];

/** Inserts one document record (ids, @refs, ISO datetimes converted) without validation. */
export function insertRecord(
  store: OrgStore,
  type: string,
  rec: Record<string, unknown>,
  refs = new Map<string, string>(),
  where = type,
): Row {
  const def = store.def(type);
  if (!def) throw new Error(`unknown sObject type ${type}`);
  const values: Record<string, SoqlValue> = {};
  let ref: string | undefined;
  for (const [key, raw] of Object.entries(rec)) {
    if (key === '@ref') {
      ref = String(raw);
      continue;
    }
    if (key === 'attributes') continue;
    const f = def.fieldsByLower.get(key.toLowerCase());
    if (!f) throw new Error(`${where}: no field ${key}`);
    let v = raw as SoqlValue;
    if (typeof v === 'string' && v.startsWith('@') && (f.type === 'reference' || f.type === 'id')) {
      const target = refs.get(v.slice(1));
      if (!target) throw new Error(`${where}.${key}: unknown reference ${v}`);
      v = target;
    } else if (typeof v === 'string' && (f.type === 'reference' || f.type === 'id')) {
      const id = normalizeId(v);
      if (!id) throw new Error(`${where}.${key}: malformed id ${v}`);
      v = id;
    } else if (typeof v === 'string' && f.type === 'datetime') {
      const t = parseDateTime(v);
      if (t === undefined) throw new Error(`${where}.${key}: bad datetime ${v}`);
      v = t;
    } else if (typeof v === 'string' && f.type === 'date') {
      const d = parseDate(v);
      if (d === undefined) throw new Error(`${where}.${key}: bad date ${v}`);
      v = d;
    } else if (typeof v === 'object' && v !== null) {
      throw new Error(`${where}.${key}: objects are not field values`);
    }
    values[f.name] = v ?? null;
  }
  if (values.IsDeleted === true) throw new Error(`${where}: deleted records cannot be loaded`);
  if (typeof values.Id === 'string' && store.typeOfId(values.Id)?.name !== def.name)
    throw new Error(`${where}: Id ${values.Id} is not a ${def.name} id`);
  const existing = typeof values.Id === 'string' ? store.table(def.name)?.byId.get(values.Id) : undefined;
  const row = existing ? store.mergeRaw(def.name, existing, values) : store.insertRaw(def.name, values);
  if (ref) refs.set(ref, row.Id as string);
  return row;
}

export function loadOrg(clock: Clock, doc: OrgDocument): OrgStore {
  const opts = doc.options ?? {};
  const store = doc.base === 'demo' ? seedDemo(clock, opts) : seedEmpty(clock, opts);
  const refs = new Map<string, string>();
  const records = doc.records ?? {};
  const types = Object.keys(records).sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  for (const type of types) {
    const def = store.def(type);
    if (!def) throw new Error(`data file: unknown sObject type ${type}`);
    for (const [i, rec] of (records[type] ?? []).entries())
      insertRecord(store, def.name, rec, refs, `${type}[${i}]`);
  }
  return store;
}

/** The org's records as a data document (setup rows that every org has are left out). */
export function exportOrg(store: OrgStore): OrgDocument {
  const records: Record<string, Record<string, unknown>[]> = {};
  for (const t of store.allTables()) {
    if (SETUP.has(t.def.name)) continue;
    const rows = t.rows.filter((r) => !r.IsDeleted);
    if (rows.length === 0) continue;
    records[t.def.name] = rows.map((r) => {
      const out: Record<string, unknown> = {};
      for (const f of t.def.fields) {
        if (f.name === 'IsDeleted' || f.calculated || (t.def.name === 'Contact' && f.name === 'Name'))
          continue;
        const v = r[f.name];
        if (v === null || v === undefined) continue;
        out[f.name] = f.type === 'datetime' && typeof v === 'number' ? formatDateTime(v) : v;
      }
      return out;
    });
  }
  return {
    base: 'empty',
    options: store.multiCurrency
      ? {
          multiCurrency: true,
          currencies: currencyList(store),
          corporateCurrency: store.corporateCurrency,
          datedRates: false,
        }
      : {},
    records,
  };
}

function currencyList(store: OrgStore) {
  return [...store.scan('CurrencyType', { includeDeleted: false })].map((c) => ({
    code: c.IsoCode as string,
    rate: c.ConversionRate as number,
    decimalPlaces: c.DecimalPlaces as number,
  }));
}
