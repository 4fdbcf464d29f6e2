// What every area of the store works with: the backend, the Kysely to use right now (the open
// transaction's, carried by AsyncLocalStorage, or the database's), and set-based helpers.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Backend, ColumnKind, ColumnSpec } from './backend.js';
import type { Database } from './schema.js';
import { chunk } from '../lib/chunk.js';

/** How items of type T are written to a table: columns in order, with their kind and value. */
export interface TableWrite<T> {
  table: keyof Database & string;
  columns: readonly (readonly [name: string, kind: ColumnKind, value: (item: T) => unknown])[];
  /** The conflict target, for upserts. */
  key?: readonly string[];
  /** Columns an upsert overwrites (default: every column not in the key). */
  update?: readonly string[];
}

export class StoreContext {
  readonly #current = new AsyncLocalStorage<Kysely<Database>>();

  constructor(readonly backend: Backend) {}

  /** The open transaction of this async context, else the database. */
  db(): Kysely<Database> {
    return this.#current.getStore() ?? this.backend.db;
  }

  inTransaction(): boolean {
    return this.#current.getStore() !== undefined;
  }

  /** Runs fn in a transaction, or inside the one already open (nested calls join it). */
  async atomic<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    return this.backend.db.transaction().execute((trx) => this.#current.run(trx, fn));
  }

  bool(value: boolean) {
    return this.backend.bool(value);
  }

  /** Ids per lookup statement. */
  get batchSize(): number {
    return this.backend.batchSize;
  }

  /** `column IN (values)` as one parameter; pass at most `batchSize` values (see `chunk`). */
  inList(column: string, values: readonly string[]): RawBuilder<boolean> {
    return this.backend.bulk.inList(column, values);
  }

  /**
   * Each item's values as bound parameters, one row at a time: booleans as the backend binds
   * them, numbers in text columns as the JSON path gives them (`1`, not `1.0`). The same array is
   * refilled for every row (runMany binds it before asking for the next): no garbage per row.
   */
  *#rowValues<T>(write: TableWrite<T>, items: readonly T[]): Generator<unknown[]> {
    const columns = write.columns;
    const row: unknown[] = new Array<unknown>(columns.length);
    for (const item of items) {
      for (let i = 0; i < columns.length; i++) {
        const [, kind, value] = columns[i] as (typeof columns)[number];
        row[i] = bindable(kind, value(item), this.backend);
      }
      yield row;
    }
  }

  /**
   * Inserts items (upserts when `write.key` is set), `batchSize` rows per statement, all of
   * them in one transaction. With a key, the last item of each key wins.
   */
  async write<T>(write: TableWrite<T>, items: readonly T[]): Promise<void> {
    const runMany = this.backend.runMany;
    if (runMany !== undefined) {
      if (items.length === 0) return;
      // Row by row: an upsert's later row for a key simply overwrites the earlier one.
      const text = insertText(write);
      const rows = this.#rowValues(write, items);
      await this.atomic(async () => runMany(text, rows));
      return;
    }
    const key = write.key;
    const keyOf = key === undefined ? undefined : keyFunction(write, key);
    const unique = keyOf === undefined ? items : lastByKey(items, keyOf);
    if (unique.length === 0) return;
    const specs: ColumnSpec[] = write.columns.map(([name, kind]) => [name, kind]);
    const names = sql.join(write.columns.map(([name]) => sql.ref(name)));
    const conflict =
      key === undefined
        ? sql``
        : sql` on conflict (${sql.join(key.map((k) => sql.ref(k)))}) do update set ${sql.join(
            (write.update ?? write.columns.map(([name]) => name).filter((n) => !key.includes(n))).map(
              (c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`,
            ),
          )}`;
    const parts = chunk(unique, this.batchSize);
    const writeAll = async () => {
      for (const part of parts) {
        const rows = part.map((item) => write.columns.map(([, , value]) => value(item)));
        const source = this.backend.bulk.rows(specs, rows);
        await sql`insert into ${sql.table(write.table)} (${names}) ${source}${conflict}`.execute(this.db());
      }
    };
    // One statement is atomic by itself; only several need a transaction around them.
    await (parts.length === 1 ? writeAll() : this.atomic(writeAll));
  }
}

function bindable(kind: ColumnKind, v: unknown, backend: Backend): unknown {
  if (v === undefined || v === null) return null;
  if (kind === 'bool') return backend.bool(Boolean(v));
  if (kind === 'text' && typeof v !== 'string') {
    if (typeof v === 'boolean') return v ? '1' : '0';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return v;
}

/** `insert into t (cols) values (?, …) [on conflict (key) do update set …]`, for runMany. */
function insertText<T>(write: TableWrite<T>): string {
  const q = (name: string) => `"${name}"`;
  const names = write.columns.map(([name]) => name);
  const key = write.key;
  const conflict =
    key === undefined
      ? ''
      : ` on conflict (${key.map(q).join(', ')}) do update set ${(
          write.update ?? names.filter((n) => !key.includes(n))
        )
          .map((c) => `${q(c)} = excluded.${q(c)}`)
          .join(', ')}`;
  return `insert into ${q(write.table)} (${names.map(q).join(', ')}) values (${names.map(() => '?').join(', ')})${conflict}`;
}

function keyFunction<T>(write: TableWrite<T>, key: readonly string[]): (item: T) => string {
  const getters = key.map((k) => {
    const column = write.columns.find(([name]) => name === k);
    if (column === undefined) throw new Error(`${write.table}: key column ${k} is not written`);
    return column[2];
  });
  return (item) => JSON.stringify(getters.map((g) => g(item)));
}

export function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/**
 * Keeps the last item for each key: Postgres refuses an `on conflict do update` that touches
 * the same row twice in one statement, and the last write is the one the caller meant.
 */
export function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.values()];
}

/** `{ col: excluded.col, … }` for the update set of a single-row Kysely upsert. */
export function excluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql<never>`excluded.${sql.ref(c)}`])) as Record<
    C,
    RawBuilder<never>
  >;
}

export function now(): string {
  return new Date().toISOString();
}
