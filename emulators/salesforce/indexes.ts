// Secondary indexes of the record store, each built on first use and then kept in step with
// writes: children by parent id (reference field → parent → rows) and external ids by lower-cased
// value. Keys are `<lower-case type>.<Field>`.
import type { Row } from './table.js';

type Index = Map<string, Row[]>;

function add(idx: Index, key: string, row: Row): void {
  const list = idx.get(key);
  if (list) list.push(row);
  else idx.set(key, [row]);
}

function remove(idx: Index, key: string, row: Row): void {
  const list = idx.get(key);
  if (!list) return;
  const i = list.indexOf(row);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) idx.delete(key);
}

const refKey = (v: unknown) => (typeof v === 'string' ? v : undefined);
const extKey = (v: unknown) => (v === null || v === undefined ? undefined : String(v).toLowerCase());

export class Indexes {
  private readonly byParent = new Map<string, Index>();
  private readonly byExternal = new Map<string, Index>();

  constructor(private readonly rowsOf: (type: string) => readonly Row[]) {}

  private build(
    map: Map<string, Index>,
    type: string,
    field: string,
    keyOf: (v: unknown) => string | undefined,
  ): Index {
    const name = `${type.toLowerCase()}.${field}`;
    let idx = map.get(name);
    if (!idx) {
      idx = new Map();
      for (const r of this.rowsOf(type)) {
        const k = keyOf(r[field]);
        if (k !== undefined) add(idx, k, r);
      }
      map.set(name, idx);
    }
    return idx;
  }

  /** Rows of `childType` whose reference `field` is `parentId` (deleted ones included). */
  children(childType: string, field: string, parentId: string): readonly Row[] {
    return this.build(this.byParent, childType, field, refKey).get(parentId) ?? [];
  }

  /** Rows whose `field` equals `value` case-insensitively (deleted ones included). */
  external(type: string, field: string, value: string): readonly Row[] {
    return this.build(this.byExternal, type, field, extKey).get(value.toLowerCase()) ?? [];
  }

  private each(
    type: string,
    fn: (idx: Index, field: string, keyOf: (v: unknown) => string | undefined) => void,
    only?: string,
  ): void {
    const prefix = `${type.toLowerCase()}.`;
    for (const [map, keyOf] of [
      [this.byParent, refKey],
      [this.byExternal, extKey],
    ] as const) {
      for (const [name, idx] of map) {
        if (!name.startsWith(prefix)) continue;
        const field = name.slice(prefix.length);
        if (only === undefined || only === field) fn(idx, field, keyOf);
      }
    }
  }

  /** A new row was stored. */
  inserted(type: string, row: Row): void {
    this.each(type, (idx, field, keyOf) => {
      const k = keyOf(row[field]);
      if (k !== undefined) add(idx, k, row);
    });
  }

  /** A row was physically removed. */
  purged(type: string, row: Row): void {
    this.each(type, (idx, field, keyOf) => {
      const k = keyOf(row[field]);
      if (k !== undefined) remove(idx, k, row);
    });
  }

  /** Writes `value` into `row[field]`, keeping the indexes of that field in step. */
  write(type: string, row: Row, field: string, value: Row[string]): void {
    if (row[field] === value) return;
    this.each(
      type,
      (idx, f, keyOf) => {
        const k = keyOf(row[f]);
        if (k !== undefined) remove(idx, k, row);
      },
      field,
    );
    row[field] = value;
    this.each(
      type,
      (idx, f, keyOf) => {
        const k = keyOf(row[f]);
        if (k !== undefined) add(idx, k, row);
      },
      field,
    );
  }
}
