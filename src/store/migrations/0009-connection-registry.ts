// The connections registry (issue #15): one row per connection added with `dealbridge connections
// add`, naming where its state lives (its namespace: a Postgres schema or a SQLite file of its own)
// and its settings (for now the SALESFORCE_* / HUBSPOT_* values given when it was added). The
// connection `default` has no row: it is this store itself, as it was before this migration, with
// everything in it kept, so a single-connection user changes nothing.
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function connectionRegistryMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('connection_registry')
        .ifNotExists()
        .addColumn('name', t.text, (c) => c.primaryKey())
        .addColumn('namespace', t.text, (c) => c.notNull())
        .addColumn('settings', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();
    },
  };
}
