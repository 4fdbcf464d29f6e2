// Dead letters (issue #17): an error that failed 20 times, or for 7 days, stops being retried by
// itself and waits for a person (`dealbridge errors retry`, Resync in the web UI). The marker is
// the time it was dead-lettered; such a row has no next retry time. Nullable: every row stored
// before this migration is an ordinary error or warning, retried (or not) as before.
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function deadLettersMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sync_errors').addColumn('dead_lettered_at', t.text).execute();
    },
  };
}
