// Association adjacency, both directions, as flat number arrays [toId, typeId, toId, typeId, …]
// per record: 2M associations fit in ~100 MB instead of gigabytes of small objects.
import type { ObjectTypeName } from '../schema.js';
import { IdMap } from './id-map.js';

export interface AssocType {
  id: number;
  from: ObjectTypeName;
  to: ObjectTypeName;
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  label: string | null;
  inverse: number;
}

// HubSpot-defined ids as listed in HubSpot's SDK (AssociationTypesEnum) and association docs.
const T = (
  id: number,
  from: ObjectTypeName,
  to: ObjectTypeName,
  label: string | null,
  inverse: number,
): AssocType => ({ id, from, to, category: 'HUBSPOT_DEFINED', label, inverse });

export const HUBSPOT_TYPES: AssocType[] = [
  T(3, 'deals', 'contacts', null, 4),
  T(4, 'contacts', 'deals', null, 3),
  T(5, 'deals', 'companies', 'Primary', 6),
  T(6, 'companies', 'deals', 'Primary', 5),
  T(341, 'deals', 'companies', null, 342),
  T(342, 'companies', 'deals', null, 341),
  T(1, 'contacts', 'companies', 'Primary', 2),
  T(2, 'companies', 'contacts', 'Primary', 1),
  T(279, 'contacts', 'companies', null, 280),
  T(280, 'companies', 'contacts', null, 279),
];

const pairKey = (from: ObjectTypeName, to: ObjectTypeName) => `${from}>${to}`;

export class AssociationStore {
  readonly types = new Map<number, AssocType>(HUBSPOT_TYPES.map((t) => [t.id, t]));
  private readonly adj = new Map<string, IdMap<number[]>>();
  count = 0;
  /**
   * Whether a record is live. Associations to archived records are kept (a restore brings them
   * back, as HubSpot's restorable delete does) but hidden from every read through `visible`.
   */
  isLive: (type: ObjectTypeName, id: number) => boolean = () => true;

  /** The unlabeled type HubSpot uses for `associate/default` between two object types. */
  defaultType(from: ObjectTypeName, to: ObjectTypeName): AssocType | undefined {
    for (const t of this.types.values()) if (t.from === from && t.to === to && t.label === null) return t;
    return undefined;
  }

  typesBetween(from: ObjectTypeName, to: ObjectTypeName): AssocType[] {
    return [...this.types.values()].filter((t) => t.from === from && t.to === to);
  }

  private map(from: ObjectTypeName, to: ObjectTypeName): IdMap<number[]> {
    const k = pairKey(from, to);
    let m = this.adj.get(k);
    if (!m) this.adj.set(k, (m = new IdMap()));
    return m;
  }

  /** Pairs [toId, typeId] of one record towards one object type. */
  list(from: ObjectTypeName, fromId: number, to: ObjectTypeName): number[] {
    return this.adj.get(pairKey(from, to))?.get(fromId) ?? [];
  }

  /** Pairs [toId, typeId] towards live records only: what HubSpot's association reads return. */
  visible(from: ObjectTypeName, fromId: number, to: ObjectTypeName): number[] {
    const flat = this.list(from, fromId, to);
    if (!flat.length) return flat;
    let out: number[] | undefined;
    for (let i = 0; i < flat.length; i += 2) {
      const live = this.isLive(to, flat[i]!);
      if (!live && !out) out = flat.slice(0, i);
      else if (live && out) out.push(flat[i]!, flat[i + 1]!);
    }
    return out ?? flat;
  }

  /** Distinct associated live record ids (what counts such as num_associated_deals show). */
  visibleIds(from: ObjectTypeName, fromId: number, to: ObjectTypeName): number[] {
    const flat = this.visible(from, fromId, to);
    const seen = new Set<number>();
    for (let i = 0; i < flat.length; i += 2) seen.add(flat[i]!);
    return [...seen];
  }

  /** Distinct associated record ids, in association order. */
  ids(from: ObjectTypeName, fromId: number, to: ObjectTypeName): number[] {
    const flat = this.list(from, fromId, to);
    const seen = new Set<number>();
    for (let i = 0; i < flat.length; i += 2) seen.add(flat[i]!);
    return [...seen];
  }

