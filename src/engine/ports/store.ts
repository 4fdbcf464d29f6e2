// What the engine keeps between passes, as an interface: src/store implements it on Kysely
// (SQLite or Postgres). Every method is a small set-based operation so that a pass of N records
// costs O(N / batch) round trips to the database, not O(N).
import type { IsoDate, IsoDateTime } from '../../domain/salesforce.js';
import type { Severity } from '../../errors/index.js';
import type { AuditStore } from './store/audit.js';
import type { ErrorStore } from './store/errors.js';
import type { LinkStore } from './store/links.js';
import type { MirrorStore } from './store/mirror.js';
import type { RunStore } from './store/runs.js';
import type { SettingsStore } from './store/settings.js';
import type { UsageStore } from './store/usage.js';
import type { CdcStore } from './store/cdc.js';

export type { AuditStore, CdcStore, ErrorStore, LinkStore, MirrorStore, RunStore, SettingsStore, UsageStore };

/** `salesforce-events`: change events delivered (the org's event allocation, not its REST one). */
export type Side = 'salesforce' | 'hubspot' | 'salesforce-events';

/** The link between an opportunity and its deal, with the hash of what was last written. */
export interface DealLink {
  opportunityId: string;
  dealId: string | null;
  /** Hash of the mapped deal properties last written; a pass that maps to the same hash skips. */
  propertiesHash: string | null;
  /** Hash of the associations last written (sorted contact ids + account id). */
  associationsHash: string | null;
  /** The last mapped values written, by HubSpot property (for the audit log's old → new). */
  lastValues: Record<string, string | null>;
  archived: boolean;
  lastSyncedAt: IsoDateTime | null;
}

/**
 * What a batch may have associated with an opportunity's deal and not yet recorded: noted before
 * its HubSpot writes, cleared with its stored outcome (store-outcome.ts). Ids are HubSpot's.
 */
export interface PendingAssociations {
  opportunityId: string;
  contacts: string[];
  companies: string[];
  notedAt: IsoDateTime;
}

/** A Salesforce contact / account linked to its HubSpot record. */
export interface RecordLink {
  salesforceId: string;
  hubspotId: string;
  /** How the link was found: by our id property, by email/domain, or created by us. */
  matchedBy: 'id' | 'email' | 'domain' | 'created';
  /** Hash of the rollup (and lifecycle) values last written to the HubSpot record. */
  rollupHash: string | null;
  /**
   * Contacts: `lifecyclestage` as dealbridge last read it from HubSpot (or wrote it), and when.
   * The rollup pass may reuse it instead of reading again, within the bounds of rollups/stage-reuse.ts.
   */
  stage?: { value: string | null; readAt: IsoDateTime };
}

/** The part of an opportunity that rollups and the store's views need (the mirror). */
export interface OpportunityMirror {
  id: string;
  name: string;
  accountId: string | null;
  amount: string | null;
  currencyIsoCode: string | null;
  closeDate: IsoDate | null;
  createdDate: IsoDateTime;
  isClosed: boolean;
  isWon: boolean;
  isDeleted: boolean;
  /** Whether the opportunity is in scope (a contact role whose contact is in HubSpot). */
  inScope: boolean;
  systemModstamp: IsoDateTime;
  /**
   * The hash of the row as read (opportunityRowHash): a re-read at the same SystemModstamp is
   * unchanged only when this is the same too. Absent or null: mirrored before it was kept.
   */
  rowHash?: string | null;
}

export interface SyncErrorRecord {
  /** `opportunity:006…`, `contact:003…`, `company:001…`, `setup:…` */
  recordKey: string;
  code: string;
  message: string;
  /** The HubSpot property or Salesforce field at fault, when known. */
  field: string | null;
  /** 'warning': the record synced and is never retried by itself (migration 0003). */
  severity: Severity;
  /**
   * Passes that saw it (for a warning: sightings, not retries). An error after a warning, and a
   * dead letter retried by hand, count afresh from 1: the attempt budget of record-errors.ts.
   */
  attempts: number;
  /** The first sighting; like `attempts`, it starts again where the attempt budget does. */
  firstSeenAt: IsoDateTime;
  lastSeenAt: IsoDateTime;
  nextRetryAt: IsoDateTime | null;
  /**
   * When this error became a dead letter (record-errors.ts: 20 attempts or 7 days): from then on it
   * has no next retry time and is retried only by hand (`retryByHand`). Null for every other row.
   */
  deadLetteredAt: IsoDateTime | null;
}

export interface AuditEntry {
  at: IsoDateTime;
  /** `deal:<dealId>`, `contact:<id>`, `company:<id>` */
  target: string;
  /** The Salesforce record the value came from. */
  sourceKey: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  /**
   * Why it was written: `sync`, `import`, `rollup`, `lifecycle`, `resync`, `archive`, `restore`;
   * `hubspot` (a HubSpot change written to the opportunity) and `conflict` (both sides changed a
   * Two-way field: `newValue` won, `oldValue` lost, with when each side changed it).
   */
  reason: string;
  runId: string | null;
  /** A conflict's Salesforce change time (field history, else LastModifiedDate). */
  salesforceAt?: IsoDateTime | null;
  /** A conflict's HubSpot change time (the property history's timestamp). */
  hubspotAt?: IsoDateTime | null;
}

export interface PassSummary {
  kind: 'sync' | 'import';
  startedAt: IsoDateTime;
  finishedAt: IsoDateTime;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  archived: number;
  skippedByReason: Record<string, number>;
}

export interface ImportRun {
  id: string;
  status: 'running' | 'completed' | 'failed' | 'paused' | 'dry-run';
  startedAt: IsoDateTime;
  finishedAt: IsoDateTime | null;
  /** Last opportunity id fully processed: the resume point. */
  checkpointId: string | null;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  message: string | null;
}

/**
 * The whole store: one interface per area (ports/store/*.ts, as src/store/areas/*), plus the
 * transaction they all join and close. Consumers that use one or two areas ask for those.
 */
export interface StateStore
  extends SettingsStore, LinkStore, MirrorStore, ErrorStore, AuditStore, UsageStore, RunStore, CdcStore {
  /** Runs fn in one database transaction (the store's own methods join it). */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
