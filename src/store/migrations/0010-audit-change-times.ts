// Two-way sync (issue #13) keeps each conflict in the audit log: the losing value with when each
// side changed it (Salesforce: the field's history row or LastModifiedDate; HubSpot: the property
// history's timestamp), so the record page can say why the other value won. Nullable: every other
// entry has neither.
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function auditChangeTimesMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('audit_log').addColumn('salesforce_at', t.text).execute();
      await db.schema.alterTable('audit_log').addColumn('hubspot_at', t.text).execute();
    },
  };
}
