// Record issues get a severity: 'warning' for records that synced with something left out (an
// owner or a Type value), 'error' for the rest. Warnings are listed and counted apart and have no
// retry time. Rows stored before this migration were all handled as errors and keep that, except
// the codes that were always warnings in fact: they lose their retry time too, so the records
// stop being re-synced every few hours for nothing.
import { sql, type Kysely, type Migration } from 'kysely';
import type { Ddl } from '../backend.js';

const ALWAYS_WARNINGS = ['OWNER_NOT_FOUND', 'CURSOR_TOO_OLD'];

export function errorSeverityMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('sync_errors')
        .addColumn('severity', t.text, (c) => c.notNull().defaultTo('error'))
        .execute();
      await sql`update sync_errors set severity = 'warning', next_retry_at = null where code in (${sql.join(ALWAYS_WARNINGS)})`.execute(
        db,
      );
      await db.schema
        .createIndex('sync_errors_severity_code')
        .ifNotExists()
        .on('sync_errors')
        .columns(['severity', 'code'])
        .execute();
    },
  };
}
