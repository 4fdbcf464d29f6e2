// Storage failures as catalogued errors: a locked, unopenable or read-only SQLite file, and a
// Postgres server that refuses, is not there, or does not answer, each named by its file or by
// host and port, with the catalogue's fix. Anything else (a constraint, a bug) stays as it was.
import { DealbridgeError } from '../errors/index.js';
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';

export type StoreWhere =
  { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; host: string; port: number };

const describe = (w: StoreWhere) =>
  w.dialect === 'sqlite' ? `the SQLite state file ${w.file}` : `the Postgres server ${w.host}:${w.port}`;

// Node's socket errors, pg's own timeouts, and the SQLSTATE classes of a server that is going
// away or not yet there: 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now),
// 57014 (statement_timeout fired: the server stopped answering in time).
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
]);
const PG_UNREACHABLE = /^(08|57P0[123]$|57014$)/;
const PG_TIMEOUT = /timeout|Connection terminated/i;
// Login refused (28), no such database (3D000): reachable but not usable as configured.
const PG_CANNOT_OPEN = /^(28|3D000$)/;

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(err: unknown): string {
  const m = (err as { message?: unknown } | null)?.message;
  return typeof m === 'string' && m !== '' ? m : String(err);
}

/** The catalogued form of a storage error, or the error itself when it is not one. */
export function storeError(err: unknown, where: StoreWhere): unknown {
  if (err instanceof DealbridgeError) return err;
  const code = codeOf(err);
  const why = messageOf(err);
  const make = (
    c: 'STORE_UNREACHABLE' | 'STORE_BUSY' | 'STORE_CANNOT_OPEN' | 'STORE_READ_ONLY',
    text: string,
  ) =>
    new DealbridgeError(c, `${text} (${why})`, {
      field: 'DEALBRIDGE_DATABASE_URL',
      cause: err,
    });
  if (where.dialect === 'sqlite') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return make(
        'STORE_BUSY',
        `${describe(where)} stayed locked by another process for longer than the 5 s busy timeout`,
      );
    if (code.startsWith('SQLITE_READONLY') || code === 'EROFS')
      return make(
        'STORE_READ_ONLY',
        `${describe(where)} cannot be written: it, its folder or the disk is read-only`,
      );
    if (
      code.startsWith('SQLITE_CANTOPEN') ||
      ['EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'EISDIR'].includes(code)
    )
      return make('STORE_CANNOT_OPEN', `${describe(where)} cannot be opened or created`);
    return err;
  }
  if (NET_CODES.has(code) || PG_UNREACHABLE.test(code) || (code === '' && PG_TIMEOUT.test(why)))
    return make('STORE_UNREACHABLE', `${describe(where)} did not answer`);
  if (PG_CANNOT_OPEN.test(code))
    return make('STORE_CANNOT_OPEN', `${describe(where)} refused the login or the database`);
  return err;
}

class TranslatingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly where: StoreWhere,
  ) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (err) {
      throw storeError(err, this.where);
    }
  }
  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (err) {
      throw storeError(err, this.where);
    }
  }
}

/** A driver whose every failure passes through storeError; otherwise the inner driver's. */
class TranslatingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly where: StoreWhere,
  ) {}
  async #wrap<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(err, this.where);
    }
  }
  #unwrap(c: DatabaseConnection): DatabaseConnection {
    return c instanceof TranslatingConnection ? c.inner : c;
  }
  init() {
    return this.#wrap(() => this.inner.init());
  }
  acquireConnection() {
    return this.#wrap(
      async () => new TranslatingConnection(await this.inner.acquireConnection(), this.where),
    );
  }
  beginTransaction(c: DatabaseConnection, settings: TransactionSettings) {
    return this.#wrap(() => this.inner.beginTransaction(this.#unwrap(c), settings));
  }
  commitTransaction(c: DatabaseConnection) {
    return this.#wrap(() => this.inner.commitTransaction(this.#unwrap(c)));
  }
  rollbackTransaction(c: DatabaseConnection) {
    return this.#wrap(() => this.inner.rollbackTransaction(this.#unwrap(c)));
  }
  async savepoint(
    c: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['savepoint']>>[2],
  ) {
    const inner = this.inner;
    if (!inner.savepoint) throw new Error('savepoints are not supported by this driver');
    return this.#wrap(() => inner.savepoint!(this.#unwrap(c), name, compile));
  }
  async rollbackToSavepoint(
    c: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2],
  ) {
    const inner = this.inner;
    if (!inner.rollbackToSavepoint) throw new Error('savepoints are not supported by this driver');
    return this.#wrap(() => inner.rollbackToSavepoint!(this.#unwrap(c), name, compile));
  }
  async releaseSavepoint(
    c: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2],
  ) {
    const inner = this.inner;
    if (!inner.releaseSavepoint) throw new Error('savepoints are not supported by this driver');
    return this.#wrap(() => inner.releaseSavepoint!(this.#unwrap(c), name, compile));
  }
  releaseConnection(c: DatabaseConnection) {
    return this.inner.releaseConnection(this.#unwrap(c));
  }
  destroy() {
    return this.inner.destroy();
  }
}

/** The dialect with its driver's errors translated (see storeError). */
export function withStoreErrors(dialect: Dialect, where: StoreWhere): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), where),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
