// The first schema. Every statement is `if not exists` so that two processes opening a fresh
// SQLite file at the same moment do not trip over each other.
import type { Kysely, Migration } from 'kysely';
import type { Ddl } from '../backend.js';

export function initialMigration(t: Ddl): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const s = db.schema;
      await s
        .createTable('settings')
        .ifNotExists()
        .addColumn('key', t.text, (c) => c.primaryKey())
        .addColumn('value', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();

      await s
        .createTable('cursors')
        .ifNotExists()
        .addColumn('name', t.text, (c) => c.primaryKey())
        .addColumn('modstamp', t.text, (c) => c.notNull())
        .addColumn('id', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();

      await s
        .createTable('deal_links')
        .ifNotExists()
        .addColumn('opportunity_id', t.text, (c) => c.primaryKey())
        .addColumn('deal_id', t.text)
        .addColumn('properties_hash', t.text)
        .addColumn('associations_hash', t.text)
        .addColumn('last_values', t.text, (c) => c.notNull())
        .addColumn('archived', t.bool, (c) => c.notNull())
        .addColumn('last_synced_at', t.text)
        .execute();
      await s.createIndex('deal_links_deal_id').ifNotExists().on('deal_links').column('deal_id').execute();

      for (const table of ['contact_links', 'company_links']) {
        await s
          .createTable(table)
          .ifNotExists()
          .addColumn('salesforce_id', t.text, (c) => c.primaryKey())
          .addColumn('hubspot_id', t.text, (c) => c.notNull())
          .addColumn('matched_by', t.text, (c) => c.notNull())
          .addColumn('rollup_hash', t.text)
          .execute();
        await s.createIndex(`${table}_hubspot_id`).ifNotExists().on(table).column('hubspot_id').execute();
      }

      await s
        .createTable('opportunities')
        .ifNotExists()
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('account_id', t.text)
        .addColumn('amount', t.text)
        .addColumn('currency_iso_code', t.text)
        .addColumn('close_date', t.text)
        .addColumn('created_date', t.text, (c) => c.notNull())
        .addColumn('is_closed', t.bool, (c) => c.notNull())
        .addColumn('is_won', t.bool, (c) => c.notNull())
        .addColumn('is_deleted', t.bool, (c) => c.notNull())
        .addColumn('in_scope', t.bool, (c) => c.notNull())
        .addColumn('system_modstamp', t.text, (c) => c.notNull())
        .execute();
      await s
        .createIndex('opportunities_account_id')
        .ifNotExists()
        .on('opportunities')
        .column('account_id')
        .execute();

      await s
        .createTable('contact_roles')
        .ifNotExists()
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('opportunity_id', t.text, (c) => c.notNull())
        .addColumn('contact_id', t.text, (c) => c.notNull())
        .addColumn('role', t.text)
        .addColumn('is_primary', t.bool, (c) => c.notNull())
        .addColumn('is_deleted', t.bool, (c) => c.notNull())
        .addColumn('system_modstamp', t.text, (c) => c.notNull())
        .execute();
      await s
        .createIndex('contact_roles_opportunity_id')
        .ifNotExists()
        .on('contact_roles')
        .column('opportunity_id')
        .execute();
      await s
        .createIndex('contact_roles_contact_id')
        .ifNotExists()
        .on('contact_roles')
        .column('contact_id')
        .execute();

      await s
        .createTable('accounts')
        .ifNotExists()
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('website', t.text)
        .addColumn('system_modstamp', t.text, (c) => c.notNull())
        .execute();

      await s
        .createTable('sync_errors')
        .ifNotExists()
        .addColumn('record_key', t.text, (c) => c.primaryKey())
        .addColumn('code', t.text, (c) => c.notNull())
        .addColumn('message', t.text, (c) => c.notNull())
        .addColumn('field', t.text)
        .addColumn('attempts', t.int, (c) => c.notNull())
        .addColumn('first_seen_at', t.text, (c) => c.notNull())
        .addColumn('last_seen_at', t.text, (c) => c.notNull())
        .addColumn('next_retry_at', t.text)
        .execute();
      await s
        .createIndex('sync_errors_next_retry_at')
        .ifNotExists()
        .on('sync_errors')
        .column('next_retry_at')
        .execute();
      await s.createIndex('sync_errors_code').ifNotExists().on('sync_errors').column('code').execute();

      await s
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('seq', t.seqType, (c) => t.seqColumn(c))
        .addColumn('at', t.text, (c) => c.notNull())
        .addColumn('target', t.text, (c) => c.notNull())
        .addColumn('source_key', t.text, (c) => c.notNull())
        .addColumn('field', t.text, (c) => c.notNull())
        .addColumn('old_value', t.text)
        .addColumn('new_value', t.text)
        .addColumn('reason', t.text, (c) => c.notNull())
        .addColumn('run_id', t.text)
        .execute();
      await s
        .createIndex('audit_log_target_at')
        .ifNotExists()
        .on('audit_log')
        .columns(['target', 'at'])
        .execute();
      await s.createIndex('audit_log_at').ifNotExists().on('audit_log').column('at').execute();

      await s
        .createTable('api_calls')
        .ifNotExists()
        .addColumn('side', t.text, (c) => c.notNull())
        .addColumn('hour', t.text, (c) => c.notNull())
        .addColumn('count', t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint('api_calls_pk', ['side', 'hour'])
        .execute();

      await s
        .createTable('pass_summaries')
        .ifNotExists()
        .addColumn('seq', t.seqType, (c) => t.seqColumn(c))
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('started_at', t.text, (c) => c.notNull())
        .addColumn('finished_at', t.text, (c) => c.notNull())
        .addColumn('created', t.int, (c) => c.notNull())
        .addColumn('updated', t.int, (c) => c.notNull())
        .addColumn('unchanged', t.int, (c) => c.notNull())
        .addColumn('skipped', t.int, (c) => c.notNull())
        .addColumn('failed', t.int, (c) => c.notNull())
        .addColumn('archived', t.int, (c) => c.notNull())
        .addColumn('skipped_by_reason', t.text, (c) => c.notNull())
        .execute();
      await s
        .createIndex('pass_summaries_kind_finished_at')
        .ifNotExists()
        .on('pass_summaries')
        .columns(['kind', 'finished_at'])
        .execute();

      await s
        .createTable('import_runs')
        .ifNotExists()
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('started_at', t.text, (c) => c.notNull())
        .addColumn('finished_at', t.text)
        .addColumn('checkpoint_id', t.text)
        .addColumn('total', t.int)
        .addColumn('processed', t.int, (c) => c.notNull())
        .addColumn('created', t.int, (c) => c.notNull())
        .addColumn('updated', t.int, (c) => c.notNull())
        .addColumn('unchanged', t.int, (c) => c.notNull())
        .addColumn('skipped', t.int, (c) => c.notNull())
        .addColumn('failed', t.int, (c) => c.notNull())
        .addColumn('message', t.text)
        .execute();
      await s
        .createIndex('import_runs_started_at')
        .ifNotExists()
        .on('import_runs')
        .column('started_at')
        .execute();
    },
  };
}
