import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { queryLogger } from '../backend.js';
import { storeError, withStoreErrors, type StoreWhere } from '../errors.js';
import type { Backend, BackendOptions } from '../backend.js';
import type { Database } from '../schema.js';
import { postgresBulk } from './bulk.js';
import { postgresDdl } from './ddl.js';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A server that accepts connections and never answers must not hang a command: connecting
 * (socket and start-up) gives up after `connect_timeout` seconds (libpq's URL parameter, default
 * 10), a statement after 60 s on the server (statement_timeout), and a query whose answer never
 * comes after 75 s on the client (query_timeout: the server may be the thing that hangs). The
 * longest statements, set-based writes of 10,000 rows, take well under a second.
 */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;
export const STATEMENT_TIMEOUT_MS = 60_000;
export const QUERY_TIMEOUT_MS = 75_000;

export interface PostgresUrl {
  connectionString: string;
  schema: string | undefined;
  connectTimeoutMs: number;
  host: string;
  port: number;
}

/**
 * Splits our own `schema` query parameter off a Postgres URL (the store then lives in that
 * schema, created when missing, so several installations or test runs can share a database), and
 * reads `connect_timeout` and where the server is (for messages).
 */
export function parsePostgresUrl(url: string): PostgresUrl {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`database URL: schema must be a plain identifier (got "${schema}")`);
  }
  parsed.searchParams.delete('schema');
  const rawTimeout = parsed.searchParams.get('connect_timeout');
  const seconds = rawTimeout === null ? DEFAULT_CONNECT_TIMEOUT_S : Number(rawTimeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`database URL: connect_timeout must be a number of seconds > 0 (got "${rawTimeout}")`);
  parsed.searchParams.delete('connect_timeout');
  return {
    connectionString: parsed.toString(),
    schema,
    connectTimeoutMs: seconds * 1000,
    host: decodeURIComponent(parsed.hostname) || 'localhost',
    port: parsed.port === '' ? 5432 : Number(parsed.port),
  };
}

export async function openPostgresBackend(url: string, options: BackendOptions = {}): Promise<Backend> {
  const { connectionString, schema, connectTimeoutMs, host, port } = parsePostgresUrl(url);
  const where: StoreWhere = { dialect: 'postgres', host, port };
  const timeouts = {
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  };
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString, ...timeouts });
    // A client that failed to connect emits 'error' too; the rejection below reports it.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => {});
      throw storeError(err, where);
    }
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } catch (err) {
      // `if not exists` is not atomic in Postgres: processes opening a fresh schema at the same
      // moment can collide on pg_namespace's unique index (23505) or see it appear (42P06). Either
      // way the schema exists now, which is all we asked for.
      const code = (err as { code?: string }).code;
      if (code !== '23505' && code !== '42P06') throw storeError(err, where);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    ...timeouts,
    // Set at connection start-up, so no query ever runs on the wrong search_path.
    ...(schema !== undefined ? { options: `-c search_path="${schema}"` } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; without a listener that
  // would crash the process. The next query reports the failure where it can be handled.
  pool.on('error', () => {});
  // A checked-out client losing its connection (Postgres restarted, a proxy cut) emits 'error' on
  // the client, which the pool does not forward: unheard, it would crash the process where the
  // query's own rejection already reports it (node-postgres issues #2439, #3202). /readyz found it.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({
    dialect: withStoreErrors(new PostgresDialect({ pool }), where),
    log: queryLogger(options),
  });
  let current: string;
  try {
    const { rows } = await pool.query<{ schema: string | null }>('select current_schema() as schema');
    current = rows[0]?.schema ?? 'public';
  } catch (err) {
    await db.destroy();
    throw storeError(err, where);
  }
  return {
    schema: current,
    dialect: 'postgres',
    db,
    batchSize: 10_000,
    bulk: postgresBulk,
    ddl: postgresDdl,
    bool: (value) => value,
    close: () => db.destroy(),
  };
}
