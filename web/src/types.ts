// The JSON the server's API returns (src/server/queries/*, src/server/routes/*), as the pages use it.
// src/server/web-contract.ts checks at typecheck time that the server still returns these shapes.
export type SyncRule = 'prefer_salesforce_unless_blank' | 'always_salesforce' | 'two_way' | 'dont_sync';

export interface Settings {
  opportunitySync: boolean;
  lifecycleStage: boolean;
  recentDealAmountRule: 'created' | 'closed';
  createCompanies: boolean;
  fallbackOwnerId: string | null;
  salesforceBudgetPercent: number;
  /** Salesforce Type value → HubSpot dealtype option value. */
  typeValueMap: Record<string, string>;
  autoProvision: boolean;
  /** The language of the HubSpot property labels setup creates. */
  language: 'en' | 'de';
}

export interface StageRow {
  apiName: string;
  label: string;
  kind: 'open' | 'won' | 'lost';
  pipelineId: string | null;
  stageId: string | null;
  problem: string | null;
}

export interface FieldMapping {
  salesforceField: string;
  hubspotProperty: string;
  rule: SyncRule;
  custom: boolean;
}

export interface SettingsView {
  settings: Settings;
  setupCompletedAt: string | null;
  stageMap: {
    source: string;
    recordTypes: { key: string; name: string; rows: StageRow[] }[];
    problems: number;
  };
  pipelines: {
    id: string;
    label: string;
    stages: { id: string; label: string; isClosed: boolean; probability: number }[];
  }[];
  fieldMappings: {
    defaults: {
      salesforceField: string;
      hubspotProperty: string;
      note: string;
      rule: SyncRule;
      ruleEditable: boolean;
    }[];
    custom: FieldMapping[];
    salesforceFields: { name: string; label: string; type: string }[];
    hubspotProperties: { name: string; label: string; type: string; readOnly: boolean }[];
  };
  owners: {
    matched: { userId: string; name: string; email: string; ownerId: string; ownerEmail: string }[];
    unmatched: { userId: string; name: string; email: string }[];
    hubspotOwners: { id: string; name: string; email: string }[];
  };
  budgets: {
    salesforceBudgetPercent: number;
    salesforceUsage: { used: number; max: number } | null;
    hubspotDailyAllocation: number | null;
    hubspotDailyMax: number | null;
  };
}

export interface ImportProgress {
  runId: string;
  phase: 'deals' | 'rollups' | 'done' | 'paused' | 'failed';
  processed: number;
  total: number | null;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  elapsedMs: number;
  ratePerSecond: number;
  etaSeconds: number | null;
}

export interface PreviewRow {
  opportunityId: string;
  name: string;
  action: 'create' | 'update' | 'unchanged' | 'skip';
  reason?: string;
  dealId?: string | null;
  properties?: Record<string, string | null>;
}

export interface ImportPreview {
  runId: string;
  processed: number;
  create: number;
  update: number;
  unchanged: number;
  skip: number;
  skippedByReason: Record<string, number>;
  samples: Record<'create' | 'update' | 'unchanged' | 'skip', PreviewRow[]>;
}

export interface ImportJob {
  kind: 'preview' | 'import';
  state: 'running' | 'done' | 'failed' | 'stopping';
  startedAt: string;
  finishedAt: string | null;
  progress: ImportProgress | null;
  preview: ImportPreview | null;
  error: { code: string; message: string } | null;
}

export interface ImportRun {
  id: string;
  status: 'running' | 'completed' | 'failed' | 'paused' | 'dry-run';
  startedAt: string;
  finishedAt: string | null;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  message: string | null;
}

export type Severity = 'error' | 'warning';

export interface ErrorRecord {
  recordKey: string;
  code: string;
  message: string;
  field: string | null;
  severity: Severity;
  attempts: number;
  firstSeenAt: string;
  lastSeenAt: string;
  nextRetryAt: string | null;
  /** Set: a dead letter (20 attempts or 7 days), retried only by hand. */
  deadLetteredAt: string | null;
  name: string | null;
  opportunityId: string | null;
}

export interface ErrorGroup {
  code: string;
  severity: Severity;
  title: string;
  description: string;
  fix: string;
  count: number;
  records: ErrorRecord[];
}

