import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { queryLogger } from '../backend.js';
import type { Backend, BackendOptions } from '../backend.js';
import type { Database } from '../schema.js';
import { postgresBulk } from './bulk.js';
import { postgresDdl } from './ddl.js';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Splits our own `schema` query parameter off a Postgres URL: the store then lives in that
 * schema (created when missing), so several installations or test runs can share a database.
 */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`database URL: schema must be a plain identifier (got "${schema}")`);
  }
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

export async function openPostgresBackend(url: string, options: BackendOptions = {}): Promise<Backend> {
  const { connectionString, schema } = parsePostgresUrl(url);
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } catch (err) {
      // `if not exists` is not atomic in Postgres: processes opening a fresh schema at the same
      // moment can collide on pg_namespace's unique index (23505) or see it appear (42P06). Either
      // way the schema exists now, which is all we asked for.
      const code = (err as { code?: string }).code;
      if (code !== '23505' && code !== '42P06') throw err;
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    // Set at connection start-up, so no query ever runs on the wrong search_path.
    ...(schema !== undefined ? { options: `-c search_path="${schema}"` } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; without a listener that
  // would crash the process. The next query reports the failure where it can be handled.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryLogger(options) });
  let current: string;
  try {
    const { rows } = await pool.query<{ schema: string | null }>('select current_schema() as schema');
    current = rows[0]?.schema ?? 'public';
  } catch (err) {
    await db.destroy();
    throw err;
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
