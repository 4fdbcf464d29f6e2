// The state store: `openStore(url)` picks the backend from the URL, opens it and brings the
// schema up to date. SQLite (better-sqlite3) by default, Postgres (pg) to scale out.
import type { StateStore } from '../engine/ports/store.js';
import type { Backend, BackendOptions, DialectName } from './backend.js';
import { parseStoreLocation } from './location.js';
import { openSqliteBackend } from './sqlite/backend.js';
import { KyselyStateStore } from './store.js';

export type { BackendOptions as StoreOptions, DialectName } from './backend.js';
export { parseStoreLocation } from './location.js';
export { KyselyStateStore } from './store.js';

/** The StateStore plus what the CLI and server need besides (all methods of KyselyStateStore). */
export type Store = KyselyStateStore & StateStore & { migrate(): Promise<void>; dialect: DialectName };

/**
 * Opens the store and migrates it to the latest schema; `migrate: false` opens it as it is (for
 * `dealbridge doctor`, which reports the migration state rather than changing it).
 */
export async function openStore(
  databaseUrl: string,
  options: BackendOptions & { migrate?: boolean } = {},
): Promise<Store> {
  const location = parseStoreLocation(databaseUrl);
  const backend: Backend =
    location.dialect === 'postgres'
      ? // Loaded only when used: pg and its modules cost a SQLite process memory for nothing.
        await (await import('./postgres/backend.js')).openPostgresBackend(location.target, options)
      : openSqliteBackend(location.target, options);
  const store = new KyselyStateStore(backend);
  if (options.migrate === false) return store;
  try {
    // Migrating takes the write lock (SQLite) even when there is nothing to do; a reader such as
    // `status` must open while another process writes, so only a store behind the code migrates.
    if ((await store.migrationStatus()).pending.length > 0) await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
