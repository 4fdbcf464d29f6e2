// The mirror keeps a hash of each opportunity row as read. Salesforce stamps SystemModstamp to the
// second, so an edit within the second of an earlier read keeps its stamp: the look-back and the
// late-commit sweep could skip such a row as unchanged on the stamp alone. With the hash they skip
// only a row that is the same in fact. Nullable: rows mirrored before this migration have none
// (they are skipped on the stamp alone, as before, until their next change).
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function opportunityRowHashMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('opportunities').addColumn('row_hash', t.text).execute();
    },
  };
}