export interface LivePath {
  path: 'cdc' | 'polling';
  cdc: string | null;
  reason: string | null;
  /** The catalogue code of why CDC is not live; its title and fix come from the errors namespace. */
  code: string | null;
  stale: boolean;
  lastEventAt: string | null;
  lastEventAgeSeconds: number | null;
}

export interface ApiSide {
  hourly: { hour: string; count: number }[];
  total: number;
  allocation: number | null;
  /** In English; the chart writes it in the UI's language from `usage`. */
  note: string;
  usage:
    | { side: 'salesforce'; used: number; max: number; budgetPercent: number }
    | { side: 'hubspot'; dailyMax: number; dailyRemaining: number | null }
    | { side: 'salesforce-events'; remaining: number; max: number; at: string }
    | null;
}

export interface HealthView {
  status: {
    opportunitySync: boolean;
    /** The pause switch: nothing is written while it is on. */
    paused: boolean;
    pausedSince: string | null;
    setupCompletedAt: string | null;
    cursors: { name: string; cursor: { modstamp: string; id: string } | null; lagSeconds: number | null }[];
    lastPass: {
      finishedAt: string;
      created: number;
      updated: number;
      unchanged: number;
      skipped: number;
      failed: number;
      archived: number;
    } | null;
    errors: { total: number; byCode: Record<string, number>; dueNow: number };
    /** Errors retried only by hand. */
    deadLetters: number;
    warnings: { total: number; byCode: Record<string, number> };
    pendingContacts: number;
    /** dealbridge's own requests (one per HTTP request its clients make), last 24 h. */
    apiCallsLast24h: { salesforce: number; hubspot: number };
    /** The org-wide Sforce-Limit-Info reading (every integration's calls), beside our own. */
    salesforceOrgUsage: { used: number; max: number; at: string } | null;
    /** Change Data Capture or polling (src/engine/status/live-path.ts). */
    livePath?: LivePath;
    deletes: {
      checkedThrough: string | null;
      lastFullComparison: {
        finishedAt: string;
        reason: string;
        salesforceIds: number;
        liveDeals: number;
        missing: number;
        archived: number;
      } | null;
    };
  };
  loop: {
    enabled: boolean;
    running: boolean;
    intervalMs: number;
    lastPassAt: string | null;
    lastError: { code: string; message: string; at: string; fatal: boolean } | null;
  };
  lagSeconds: number | null;
  /** `salesforce-events`: change events delivered (the org's event allocation, not its REST one). */
  api: { salesforce: ApiSide; hubspot: ApiSide; 'salesforce-events'?: ApiSide };
  errorGroups: ErrorGroup[];
  warningGroups: ErrorGroup[];
}

export interface OpportunityHit {
  id: string;
  name: string;
  amount: string | null;
  closeDate: string | null;
  isDeleted: boolean;
  inScope: boolean;
}

export interface AuditEntry {
  at: string;
  target: string;
  sourceKey: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string;
  runId: string | null;
  /** Two-way conflicts only: when each side changed the field. */
  salesforceAt?: string | null;
  hubspotAt?: string | null;
}

export interface RecordView {
  opportunity: {
    id: string;
    name: string;
    accountId: string | null;
    amount: string | null;
    currencyIsoCode: string | null;
    closeDate: string | null;
    createdDate: string;
    isClosed: boolean;
    isWon: boolean;
    isDeleted: boolean;
    inScope: boolean;
    systemModstamp: string;
  };
  /** The amount's currency: the opportunity's own, else the org's corporate currency. */
  currency: string | null;
  deal: {
    id: string | null;
    archived: boolean;
    lastSyncedAt: string | null;
    lastWritten: Record<string, string | null>;
    current: Record<string, string | null> | null;
    currentError: string | null;
  };
  contacts: { salesforceId: string; hubspotId: string | null; matchedBy: string | null }[];
  company: { accountId: string; name: string | null; hubspotId: string | null } | null;
  error: {
    code: string;
    severity: Severity;
    title: string;
    message: string;
    fix: string;
    attempts: number;
    nextRetryAt: string | null;
    deadLetteredAt: string | null;
  } | null;
  history: AuditEntry[];
  /** Two-way conflicts: `newValue` won, `oldValue` lost. */
  conflicts: AuditEntry[];
  labels: Record<string, string>;
}

export interface ResyncResult {
  ran: boolean;
  paused: boolean;
  requested: number;
  deadLetters: number;
  synced: number;
  failed: number;
  stillFailing: string[];
  stillWarning: string[];
  notFound: string[];
}
