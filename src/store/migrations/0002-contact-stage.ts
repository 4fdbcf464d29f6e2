// Contacts' `lifecyclestage` as dealbridge last read it (with the time of the read), kept with the
// contact link: the import reads every contact by email early in a run and its rollup pass at the
// end reuses those stages instead of reading 500k contacts again (engine/rollups/stage-reuse.ts bounds
// how old a reused stage may be). Nullable: links saved before this migration have none.
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function contactStageMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('contact_links').addColumn('lifecycle_stage', t.text).execute();
      await db.schema.alterTable('contact_links').addColumn('stage_read_at', t.text).execute();
    },
  };
}
