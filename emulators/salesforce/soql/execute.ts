// Running a resolved query: pick the cheapest access path (ids → ds.get, parent ids →
// ds.children, else a scan), filter, sort (n log n on precomputed keys), then OFFSET/LIMIT.
import type { SoqlDataSource, SoqlRow, SoqlValue } from './catalog.js';
import type { OrderKey, ResolvedQuery } from './plan.js';
import { compilePredicate, type Predicate } from './predicate.js';

export interface RunOptions {
  includeDeleted: boolean;
}

const predicateCache = new WeakMap<ResolvedQuery, { at: number; pred: Predicate }>();

/** The compiled WHERE for this clock reading (date literals depend on it). */
function predicateFor(q: ResolvedQuery, now: Date): Predicate | undefined {
  if (!q.where) return undefined;
  const at = now.getTime();
  const hit = predicateCache.get(q);
  if (hit && hit.at === at) return hit.pred;
  const pred = compilePredicate(q.where, now);
  predicateCache.set(q, { at, pred });
  return pred;
}

function* candidates(q: ResolvedQuery, ds: SoqlDataSource, opts: RunOptions): Iterable<SoqlRow> {
  const access = q.access;
  if (access?.kind === 'ids') {
    for (const id of access.ids) {
      const row = ds.get(q.sobject, id);
      // ds.get also returns deleted rows (for parent lookups); a query sees them only with queryAll.
      if (row && (opts.includeDeleted || row.IsDeleted !== true)) yield row;
    }
  } else if (access?.kind === 'children') {
    for (const parentId of access.parentIds) yield* ds.children(q.sobject, access.field, parentId, opts);
  } else {
    yield* ds.scan(q.sobject, opts);
  }
}

export interface Selection {
  /** Rows after OFFSET/LIMIT (empty for COUNT()). */
  rows: SoqlRow[];
  /** Row count after OFFSET/LIMIT (the COUNT() result). */
  count: number;
}

export function select(
  q: ResolvedQuery,
  source: Iterable<SoqlRow>,
  ds: SoqlDataSource,
  now: Date,
): Selection {
  const pred = predicateFor(q, now);
  const limit = q.limit ?? Infinity;
  const offset = q.offset;
  if (q.isCount || q.orderBy.length === 0) {
    const rows: SoqlRow[] = [];
    let matched = 0;
    if (limit > 0) {
      for (const row of source) {
        if (pred && !pred(row, ds)) continue;
        matched++;
        if (matched <= offset) continue;
        if (!q.isCount) rows.push(row);
        if (matched - offset >= limit) break;
      }
    }
    return { rows, count: Math.max(0, matched - offset) };
  }
  const matched: SoqlRow[] = [];
  for (const row of source) if (!pred || pred(row, ds)) matched.push(row);
  const sorted = sortRows(matched, q.orderBy, ds);
  const rows = offset === 0 && limit >= sorted.length ? sorted : sorted.slice(offset, offset + limit);
  return { rows, count: rows.length };
}

export function runTop(q: ResolvedQuery, ds: SoqlDataSource, opts: RunOptions): Selection {
  return select(q, candidates(q, ds, opts), ds, ds.now());
}

export function runChildren(
  q: ResolvedQuery,
  parentField: string,
  parentId: string,
  ds: SoqlDataSource,
  opts: RunOptions,
  now: Date,
): SoqlRow[] {
  return select(q, ds.children(q.sobject, parentField, parentId, opts), ds, now).rows;
}

type SortValue = string | number | null;

function sortValue(v: SoqlValue, text: boolean): SortValue {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return text && typeof v === 'string' ? v.toLowerCase() : v;
}

/** Stable multi-key sort; ASC puts nulls first and DESC last unless NULLS FIRST|LAST says otherwise. */
export function sortRows(
  rows: readonly SoqlRow[],
  orderBy: readonly OrderKey[],
  ds: SoqlDataSource,
): SoqlRow[] {
  const n = rows.length;
  const cols = orderBy.map((o) => {
    const col = new Array<SortValue>(n);
    const text = o.field.cls === 'text';
    for (let i = 0; i < n; i++) col[i] = sortValue(o.field.get(rows[i]!, ds), text);
    return col;
  });
  const desc = orderBy.map((o) => o.descending);
  const nullsLast = orderBy.map((o) => o.nullsLast);
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const keys = cols.length;
  idx.sort((a, b) => {
    for (let k = 0; k < keys; k++) {
      const col = cols[k]!;
      const x = col[a] as SortValue;
      const y = col[b] as SortValue;
      if (x === y) continue;
      if (x === null) return nullsLast[k] ? 1 : -1;
      if (y === null) return nullsLast[k] ? -1 : 1;
      const c = x < y ? -1 : 1;
      return desc[k] ? -c : c;
    }
    return a - b;
  });
  const out = new Array<SoqlRow>(n);
  for (let i = 0; i < n; i++) out[i] = rows[idx[i]!]!;
  return out;
}
