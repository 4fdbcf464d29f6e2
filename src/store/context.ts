// What every area of the store works with: the backend, the Kysely to use right now (the open
// transaction's, carried by AsyncLocalStorage, or the database's), and set-based helpers.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Backend } from './backend.js';
import type { Database } from './schema.js';

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

  /** How many values one `IN (…)` list may hold, leaving room for the query's other parameters. */
  get inListSize(): number {
    return this.backend.maxParams - 16;
  }

  /** How many rows of `columns` values one multi-row insert may hold. */
  rowsPerInsert(columns: number): number {
    return Math.max(1, Math.floor(this.backend.maxParams / columns));
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/**
 * Keeps the last row for each key: Postgres refuses an `on conflict do update` that touches
 * the same row twice in one statement, and the last write is the one the caller meant.
 */
export function lastByKey<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(key(row), row);
  return [...byKey.values()];
}

/** `{ col: excluded.col, … }` for an upsert's update set. */
export function excluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql<never>`excluded.${sql.ref(c)}`])) as Record<
    C,
    RawBuilder<never>
  >;
}

export function now(): string {
  return new Date().toISOString();
}
