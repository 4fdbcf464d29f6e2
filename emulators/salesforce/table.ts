// One sObject type's records. Rows are plain objects keyed by canonical field name, all created
// from one template so every row of a type shares a hidden class (compact, fast to scan).
// Deleted rows stay (IsDeleted = true) until purged from the recycle bin.
import type { SoqlValue } from './soql/catalog.js';
import type { ObjectDef } from './schema.js';
import { makeId } from './ids.js';

export type Row = Record<string, SoqlValue>;

export class Table {
  readonly rows: Row[] = [];
  readonly byId = new Map<string, Row>();
  private readonly make: () => Row;
  private seq = 0;
  /** Deleted rows in order of deletion, for recycle-bin purging. */
  deletedQueue: Row[] = [];
  /** SystemModstamp of the last physically purged deleted row (getDeleted's earliestDateAvailable). */
  purgedUntil: number | undefined;

  constructor(
    public def: ObjectDef,
    private readonly idOffset: number,
  ) {
    // A generated constructor assigns every field in schema order: all rows of the type share one
    // hidden class with in-object properties (object spread of a template is slower and larger).
    const body = def.fields
      .map((f) => `this[${JSON.stringify(f.name)}] = ${f.type === 'boolean' ? 'false' : 'null'};`)
      .join('\n');
    const Ctor = new Function(body) as unknown as new () => Row;
    this.make = () => new Ctor();
  }

  /** A new row with every field present (null/false) and a fresh id. */
  newRow(): Row {
    const row = this.make();
    // Loaded data files may hold ids of this range already: skip them.
    do row.Id = makeId(this.def.keyPrefix, this.idOffset + ++this.seq);
    while (this.byId.has(row.Id));
    return row;
  }

  add(row: Row): void {
    this.rows.push(row);
    this.byId.set(row.Id as string, row);
  }

  get liveCount(): number {
    return this.rows.length - this.deletedQueue.length;
  }

  /** Physically removes deleted rows whose deletion is older than `before`; returns the removed rows. */
  purgeDeletedBefore(before: number): Row[] {
    let n = 0;
    while (n < this.deletedQueue.length && (this.deletedQueue[n]!.SystemModstamp as number) < before) n++;
    if (n === 0) return [];
    const gone = this.deletedQueue.slice(0, n);
    this.deletedQueue = this.deletedQueue.slice(n);
    const goneSet = new Set(gone);
    for (const r of gone) this.byId.delete(r.Id as string);
    const kept = this.rows.filter((r) => !goneSet.has(r));
    this.rows.length = 0;
    for (const r of kept) this.rows.push(r);
    for (const r of gone) this.purgedUntil = Math.max(this.purgedUntil ?? 0, r.SystemModstamp as number);
    return gone;
  }
}
