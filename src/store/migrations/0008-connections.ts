// Connections made from the web UI or `dealbridge connect` (issue #16): one row per connection
// and side. `details` is plain JSON (who is connected, the instance URL, scopes, when it last
// answered); `secrets` holds the tokens and client secret sealed with AES-256-GCM (src/secrets),
// and `key_id` the fingerprint of the key they were sealed under. Keyed by a `connection` name
// ('default' for now) so that several connections can live here later.
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function connectionsMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('connections')
        .ifNotExists()
        .addColumn('connection', t.text, (c) => c.notNull())
        .addColumn('side', t.text, (c) => c.notNull())
        .addColumn('details', t.text, (c) => c.notNull())
        .addColumn('secrets', t.text, (c) => c.notNull())
        .addColumn('key_id', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('connections_pk', ['connection', 'side'])
        .execute();
    },
  };
}
