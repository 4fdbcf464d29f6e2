// The Change Data Capture status carries the catalogue code of why the feed is not live
// (CDC_NOT_SELECTED, CDC_STREAM_DOWN, …): `status --json` and Sync health show the code's message
// and fix. Nullable: live, connecting and off have none, nor do rows written before this migration.
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function cdcStatusCodeMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('cdc_state').addColumn('code', t.text).execute();
    },
  };
}
