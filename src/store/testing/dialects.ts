// Runs one test suite against every backend: SQLite (a temp file per test) and Postgres (a
// fresh schema per test, dropped afterwards, so parallel runs never collide).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe } from 'node:test';
import pg from 'pg';
import { openStore } from '../index.js';
import type { Store, StoreOptions } from '../index.js';

export const POSTGRES_TEST_URL =
  process.env.DEALBRIDGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface DialectHarness {
  dialect: 'sqlite' | 'postgres';
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

function harnessFor(dialect: 'sqlite' | 'postgres'): DialectHarness {
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

/** `describe(title [sqlite])` and `describe(title [postgres])`, each given its harness. */
export function describeEachDialect(title: string, body: (h: DialectHarness) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    void describe(`${title} [${dialect}]`, () => body(harnessFor(dialect)));
  }
}
