import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, DialectAdapter, Driver } from 'kysely';
import type { Backend, BackendOptions } from '../backend.js';
import type { Database } from '../schema.js';
import { queryLogger } from '../backend.js';
import { storeError, withStoreErrors, type StoreWhere } from '../errors.js';
import { sqliteBulk } from './bulk.js';
import { sqliteDdl } from './ddl.js';

const BUSY_TIMEOUT_MS = 5_000;

// A deferred `begin` that reads and later writes cannot wait for another process's write lock:
// SQLite answers SQLITE_BUSY at once instead of calling the busy handler. `begin immediate`
// takes the write lock up front, so concurrent writers queue on the busy timeout instead.
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

// Kysely runs SQLite migrations outside a transaction, trusting its single connection to keep
// them apart; two processes opening a fresh file at once would both migrate. SQLite does run DDL
// in transactions, and with `begin immediate` the second process waits, then finds nothing to do.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase.Database;
  constructor(database: SqliteDatabase.Database) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * Switches a database to WAL (kept in the file, so only its first opener really switches). The
 * switch needs an exclusive lock and SQLite answers SQLITE_BUSY at once, without the busy
 * handler, when another process holds any lock on the file, as happens when several processes
 * open a fresh database together: so it is retried here, within the busy timeout.
 */
function enableWal(database: SqliteDatabase.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      if (database.pragma('journal_mode', { simple: true }) === 'wal') return;
      database.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
      // Synchronous on purpose: opening the store is synchronous (better-sqlite3).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

/**
 * The state file holds customer data: a new one is created 0600 in a new folder 0700 (SQLite gives
 * its -wal and -shm files the database file's mode). Existing files and folders keep their modes.
 */
function createPrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
}

function openDatabase(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') createPrivately(file);
  const database = new SqliteDatabase(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // WAL lets readers (status, the web UI) run while the sync writes; NORMAL sync is still
    // durable against a killed process, which is the crash the connector must survive.
    enableWal(database);
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return database;
  } catch (err) {
    database.close();
    throw err;
  }
}

/** Opens (creating it and its folder) a SQLite database file, or `:memory:`. */
export function openSqliteBackend(file: string, options: BackendOptions = {}): Backend {
  const where: StoreWhere = { dialect: 'sqlite', file };
  let database: SqliteDatabase.Database;
  try {
    database = openDatabase(file);
  } catch (err) {
    throw storeError(err, where);
  }
  const db = new Kysely<Database>({
    dialect: withStoreErrors(new ImmediateSqliteDialect(database), where),
    log: queryLogger(options),
  });
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    dialect: 'sqlite',
    db,
    batchSize: 10_000,
    bulk: sqliteBulk,
    ddl: sqliteDdl,
    bool: (value) => (value ? 1 : 0),
    runMany(sqlText, rows) {
      let stmt = statements.get(sqlText);
      if (stmt === undefined) {
        stmt = database.prepare(sqlText);
        statements.set(sqlText, stmt);
      }
      const started = performance.now();
      try {
        for (const row of rows) stmt.run(row);
      } catch (err) {
        throw storeError(err, where);
      }
      // One prepared statement, run in-process per row: reported once, as Kysely reports a statement.
      options.onQuery?.(sqlText, performance.now() - started);
    },
    close: () => db.destroy(),
  };
}
