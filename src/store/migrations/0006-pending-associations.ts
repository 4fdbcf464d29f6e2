// Associations a batch is about to write, noted before it writes them (write-ahead). A batch's
// outcome is stored only after every HubSpot write of it has returned; a process killed in between
// has associated contacts and companies that the stored state does not list, and a contact role
// removed before the batch runs again would leave its association on the deal for good. The note
// is cleared with the batch's outcome, in the same transaction; one still there when the
// opportunity is synced next says what dealbridge may have written (engine/sync/associations.ts).
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function pendingAssociationsMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('pending_associations')
        .ifNotExists()
        .addColumn('opportunity_id', t.text, (c) => c.primaryKey())
        .addColumn('contacts', t.text, (c) => c.notNull())
        .addColumn('companies', t.text, (c) => c.notNull())
        .addColumn('noted_at', t.text, (c) => c.notNull())
        .execute();
    },
  };
}