  has(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number, typeId: number): boolean {
    const flat = this.list(from, fromId, to);
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === toId && flat[i + 1] === typeId) return true;
    return false;
  }

  /**
   * Associate with one type (and its inverse). A labelled type also brings the unlabeled one, as
   * HubSpot keeps both; a primary (one-per-record) type moves off any previous target.
   */
  add(type: AssocType, fromId: number, toId: number): void {
    if (type.label === 'Primary') {
      for (const prev of this.idsWithType(type.from, fromId, type.to, type.id)) {
        if (prev !== toId) this.removeType(type, fromId, prev);
      }
    }
    this.addOne(type, fromId, toId);
    if (type.label !== null) {
      const plain = this.defaultType(type.from, type.to);
      if (plain) this.addOne(plain, fromId, toId);
    }
  }

  private idsWithType(from: ObjectTypeName, fromId: number, to: ObjectTypeName, typeId: number): number[] {
    const flat = this.list(from, fromId, to);
    const out: number[] = [];
    for (let i = 0; i < flat.length; i += 2) if (flat[i + 1] === typeId) out.push(flat[i]!);
    return out;
  }

  private addOne(type: AssocType, fromId: number, toId: number): void {
    if (this.has(type.from, fromId, type.to, toId, type.id)) return;
    this.addNew(type, fromId, toId);
  }

  /**
   * Bulk generation: an unlabeled pair known not to exist yet (no duplicate check, no primary
   * bookkeeping) — what keeps seeding millions of associations linear.
   */
  addNew(type: AssocType, fromId: number, toId: number): void {
    push(this.map(type.from, type.to), fromId, toId, type.id);
    push(this.map(type.to, type.from), toId, fromId, type.inverse);
    this.count++;
  }

  /** Remove one type (and its inverse); removing the unlabeled type removes them all (HubSpot). */
  removeType(type: AssocType, fromId: number, toId: number): void {
    if (type.label === null) {
      this.removeAll(type.from, fromId, type.to, toId);
      return;
    }
    if (drop(this.map(type.from, type.to), fromId, toId, type.id)) this.count--;
    drop(this.map(type.to, type.from), toId, fromId, type.inverse);
  }

  removeAll(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number): number {
    const n = drop(this.map(from, to), fromId, toId);
    drop(this.map(to, from), toId, fromId);
    this.count -= n;
    return n;
  }

  /**
   * Moves every association of merged records onto the record the merge produced, the primary's
   * first. Where both had a one-per-record "Primary" label (a contact's primary company), the
   * primary's wins and the other's stays unlabelled (HubSpot changelog, "Updated merge functionality
   * for contacts and companies": excess primary associations from secondary records are dropped).
   */
  moveToMerged(type: ObjectTypeName, oldIds: number[], newId: number): void {
    for (const other of ['contacts', 'companies', 'deals'] as ObjectTypeName[]) {
      for (const oldId of oldIds) {
        const flat = [...this.list(type, oldId, other)];
        for (const toId of this.ids(type, oldId, other)) this.removeAll(type, oldId, other, toId);
        for (let i = 0; i < flat.length; i += 2) {
          const t = this.types.get(flat[i + 1]!);
          if (!t) continue;
          const onePerRecord = t.label === 'Primary' && t.to === 'companies' && t.from !== 'companies';
          if (onePerRecord && this.idsWithType(type, newId, other, t.id).length) continue;
          this.addOne(t, newId, flat[i]!);
        }
      }
    }
  }

  /** Forget every association of a record (used when the emulator hard-deletes). */
  removeRecord(type: ObjectTypeName, id: number): void {
    for (const other of ['contacts', 'companies', 'deals'] as ObjectTypeName[]) {
      for (const toId of this.ids(type, id, other)) this.removeAll(type, id, other, toId);
    }
  }

  clear(): void {
    this.adj.clear();
    this.count = 0;
  }
}

function push(m: IdMap<number[]>, fromId: number, toId: number, typeId: number): void {
  const flat = m.get(fromId);
  if (flat) flat.push(toId, typeId);
  else m.set(fromId, [toId, typeId]);
}

/** Drop pairs towards toId (of one type, or all); returns how many were dropped. */
function drop(m: IdMap<number[]>, fromId: number, toId: number, typeId?: number): number {
  const flat = m.get(fromId);
  if (!flat) return 0;
  const keep: number[] = [];
  let n = 0;
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i] === toId && (typeId === undefined || flat[i + 1] === typeId)) n++;
    else keep.push(flat[i]!, flat[i + 1]!);
  }
  if (keep.length) m.set(fromId, keep);
  else m.delete(fromId);
  return n;
}
