// A throwaway copy of the state for `dealbridge sync --dry-run`. The dry pass runs on it exactly as
// a pass runs on the store: it reads back what it wrote earlier in the same pass (a link saved by
// one batch, a mirror the rollups read, a cursor or mark just set), so its plan is the pass's, not
// an approximation. The copy is SQLite in memory whatever the original's backend (nothing is
// created on the database server or on disk, and nothing is left behind by a killed process), and
// it is read in one read-only transaction, so a sync running meanwhile never tears it.
//
// The three logs a pass only appends to and never reads are not copied: the audit log, API calls
// and pass summaries. They are the biggest tables, and the copy's own entries are then exactly what
// the dry pass added.
import { sql, type Kysely } from 'kysely';
import type { Backend } from './backend.js';
import type { Database } from './schema.js';

/** Each copied table with its primary key, which the copy pages by. */
const COPIED: readonly { table: keyof Database & string; key: string }[] = [
  { table: 'settings', key: 'key' },
  { table: 'cursors', key: 'name' },
  { table: 'deal_links', key: 'opportunity_id' },
  { table: 'pending_associations', key: 'opportunity_id' },
  { table: 'contact_links', key: 'salesforce_id' },
  { table: 'company_links', key: 'salesforce_id' },
  { table: 'opportunities', key: 'id' },
  { table: 'contact_roles', key: 'id' },
  { table: 'accounts', key: 'id' },
  { table: 'sync_errors', key: 'record_key' },
  { table: 'import_runs', key: 'id' },
  { table: 'cdc_state', key: 'channel' },
];

const PAGE = 5000;

/** How a read-only snapshot transaction starts on each backend. */
const BEGIN_SNAPSHOT: Record<Backend['dialect'], string> = {
  // Deferred: SQLite takes the read snapshot at the first read and no write lock at all.
  sqlite: 'begin',
  postgres: 'begin transaction isolation level repeatable read, read only',
};

/**
 * Copies the state tables of `from` into `to`, a freshly migrated SQLite backend (the caller's
 * scratch store). `to` must be SQLite: rows go in through its prepared-statement path.
 */
export async function copyState(from: Backend, to: Backend): Promise<void> {
  const runMany = to.runMany;
  if (runMany === undefined) throw new Error('the scratch copy must be a SQLite store');
  await from.db.connection().execute(async (conn) => {
    await sql.raw(BEGIN_SNAPSHOT[from.dialect]).execute(conn);
    try {
      for (const { table, key } of COPIED) await copyTable(conn, to, runMany, table, key);
    } finally {
      await sql.raw('rollback').execute(conn);
    }
  });
}

async function copyTable(
  conn: Kysely<Database>,
  to: Backend,
  runMany: NonNullable<Backend['runMany']>,
  table: string,
  key: string,
): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const page: Record<string, unknown>[] = (
      await sql<Record<string, unknown>>`select * from ${sql.table(table)} ${
        after === null ? sql`` : sql`where ${sql.ref(key)} > ${after}`
      } order by ${sql.ref(key)} limit ${PAGE}`.execute(conn)
    ).rows;
    const first = page[0];
    if (first === undefined) return;
    const columns = Object.keys(first);
    const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns
      .map(() => '?')
      .join(', ')})`;
    // SQLite binds no booleans: Postgres's come back as true/false, SQLite's already as 0/1.
    const rows = page.map((row) =>
      columns.map((c) => {
        const v = row[c];
        return typeof v === 'boolean' ? to.bool(v) : v;
      }),
    );
    await to.db.transaction().execute(async () => runMany(text, rows));
    if (page.length < PAGE) return;
    after = String(page[page.length - 1]?.[key]);
  }
}
