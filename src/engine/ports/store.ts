// What the engine keeps between passes, as an interface: src/store implements it on Kysely
// (SQLite or Postgres). Every method is a small set-based operation so that a pass of N records
// costs O(N / batch) round trips to the database, not O(N).
import type {
  ChangeCursor,
  IsoDate,
  IsoDateTime,
  SfAccount,
  SfContactRole,
} from '../../domain/salesforce.js';

export type Side = 'salesforce' | 'hubspot';

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
}

export interface SyncErrorRecord {
  /** `opportunity:006…`, `contact:003…`, `company:001…`, `setup:…` */
  recordKey: string;
  code: string;
  message: string;
  /** The HubSpot property or Salesforce field at fault, when known. */
  field: string | null;
  attempts: number;
  firstSeenAt: IsoDateTime;
  lastSeenAt: IsoDateTime;
  nextRetryAt: IsoDateTime | null;
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
  /** Why it was written: `sync`, `import`, `rollup`, `lifecycle`, `resync`, `archive`, `restore`. */
  reason: string;
  runId: string | null;
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

export interface StateStore {
  /** Runs fn in one database transaction (the store's own methods join it). */
  transaction<T>(fn: () => Promise<T>): Promise<T>;

  getSetting<T>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;

  getCursor(name: string): Promise<ChangeCursor | undefined>;
  setCursor(name: string, cursor: ChangeCursor): Promise<void>;

  getDealLinks(opportunityIds: string[]): Promise<Map<string, DealLink>>;
  saveDealLinks(links: DealLink[]): Promise<void>;
  /**
   * Opportunity ids whose deal is live (a deal id, not archived), greater than `afterId`, in id
   * order, at most `limit`: keyset pages for the full comparison of deletes, stable while the
   * links of earlier pages change.
   */
  liveDealOpportunityIds(afterId: string | null, limit: number): Promise<string[]>;
  getContactLinks(salesforceIds: string[]): Promise<Map<string, RecordLink>>;
  saveContactLinks(links: RecordLink[]): Promise<void>;
  /**
   * Every contact link to one of these HubSpot contacts: two Salesforce contacts sharing an email
   * share one HubSpot contact, whose rollups are over the opportunities of all of them (§2.3).
   */
  contactLinksToHubspot(hubspotIds: string[]): Promise<RecordLink[]>;
  /**
   * Contacts' lifecycle stages as just read or written: every contact link to one of these
   * HubSpot contacts keeps it (RecordLink.stage), so two Salesforce contacts sharing a HubSpot
   * contact never reuse a stage older than dealbridge's own write.
   */
  saveContactStages(
    stages: { hubspotId: string; value: string | null; readAt: IsoDateTime }[],
  ): Promise<void>;
  getCompanyLinks(salesforceIds: string[]): Promise<Map<string, RecordLink>>;
  saveCompanyLinks(links: RecordLink[]): Promise<void>;

  /** Mirror for rollups: upsert opportunities and replace the contact roles of the given opportunities. */
  saveOpportunities(opps: OpportunityMirror[]): Promise<void>;
  saveContactRoles(roles: SfContactRole[]): Promise<void>;
  saveAccounts(accounts: SfAccount[]): Promise<void>;
  /** Opportunity ids that have a (live) contact role for any of these contacts. */
  opportunityIdsForContacts(contactIds: string[]): Promise<string[]>;
  /** Contact ids with a (live) role on any of these opportunities. */
  contactIdsForOpportunities(opportunityIds: string[]): Promise<Map<string, string[]>>;
  /** Mirrors of the in-scope, live opportunities of each contact (via roles) / account. */
  opportunitiesOfContacts(contactIds: string[]): Promise<Map<string, OpportunityMirror[]>>;
  opportunitiesOfAccounts(accountIds: string[]): Promise<Map<string, OpportunityMirror[]>>;
  getOpportunities(ids: string[]): Promise<Map<string, OpportunityMirror>>;

  recordErrors(errors: SyncErrorRecord[]): Promise<void>;
  /** Clears the errors of these records (they synced); returns how many were cleared. */
  clearErrors(recordKeys: string[]): Promise<number>;
  listErrors(filter?: { code?: string; recordKeys?: string[] }): Promise<SyncErrorRecord[]>;
  /** Records whose next retry time has come. */
  dueRetries(now: IsoDateTime, limit: number): Promise<SyncErrorRecord[]>;
  /** Makes these records due now (the "resync" action). */
  scheduleRetryNow(recordKeys: string[], now: IsoDateTime): Promise<void>;

  appendAudit(entries: AuditEntry[]): Promise<void>;
  auditFor(target: string, limit: number): Promise<AuditEntry[]>;

  recordApiCalls(side: Side, count: number, at: IsoDateTime): Promise<void>;
  /** Calls per hour bucket over the last `hours` hours. */
  apiCalls(side: Side, since: IsoDateTime): Promise<{ hour: IsoDateTime; count: number }[]>;

  savePassSummary(summary: PassSummary): Promise<void>;
  lastPassSummary(kind: PassSummary['kind']): Promise<PassSummary | undefined>;

  createImportRun(run: ImportRun): Promise<void>;
  updateImportRun(id: string, patch: Partial<Omit<ImportRun, 'id'>>): Promise<void>;
  listImportRuns(limit: number): Promise<ImportRun[]>;

  close(): Promise<void>;
}
