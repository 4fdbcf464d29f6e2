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

type SortValue = string | number | null;

function sortValue(v: SoqlValue, text: boolean): SortValue {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return text && typeof v === 'string' ? v.toLowerCase() : v;
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
  const cols = orderBy.map((o) => {
    const col = new Array<SortValue>(n);
    const text = o.field.cls === 'text';
    for (let i = 0; i < n; i++) col[i] = sortValue(o.field.get(rows[i]!, ds), text);
    return col;
  });
  const desc = orderBy.map((o) => o.descending);
  const nullsLast = orderBy.map((o) => o.nullsLast);
  const keys = cols.length;
  // Total order: ties fall back to input order, which keeps the sort stable.
  const cmp = (a: number, b: number): number => {
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
  };
  const idx = take * 4 < n ? topK(n, take, cmp) : fullSort(n, cmp);
  return idx.map((i) => rows[i]!);
}

function fullSort(n: number, cmp: (a: number, b: number) => number): number[] {
  const idx = new Array<number>(n);
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
