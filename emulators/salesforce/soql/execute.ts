// Running a resolved query: pick the cheapest access path (ids → ds.get, parent ids →
// ds.children, else a scan), filter, sort (n log n on precomputed keys), then OFFSET/LIMIT.
import type { SoqlDataSource, SoqlRow } from './catalog.js';
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
  const sorted = sortRows(matched, q.orderBy, ds, offset + limit);
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

// One object shape for both kinds keeps the comparator's property accesses monomorphic.
interface SortKey {
  nums: Float64Array | null;
  strs: (string | null)[] | null;
  desc: boolean;
  nullsLast: boolean;
}

/**
 * Numbers, datetimes and booleans sort on a Float64Array already in final order: negated for DESC,
 * nulls as ±Infinity on the side NULLS FIRST|LAST puts them. Text (case-insensitive), ids and dates
 * keep strings.
 */
function sortKey(o: OrderKey, rows: readonly SoqlRow[], ds: SoqlDataSource): SortKey {
  const n = rows.length;
  const get = o.field.get;
  if (o.field.cls === 'number' || o.field.cls === 'datetime' || o.field.cls === 'boolean') {
    const col = new Float64Array(n);
    const nullValue = o.nullsLast ? Infinity : -Infinity;
    const sign = o.descending ? -1 : 1;
    for (let i = 0; i < n; i++) {
      const v = get(rows[i]!, ds);
      col[i] = v === null ? nullValue : sign * Number(v);
    }
    return { nums: col, strs: null, desc: o.descending, nullsLast: o.nullsLast };
  }
  const col = new Array<string | null>(n);
  const lower = o.field.cls === 'text';
  for (let i = 0; i < n; i++) {
    const v = get(rows[i]!, ds);
    col[i] = v === null ? null : lower ? String(v).toLowerCase() : String(v);
  }
  return { nums: null, strs: col, desc: o.descending, nullsLast: o.nullsLast };
}

/**
 * Stable multi-key sort; ASC puts nulls first and DESC last unless NULLS FIRST|LAST says otherwise.
 * With `take` well below the row count (ORDER BY … LIMIT), keeps only the best `take` rows in a heap:
 * O(n log take) instead of a full sort.
 */
export function sortRows(
  rows: readonly SoqlRow[],
  orderBy: readonly OrderKey[],
  ds: SoqlDataSource,
  take = Infinity,
): SoqlRow[] {
  const n = rows.length;
  const keys = orderBy.map((o) => sortKey(o, rows, ds));
  const count = keys.length;
  // Total order: ties fall back to input order, which keeps the sort stable.
  const cmp = (a: number, b: number): number => {
    for (let k = 0; k < count; k++) {
      const key = keys[k]!;
      const nums = key.nums;
      if (nums !== null) {
        const x = nums[a]!;
        const y = nums[b]!;
        if (x !== y) return x < y ? -1 : 1;
        continue;
      }
      const strs = key.strs!;
      const x = strs[a] as string | null;
      const y = strs[b] as string | null;
      if (x === y) continue;
      if (x === null) return key.nullsLast ? 1 : -1;
      if (y === null) return key.nullsLast ? -1 : 1;
      const c = x < y ? -1 : 1;
      return key.desc ? -c : c;
    }
    return a - b;
  };
  const idx = take * 4 < n ? topK(n, take, cmp) : fullSort(n, cmp);
  const out = new Array<SoqlRow>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = rows[idx[i]!]!;
  return out;
}

function fullSort(n: number, cmp: (a: number, b: number) => number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx.sort(cmp);
}

/** The `k` smallest indices under `cmp`, sorted; a max-heap keeps the worst kept row on top. */
function topK(n: number, k: number, cmp: (a: number, b: number) => number): number[] {
  const heap: number[] = [];
  const siftDown = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let worst = at;
      if (l < heap.length && cmp(heap[l]!, heap[worst]!) > 0) worst = l;
      if (r < heap.length && cmp(heap[r]!, heap[worst]!) > 0) worst = r;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst]!, heap[at]!];
      at = worst;
    }
  };
  for (let i = 0; i < n && k > 0; i++) {
    if (heap.length < k) {
      heap.push(i);
      let at = heap.length - 1;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (cmp(heap[at]!, heap[parent]!) <= 0) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (cmp(i, heap[0]!) < 0) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort(cmp);
}
