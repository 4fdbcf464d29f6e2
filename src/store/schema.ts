// The database as Kysely sees it. Both backends share these shapes: timestamps are ISO 8601 text
// (exact round-trip, and byte order = time order), money is decimal text (never REAL), JSON is
// text. Booleans are the one difference: SQLite stores 0/1, Postgres `boolean`; reads go through
// `Boolean()` and writes through the backend's `bool()`.
import type { Generated } from 'kysely';

/** A boolean column: 0/1 in SQLite, true/false in Postgres. */
export type SqlBool = number | boolean;

export interface SettingsTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: string;
}

export interface CursorsTable {
  name: string;
  modstamp: string;
  id: string;
  updated_at: string;
}

export interface DealLinksTable {
  opportunity_id: string;
  deal_id: string | null;
  properties_hash: string | null;
  associations_hash: string | null;
  /** JSON text: Record<string, string | null>. */
  last_values: string;
  archived: SqlBool;
  last_synced_at: string | null;
}

/** Associations a batch noted before writing them (migration 0005). */
export interface PendingAssociationsTable {
  opportunity_id: string;
  /** Comma-separated HubSpot contact ids. */
  contacts: string;
  /** Comma-separated HubSpot company ids. */
  companies: string;
  noted_at: string;
}

export interface RecordLinksTable {
  salesforce_id: string;
  hubspot_id: string;
  matched_by: string;
  rollup_hash: string | null;
}

/** Contact links also keep the contact's `lifecyclestage` as last read, and when (migration 0002). */
export interface ContactLinksTable extends RecordLinksTable {
  lifecycle_stage: string | null;
  stage_read_at: string | null;
}

export interface OpportunitiesTable {
  id: string;
  name: string;
  account_id: string | null;
  amount: string | null;
  currency_iso_code: string | null;
  close_date: string | null;
  created_date: string;
  is_closed: SqlBool;
  is_won: SqlBool;
  is_deleted: SqlBool;
  in_scope: SqlBool;
  system_modstamp: string;
  row_hash: string | null;
}

export interface ContactRolesTable {
  id: string;
  opportunity_id: string;
  contact_id: string;
  role: string | null;
  is_primary: SqlBool;
  is_deleted: SqlBool;
  system_modstamp: string;
}

export interface AccountsTable {
  id: string;
  name: string;
  website: string | null;
  system_modstamp: string;
}

export interface SyncErrorsTable {
  record_key: string;
  code: string;
  message: string;
  field: string | null;
  /** 'error' | 'warning' (migration 0003). */
  severity: string;
  attempts: number;
  first_seen_at: string;
  last_seen_at: string;
  next_retry_at: string | null;
  /** When it became a dead letter (migration 0004); such a row has no next retry time. */
  dead_lettered_at: string | null;
}

export interface AuditLogTable {
  /** Insertion order, to break ties between entries written in the same millisecond. */
  seq: Generated<number | string>;
  at: string;
  target: string;
  source_key: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  reason: string;
  run_id: string | null;
  /** A two-way conflict: when Salesforce's and HubSpot's values changed (migration 0010). */
  salesforce_at: string | null;
  hubspot_at: string | null;
}

export interface ApiCallsTable {
  side: string;
  /** Start of the UTC hour, ISO 8601. */
  hour: string;
  count: number;
}

export interface PassSummariesTable {
  seq: Generated<number | string>;
  kind: string;
  started_at: string;
  finished_at: string;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  archived: number;
  /** JSON text: Record<string, number>. */
  skipped_by_reason: string;
}

export interface ImportRunsTable {
  id: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  checkpoint_id: string | null;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  message: string | null;
}

export interface CdcStateTable {
  channel: string;
  replay_id: string | null;
  last_event_at: string | null;
  status: string;
  reason: string | null;
  /** Migration 0011: the catalogue code of why the feed is not live. */
  code: string | null;
  updated_at: string;
}

/** Connections to Salesforce and HubSpot (migration 0008): secrets sealed, details plain JSON. */
export interface ConnectionsTable {
  connection: string;
  side: string;
  details: string;
  secrets: string;
  key_id: string;
  updated_at: string;
}

/** The connections registry (migration 0009). */
export interface ConnectionRegistryTable {
  name: string;
  namespace: string;
  /** JSON text. */
  settings: string;
  created_at: string;
}

export interface Database {
  settings: SettingsTable;
  cursors: CursorsTable;
  deal_links: DealLinksTable;
  pending_associations: PendingAssociationsTable;
  contact_links: ContactLinksTable;
  company_links: RecordLinksTable;
  opportunities: OpportunitiesTable;
  contact_roles: ContactRolesTable;
  accounts: AccountsTable;
  sync_errors: SyncErrorsTable;
  audit_log: AuditLogTable;
  api_calls: ApiCallsTable;
  pass_summaries: PassSummariesTable;
  import_runs: ImportRunsTable;
  cdc_state: CdcStateTable;
  connections: ConnectionsTable;
  connection_registry: ConnectionRegistryTable;
}
