// Runs one test suite against every backend, as Kysely runs one suite over every dialect: SQLite
// (a temp file per test), Postgres (a fresh schema per test, dropped afterwards, so parallel runs
// never collide) and the engine's in-memory test store, so that the store the engine's unit tests
// run on cannot drift from the real ones. A suite about what only SQL has (connections,
// migrations, statements, processes) says so with describeEachSqlDialect.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe } from 'node:test';
import pg from 'pg';
import type { StateStore } from '../../engine/ports/store.js';
import { MemoryStore } from '../../engine/testing/memory-store.js';
import { openStore } from '../index.js';
import type { DialectName, Store, StoreOptions } from '../index.js';

export const POSTGRES_TEST_URL =
  process.env.DEALBRIDGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Backend = DialectName | 'memory';

/** What every backend offers a suite: a fresh store. */
export interface StoreHarness {
  dialect: Backend;
  /** A fresh store (migrated, for SQL), closed after the test. */
  open(): Promise<StateStore & { readonly dialect: Backend }>;
}

/** A SQL backend: statement hooks, and locations a test can open twice or hand to a process. */
export interface DialectHarness {
  dialect: DialectName;
  /** A fresh, migrated store, closed after the test. */
  open(options?: StoreOptions): Promise<Store>;
  /** The database URL of another fresh store location (for tests that open it twice). */
  freshUrl(): Promise<string>;
  /** Opens a URL (from freshUrl) and closes the store after the test. */
  openUrl(url: string, options?: StoreOptions): Promise<Store>;
}

let counter = 0;
function uniqueName(): string {
  counter += 1;
  return `dbt_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

function harnessFor(dialect: DialectName): DialectHarness {
  const opened: Store[] = [];
  const schemas: string[] = [];
  let dir: string | undefined;

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  after(async () => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    if (schemas.length === 0) return;
    const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    try {
      for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });

  const freshUrl = (): Promise<string> => {
    if (dialect === 'sqlite') {
      dir ??= mkdtempSync(join(tmpdir(), 'dealbridge-store-'));
      return Promise.resolve(`sqlite:${join(dir, `${uniqueName()}.db`)}`);
    }
    const schema = uniqueName();
    schemas.push(schema);
    const url = new URL(POSTGRES_TEST_URL);
    url.searchParams.set('schema', schema);
    return Promise.resolve(url.toString());
  };

  return {
    dialect,
    freshUrl,
    async open(options?: StoreOptions) {
      return this.openUrl(await freshUrl(), options);
    },
    async openUrl(url: string, options?: StoreOptions) {
      const store = await openStore(url, options);
      opened.push(store);
      return store;
    },
  };
}

function memoryHarness(): StoreHarness {
  return {
    dialect: 'memory',
    open: () => Promise.resolve(Object.assign(new MemoryStore(), { dialect: 'memory' as const })),
  };
}

/** `describe(title [sqlite])`, `[postgres]` and `[memory]`, each given its harness. */
export function describeEachDialect(title: string, body: (h: StoreHarness) => void): void {
  describeEachSqlDialect(title, body);
  void describe(`${title} [memory]`, () => body(memoryHarness()));
}

/**
 * `describe(title [sqlite])` and `[postgres]` only: for suites about what the in-memory store
 * does not have (database connections, migrations, SQL statements, other processes). Each caller
 * says why its suite is SQL-only.
 */
export function describeEachSqlDialect(title: string, body: (h: DialectHarness) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    void describe(`${title} [${dialect}]`, () => body(harnessFor(dialect)));
  }
}
