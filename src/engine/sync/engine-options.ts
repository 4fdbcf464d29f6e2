// What the sync engine is built from (its ports and options) and what a pass returns: the
// contract of SyncEngine, kept apart from the pass itself (pass.ts).
import type { ChangeCursor, IsoDateTime } from '../../domain/salesforce.js';
import type { BatchMode } from './batch/run-state.js';
import type { FullComparisonResult } from '../deletes/full-compare.js';
import type { HubspotPort, SalesforcePort, SfOpportunityWithRoles } from '../ports/remote.js';
import type { PassSummary, StateStore } from '../ports/store.js';
import { emptyCounts, emptyTouched, type BatchOutcome, type Counts, type Touched } from './batch/outcome.js';
import type { MetadataCheckResult } from './metadata-check.js';
import type { TwoWayCounts, TwoWayStep } from '../two-way/step.js';
import { CURSOR_DELETES } from '../deletes/full-compare.js';
import { CURSOR_ACCOUNTS } from './account-feed.js';
import { CURSOR_CONTACT_ROLES, CURSOR_OPPORTUNITIES } from './change-feed.js';
import { CURSOR_CONTACT_ROLE_SWEEP, CURSOR_OPPORTUNITY_SWEEP } from './late-commits.js';
import { CURSOR_NEW_CONTACTS } from './new-contacts.js';

/** The cursors a pass reports (PassResult.cursors). */
export const PASS_CURSORS = [
  CURSOR_OPPORTUNITIES,
  CURSOR_CONTACT_ROLES,
  CURSOR_OPPORTUNITY_SWEEP,
  CURSOR_CONTACT_ROLE_SWEEP,
  CURSOR_ACCOUNTS,
  CURSOR_DELETES,
  CURSOR_NEW_CONTACTS,
];

export interface EngineOptions {
  /**
   * How late a Salesforce commit may land (its SystemModstamp older than the cursor by up to this)
   * and still be synced: the full window, swept once per `lateCommitSweepMs` (late-commits.ts).
   */
  lookbackSeconds: number;
  /** The short window every pass re-reads before its cursor: slightly late commits, at once. */
  shortLookbackSeconds: number;
  /** How long the settled, not yet swept range of stamps grows before the sweep reads it. */
  lateCommitSweepMs: number;
  /**
   * Opportunities per batch: stored in one transaction, their HubSpot calls chunked to HubSpot's
   * limits inside (100 per upsert, 1,000 per association create). One Salesforce page by default.
   */
  batchSize: number;
  /** Owed rollups (contacts + accounts) that make the pass run the rollup hook before its end. */
  rollupFlushAt: number;
  /** Records retried per pass at most. */
  retriesPerPass: number;
  /** How often contacts that kept opportunities out of scope are looked for again. */
  rescopeIntervalMs: number;
  /**
   * How often the Account feed is read (counted from the stored cursor after a restart): accounts
   * change rarely and change no deal property, so one query a minute rather than one per pass.
   */
  accountFeedIntervalMs: number;
  /** How long the mapping context (stage map, owner map, portal facts) is reused. */
  contextTtlMs: number;
  /** Deletes are read with getDeleted when their stored mark is older than this. */
  deletedCheckAfterMs: number;
  /** How often record types and stages are looked at for changes made in Salesforce's Setup. */
  metadataCheckIntervalMs: number;
  /**
   * How often HubSpot's recycle bin is listed for deals a user deleted while dealbridge links them
   * (deletes/deleted-deals.ts): they are created again without waiting for the opportunity to change.
   */
  deletedDealsCheckIntervalMs: number;
}

export const defaultEngineOptions: Readonly<EngineOptions> = Object.freeze({
  lookbackSeconds: 60,
  shortLookbackSeconds: 0,
  lateCommitSweepMs: 30_000,
  batchSize: 2000,
  rollupFlushAt: 20_000,
  retriesPerPass: 500,
  rescopeIntervalMs: 60_000,
  accountFeedIntervalMs: 60_000,
  contextTtlMs: 10 * 60_000,
  deletedCheckAfterMs: 3600_000,
  metadataCheckIntervalMs: 5 * 60_000,
  deletedDealsCheckIntervalMs: 5 * 60_000,
});

export interface EngineDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  now?: () => Date;
  options?: Partial<EngineOptions>;
  /**
   * Called with the records whose rollups may have changed, once per pass (and whenever the owed
   * set reaches `rollupFlushAt`). The owed set is kept in the store until the call returns.
   */
  onTouched?: (touched: Touched) => Promise<void>;
  /** Called with each batch's outcome once it is stored: `sync --dry-run` builds its plan from them. */
  onBatch?: (outcome: BatchOutcome) => void;
  /**
   * The HubSpot → Salesforce direction (engine/two-way), run at the start of each pass. Absent:
   * one-way (a dry run never has it: it must not write to Salesforce).
   */
  twoWay?: TwoWayStep;
}

export interface PassResult extends PassSummary {
  /** false when nothing was read or written: opportunity sync is off, or the sync is paused. */
  ran: boolean;
  /**
   * The pause switch was on (../pause.ts): at the start (ran false), or found between batches
   * (ran true: the batches stored before it count; the rest waits, the cursors where they stopped).
   */
  paused: boolean;
  touched: Touched;
  cursors: Record<string, ChangeCursor | undefined>;
  /** Present when getDeleted's window was exceeded and the full comparison ran in this pass. */
  fullComparison?: FullComparisonResult;
  /** Present when record types and stages were looked at in this pass (metadata-check.ts). */
  metadataCheck?: MetadataCheckResult;
  /** What the HubSpot → Salesforce direction did in this pass, when it runs. */
  twoWay?: TwoWayCounts;
}

/** What a pass that read and wrote nothing returns: opportunity sync off, or the sync paused. */
export function idlePass(startedAt: string, paused: boolean): PassResult {
  return {
    ...passSummary('sync', startedAt, startedAt, emptyCounts()),
    ran: false,
    paused,
    touched: emptyTouched(),
    cursors: {},
  };
}

/** What a pass stores of itself (`status`, Sync health), from its counts. */
export function passSummary(
  kind: PassSummary['kind'],
  startedAt: string,
  finishedAt: string,
  c: Counts,
): PassSummary {
  return {
    kind,
    startedAt,
    finishedAt,
    created: c.created,
    updated: c.updated,
    unchanged: c.unchanged,
    skipped: c.skipped,
    failed: c.failed,
    archived: c.archived,
    skippedByReason: { ...c.skippedByReason },
  };
}

/** One read of a feed: where it starts, the cursor it moves (a feed cursor or a sweep mark). */
export interface FeedRead {
  from: ChangeCursor;
  cursor: ChangeCursor;
  cursorName: string;
  /** Only rows stamped before this (the sweep's settled range). */
  before?: IsoDateTime;
}

/** Writes one batch and stores its outcome, with the feed's cursor move (pass.ts). */
export type Runner = (
  opps: SfOpportunityWithRoles[],
  mode: BatchMode,
  cursorUpdate?: () => Promise<void>,
) => Promise<void>;
