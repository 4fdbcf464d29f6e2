// CRM search: POST /crm/v3/objects/{objectType}/search with HubSpot's filter groups (OR of
// ANDs), operators, sorts, free-text `query`, `limit` ≤ 200 and the 10,000-result cap.
import { badRequest, isRecord, objectBody, ok } from '../http.js';
import type { Portal } from '../portal.js';
import { derivedValue, toObject } from '../records.js';
import { objectType, param, route, type Ctx, type Route } from '../router.js';
import type { ObjectTypeName, PropertyDef } from '../schema.js';
import type { Rec } from '../store/objects.js';

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  highValue?: string;
  values?: string[];
}

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);

const QUERY_PROPS: Record<ObjectTypeName, string[]> = {
  contacts: ['email', 'firstname', 'lastname', 'phone', 'company'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname'],
};

const MAX_TOTAL = 10_000;

function parseFilters(raw: unknown): Filter[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw badRequest('filterGroups must be an array');
  if (raw.length > 5) throw badRequest(`Too many filter groups: ${raw.length}. The maximum is 5.`);
  let total = 0;
  const groups = raw.map((g) => {
    const filters = isRecord(g) && Array.isArray(g.filters) ? g.filters : [];
    if (filters.length > 10)
      throw badRequest(`Too many filters in a group: ${filters.length}. The maximum is 10.`);
    total += filters.length;
    return filters.map((f): Filter => {
      if (!isRecord(f) || typeof f.propertyName !== 'string' || typeof f.operator !== 'string') {
        throw badRequest('Each filter needs propertyName and operator');
      }
      if (!OPERATORS.has(f.operator)) throw badRequest(`Unknown filter operator ${f.operator}`);
      return {
        propertyName: f.propertyName,
        operator: f.operator,
        value: f.value === undefined || f.value === null ? undefined : String(f.value as string),
        highValue: f.highValue === undefined ? undefined : String(f.highValue as string),
        values: Array.isArray(f.values) ? f.values.map((v) => String(v)) : undefined,
      };
    });
  });
  if (total > 25) throw badRequest(`Too many filters: ${total}. The maximum is 25 in total.`);
  return groups;
}

/** Comparable form: numbers and dates as numbers, everything else lower-cased text. */
function comparable(def: PropertyDef | undefined, v: string): number | string {
  if (!def) return v.toLowerCase();
  if (def.type === 'number') return Number(v);
  if (def.type === 'datetime' || def.type === 'date') return /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  return v.toLowerCase();
}

function test(def: PropertyDef | undefined, actual: string | undefined, f: Filter): boolean {
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return actual !== undefined && actual !== '';
    case 'NOT_HAS_PROPERTY':
      return actual === undefined || actual === '';
  }
  if (f.operator === 'NEQ' && actual === undefined) return true;
  if (f.operator === 'NOT_IN' && actual === undefined) return true;
  if (f.operator === 'NOT_CONTAINS_TOKEN' && actual === undefined) return true;
  if (actual === undefined) return false;
  const a = comparable(def, actual);
  const c = (v: string | undefined) => comparable(def, v ?? '');
  switch (f.operator) {
    case 'EQ':
      return a === c(f.value);
    case 'NEQ':
      return a !== c(f.value);
    case 'LT':
      return a < c(f.value);
    case 'LTE':
      return a <= c(f.value);
    case 'GT':
      return a > c(f.value);
    case 'GTE':
      return a >= c(f.value);
    case 'BETWEEN':
      return a >= c(f.value) && a <= c(f.highValue);
    case 'IN':
      return (f.values ?? []).some((v) => c(v) === a);
    case 'NOT_IN':
      return !(f.values ?? []).some((v) => c(v) === a);
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const token = (f.value ?? '').toLowerCase();
      const re = new RegExp('^' + token.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
      const hit = String(a)
        .split(/[\s@.,;:_\-/]+/)
        .concat(String(a))
        .some((w) => re.test(w));
      return f.operator === 'CONTAINS_TOKEN' ? hit : !hit;
    }
  }
  return false;
}

function parseSorts(raw: unknown): { name: string; desc: boolean }[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((s) => {
    if (typeof s === 'string') return { name: s.replace(/^-/, ''), desc: s.startsWith('-') };
    if (isRecord(s) && typeof s.propertyName === 'string') {
      return { name: s.propertyName, desc: s.direction === 'DESCENDING' };
    }
    throw badRequest('sorts must be property names or {propertyName, direction}');
  });
}

function search(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const portal: Portal = ctx.portal;
  const body = objectBody(ctx.body ?? {});
  const groups = parseFilters(body.filterGroups);
  const limit = body.limit === undefined ? 10 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 200)
    throw badRequest(`limit must be between 0 and 200, got ${String(body.limit)}`);
  const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(after) || after < 0) throw badRequest('after must be a non-negative integer offset');
  if (after + limit > MAX_TOTAL) {
    throw badRequest(
      `The search API returns at most ${MAX_TOTAL} results per query; page past that is not possible.`,
    );
  }
  const defs = portal.properties[type];
  const query = typeof body.query === 'string' ? body.query.trim().toLowerCase() : '';
  const sorts = parseSorts(body.sorts);
  const val = (rec: Rec, name: string) => derivedValue(portal, type, rec, name);

  const hits: Rec[] = [];
  for (const rec of portal.objects[type].values()) {
    if (rec.archivedAt) continue;
    if (
      groups.length &&
      !groups.some((g) => g.every((f) => test(defs.get(f.propertyName), val(rec, f.propertyName), f)))
    ) {
      continue;
    }
    if (query && !QUERY_PROPS[type].some((p) => (rec.p[p] ?? '').toLowerCase().includes(query))) continue;
    hits.push(rec);
  }
  if (sorts.length) {
    hits.sort((x, y) => {
      for (const s of sorts) {
        const def = defs.get(s.name);
        const a = val(x, s.name);
        const b = val(y, s.name);
        if (a === b) continue;
        if (a === undefined) return 1;
        if (b === undefined) return -1;
        const ca = comparable(def, a);
        const cb = comparable(def, b);
        const r = ca < cb ? -1 : ca > cb ? 1 : 0;
        if (r) return s.desc ? -r : r;
      }
      return x.id - y.id;
    });
  }
  const wanted = Array.isArray(body.properties) ? body.properties.map(String) : undefined;
  const page = hits.slice(after, after + limit);
  const out: Record<string, unknown> = {
    total: hits.length,
    results: page.map((r) => toObject(portal, type, r, wanted)),
  };
  const next = after + limit;
  if (next < hits.length && next < MAX_TOTAL) out.paging = { next: { after: String(next) } };
  return ok(out);
}

export const searchRoutes: Route[] = [
  route('POST', '/crm/v3/objects/{objectType}/search', search, { search: true }),
];
