// Compact in-memory records of one object type. Derived values (hs_object_id, createdate,
// last-modified, closed flags, home-currency amount) are not stored but computed on read, which
// keeps a million deals to a few hundred bytes each.
import type { ObjectTypeName } from '../schema.js';
import { IdMap } from './id-map.js';

export interface Rec {
  id: number;
  /** Stored property values, always strings; a cleared property is deleted. */
  p: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  /** 0 while live, else the archive time (ms). */
  archivedAt: number;
  /**
   * Values set through the API, oldest first, flat: name, value ('' = cleared), time, source, …
   * (one array per written record rather than an object per change: cheap to keep and to GC).
   */
  h?: (string | number)[];
}

/** Contacts' email is matched case-insensitively, as HubSpot dedupes on it. */
export function uniqueKey(type: ObjectTypeName, prop: string, value: string): string {
  return type === 'contacts' && prop === 'email' ? value.toLowerCase() : value;
}

/**
 * The values a record holds for a unique property. A contact's additional emails (a merge puts the
 * merged contact's address there) stay taken: HubSpot's merge docs say no new contact can be
 * created with the merged contact's email.
 */
function uniqueValues(type: ObjectTypeName, prop: string, rec: Rec): string[] {
  const v = rec.p[prop];
  const out = v === undefined ? [] : [v];
  if (type === 'contacts' && prop === 'email' && rec.p.hs_additional_emails)
    out.push(...rec.p.hs_additional_emails.split(';').filter(Boolean));
  return out;
}

/**
 * Records generated in bulk (benchmarks): ids first … first+count-1, built on first use. Until
 * then a record exists only as its index, which is what lets a million deals be seeded in a
 * blink and cost no memory; once read for a write it is a normal record.
 */
export interface Generated {
  first: number;
  count: number;
  /** A fresh record for index i, as generated. */
  make(i: number): Rec;
  /** The index whose generated value of unique property `prop` is `key`, or -1. */
  find(prop: string, key: string): number;
}

export class ObjectStore {
  readonly recs = new IdMap<Rec>();
  /** Ids in ascending order (ids only grow), for O(log n) `after` paging. */
  readonly order: number[] = [];
  /** property name → normalized value → record id, for live records only. */
  readonly unique = new Map<string, Map<string, number>>();
  liveCount = 0;
  private gens: Generated[] = [];

  constructor(
    readonly type: ObjectTypeName,
    uniqueProps: Iterable<string>,
  ) {
    for (const p of uniqueProps) this.unique.set(p, new Map());
  }

  addUniqueProperty(name: string): void {
    if (this.unique.has(name)) return;
    const idx = new Map<string, number>();
    for (const r of this.values()) {
      if (r.archivedAt) continue;
      for (const v of uniqueValues(this.type, name, r)) idx.set(uniqueKey(this.type, name, v), r.id);
    }
    this.unique.set(name, idx);
  }

  /** The record (built and kept if it was generated and not used yet). */
  get(id: number): Rec | undefined {
    const r = this.recs.get(id);
    if (r !== undefined || !this.gens.length) return r;
    const g = this.genOf(id);
    if (!g) return undefined;
    const made = g.make(id - g.first);
    this.recs.set(id, made);
    this.indexAll(made);
    return made;
  }

  live(id: number): Rec | undefined {
    const r = this.get(id);
    return r && !r.archivedAt ? r : undefined;
  }

  /** Whether a record exists and is not archived, without building a generated one (hot read paths). */
  isLive(id: number): boolean {
    const r = this.recs.get(id);
    if (r !== undefined) return !r.archivedAt;
    return this.gens.length > 0 && this.genOf(id) !== undefined;
  }

  /** Every record in id order; generated ones not used yet are built for the caller only. */
  *values(): IterableIterator<Rec> {
    if (!this.gens.length) {
      yield* this.recs.values();
      return;
    }
    for (const id of this.order) {
      const r = this.recs.get(id);
      if (r !== undefined) yield r;
      else {
        const g = this.genOf(id);
        if (g) yield g.make(id - g.first);
      }
    }
  }

