// The Change Data Capture subscription's state: the replay id of the last event whose outcome is
// stored (written in the same transaction as that outcome, so a restart resumes after it, never
// before nor past it), when that event was committed, and which path is live (for `status` and
// Sync health in another process). One row per channel subscribed.
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function cdcStateMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('cdc_state')
        .ifNotExists()
        .addColumn('channel', t.text, (c) => c.primaryKey())
        .addColumn('replay_id', t.text)
        .addColumn('last_event_at', t.text)
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('reason', t.text)
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();
    },
  };
}
