// Migrations as code (no folder scan at run time: works the same from tsx, a bundle or dist/).
// Names sort in the order they must run; a new migration gets the next number.
import { Migrator } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Ddl } from '../backend.js';
import type { Database } from '../schema.js';
import { initialMigration } from './0001-initial.js';
import { contactStageMigration } from './0002-contact-stage.js';
import { errorSeverityMigration } from './0003-error-severity.js';
import { opportunityRowHashMigration } from './0004-opportunity-row-hash.js';
import { deadLettersMigration } from './0005-dead-letters.js';
import { pendingAssociationsMigration } from './0006-pending-associations.js';
import { cdcStateMigration } from './0007-cdc-state.js';
import { connectionsMigration } from './0008-connections.js';
import { connectionRegistryMigration } from './0009-connection-registry.js';
import { auditChangeTimesMigration } from './0010-audit-change-times.js';
import { cdcStatusCodeMigration } from './0011-cdc-status-code.js';

export function migrations(ddl: Ddl): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(ddl),
    '0002-contact-stage': contactStageMigration(ddl),
    '0003-error-severity': errorSeverityMigration(ddl),
    '0004-opportunity-row-hash': opportunityRowHashMigration(ddl),
    '0005-dead-letters': deadLettersMigration(ddl),
    '0006-pending-associations': pendingAssociationsMigration(ddl),
    '0007-cdc-state': cdcStateMigration(ddl),
    '0008-connections': connectionsMigration(ddl),
    '0009-connection-registry': connectionRegistryMigration(ddl),
    '0010-audit-change-times': auditChangeTimesMigration(ddl),
    '0011-cdc-status-code': cdcStatusCodeMigration(ddl),
  };
}

function migratorOf(db: Kysely<Database>, ddl: Ddl, schema?: string): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations(ddl)) };
  return new Migrator({
    db,
    provider,
    migrationTableName: 'dealbridge_migration',
    migrationLockTableName: 'dealbridge_migration_lock',
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
}

/** Brings the schema to the latest version; throws the first migration error. */
export async function migrateToLatest(db: Kysely<Database>, ddl: Ddl, schema?: string): Promise<void> {
  const { error } = await migratorOf(db, ddl, schema).migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** Which migrations this store has run and which it has not (for `dealbridge doctor`). */
export async function migrationStatus(
  db: Kysely<Database>,
  ddl: Ddl,
  schema?: string,
): Promise<MigrationStatus> {
  const all = await migratorOf(db, ddl, schema).getMigrations();
  return {
    applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}