  /** The id holding a unique value: indexed records first, then untouched generated ones. */
  private holder(prop: string, value: string): number | undefined {
    const key = uniqueKey(this.type, prop, value);
    const id = this.unique.get(prop)?.get(key);
    if (id !== undefined) return id;
    for (const g of this.gens) {
      const i = g.find(prop, key);
      // A generated record that was built is in the index with its current value instead.
      if (i >= 0 && i < g.count && this.recs.get(g.first + i) === undefined) return g.first + i;
    }
    return undefined;
  }

  byUnique(prop: string, value: string): Rec | undefined {
    if (!this.unique.has(prop)) return undefined;
    const id = this.holder(prop, value);
    return id === undefined ? undefined : this.live(id);
  }

  /** Which live record other than `selfId` already holds this unique value. */
  conflict(prop: string, value: string, selfId?: number): number | undefined {
    if (!this.unique.has(prop)) return undefined;
    const id = this.holder(prop, value);
    return id !== undefined && id !== selfId ? id : undefined;
  }

  /** Register records generated on demand (ids must be above every id stored so far). */
  addGenerated(g: Generated): void {
    if (!g.count) return;
    this.recs.reserve(g.first, g.count);
    for (let i = 0; i < g.count; i++) this.order.push(g.first + i);
    this.liveCount += g.count;
    this.gens.push(g);
  }

  private genOf(id: number): Generated | undefined {
    for (const g of this.gens) if (id >= g.first && id < g.first + g.count) return g;
    return undefined;
  }

  insert(rec: Rec): void {
    this.recs.set(rec.id, rec);
    const last = this.order[this.order.length - 1];
    if (last === undefined || rec.id > last) this.order.push(rec.id);
    else this.order.splice(lowerBound(this.order, rec.id), 0, rec.id);
    if (!rec.archivedAt) {
      this.liveCount++;
      this.indexAll(rec);
    }
  }

  /** Apply already-validated changes; `null` clears. Returns the names whose value changed. */
  apply(rec: Rec, changes: Record<string, string | null>, at: number): string[] {
    const changed: string[] = [];
    for (const k in changes) {
      const v = changes[k]!;
      const old = rec.p[k];
      if ((v ?? undefined) === old) continue;
      const idx = this.unique.get(k);
      if (idx && old !== undefined) idx.delete(uniqueKey(this.type, k, old));
      if (v === null) delete rec.p[k];
      else {
        rec.p[k] = v;
        if (idx) idx.set(uniqueKey(this.type, k, v), rec.id);
      }
      changed.push(k);
    }
    if (changed.length) rec.updatedAt = at;
    return changed;
  }

  archive(rec: Rec, at: number): void {
    if (rec.archivedAt) return;
    rec.archivedAt = at;
    rec.updatedAt = at;
    this.liveCount--;
    for (const [k, idx] of this.unique) {
      for (const v of uniqueValues(this.type, k, rec))
        if (idx.get(uniqueKey(this.type, k, v)) === rec.id) idx.delete(uniqueKey(this.type, k, v));
    }
  }

  restore(rec: Rec, at: number): void {
    if (!rec.archivedAt) return;
    rec.archivedAt = 0;
    rec.updatedAt = at;
    this.liveCount++;
    this.indexAll(rec);
  }

  logValue(rec: Rec, name: string, value: string | null, at: number, source: string): void {
    if (rec.h) rec.h.push(name, value ?? '', at, source);
    else rec.h = [name, value ?? '', at, source];
  }

  clear(): void {
    this.gens = [];
    this.recs.clear();
    this.order.length = 0;
    this.liveCount = 0;
    for (const idx of this.unique.values()) idx.clear();
  }

  private indexAll(rec: Rec): void {
    for (const [k, idx] of this.unique)
      for (const v of uniqueValues(this.type, k, rec)) idx.set(uniqueKey(this.type, k, v), rec.id);
  }
}

/** First index whose id is >= `id`. */
export function lowerBound(sorted: number[], id: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
