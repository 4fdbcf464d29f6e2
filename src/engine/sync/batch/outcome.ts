// What one batch of opportunities produces for the store: counts, links, mirrors, roles, errors,
// audit entries and what the rollups must look at. Built up by the steps in this folder and stored
// by storeOutcome (store-outcome.ts) in one transaction with the cursor.
import type { SfContactRole } from '../../../domain/salesforce.js';
import { opportunityRowHash } from '../../mapping/hash.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import type { AuditEntry, DealLink, OpportunityMirror, SyncErrorRecord } from '../../ports/store.js';

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  archived: number;
  skippedByReason: Record<string, number>;
}

export function emptyCounts(): Counts {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, archived: 0, skippedByReason: {} };
}

export function addCounts(into: Counts, c: Counts): Counts {
  into.created += c.created;
  into.updated += c.updated;
  into.unchanged += c.unchanged;
  into.skipped += c.skipped;
  into.failed += c.failed;
  into.archived += c.archived;
  for (const [k, v] of Object.entries(c.skippedByReason))
    into.skippedByReason[k] = (into.skippedByReason[k] ?? 0) + v;
  return into;
}

function countSkip(c: Counts, reason: string): void {
  c.skipped++;
  c.skippedByReason[reason] = (c.skippedByReason[reason] ?? 0) + 1;
}

/** What a batch did with one opportunity, as its counts count it. */
export type OpportunityAction = 'create' | 'update' | 'unchanged' | 'skip' | 'archive' | 'fail';

export interface OpportunityDecision {
  opportunityId: string;
  action: OpportunityAction;
  /** Why it was skipped (the key of `skippedByReason`). */
  reason?: string;
}

const COUNTED: Record<Exclude<OpportunityAction, 'skip'>, Exclude<keyof Counts, 'skippedByReason'>> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  archive: 'archived',
  fail: 'failed',
};

/**
 * Counts one opportunity's outcome and keeps it by id, in one call so that the counts and the
 * per-opportunity list (what `sync --dry-run` prints) cannot tell different stories.
 */
export function decide(out: BatchOutcome, opportunityId: string, action: 'skip', reason: string): void;
export function decide(
  out: BatchOutcome,
  opportunityId: string,
  action: Exclude<OpportunityAction, 'skip'>,
): void;
export function decide(
  out: BatchOutcome,
  opportunityId: string,
  action: OpportunityAction,
  reason?: string,
): void {
  if (action === 'skip') countSkip(out.counts, reason ?? 'unknown');
  else out.counts[COUNTED[action]]++;
  out.decisions.push({ opportunityId, action, ...(reason !== undefined ? { reason } : {}) });
}

/** Records whose rollups (issue 5) may have changed because of this batch. */
export interface Touched {
  opportunityIds: Set<string>;
  contactIds: Set<string>;
  accountIds: Set<string>;
  /**
   * HubSpot contact id → `lifecyclestage` as read earlier in this pass (by the contact lookup); the
   * rollup pass reads only the stages missing here. In memory only, never persisted.
   */
  contactStages?: Map<string, string | null>;
  /** The portal's company currency as the pass's mapping context read it (the rollups need it). */
  portalCurrency?: string;
  /**
   * Write the rollups even when their fingerprints match (BatchEnv.rewriteBefore, for rollups):
   * the engine is catching up after its start, and the store may be behind HubSpot.
   */
  rewrite?: boolean;
}

export function emptyTouched(): Touched {
  return { opportunityIds: new Set(), contactIds: new Set(), accountIds: new Set() };
}

export interface BatchOutcome {
  counts: Counts;
  /** Each opportunity's outcome, in the order decided (the counts are their sums). */
  decisions: OpportunityDecision[];
  links: DealLink[];
  mirrors: OpportunityMirror[];
  /** Opportunities whose contact roles are replaced by `roles` (their complete live set). */
  roleOpportunityIds: string[];
  roles: SfContactRole[];
  errors: SyncErrorRecord[];
  cleared: string[];
  audit: AuditEntry[];
  /** Contacts not in HubSpot that keep an opportunity out of scope (id → email). */
  pendingContacts: Map<string, string | null>;
  /** Contacts found in HubSpot in this batch (no longer pending). */
  foundContacts: string[];
  /** Opportunities whose noted associations (write-ahead.ts) the links now record. */
  associationsRecorded: string[];
  touched: Touched;
  /** Opportunities processed (for the role memo). */
  processed: SfOpportunityWithRoles[];
}

export function emptyOutcome(): BatchOutcome {
  return {
    counts: emptyCounts(),
    decisions: [],
    links: [],
    mirrors: [],
    roleOpportunityIds: [],
    roles: [],
    errors: [],
    cleared: [],
    audit: [],
    pendingContacts: new Map(),
    foundContacts: [],
    associationsRecorded: [],
    touched: emptyTouched(),
    processed: [],
  };
}

export function toMirror(o: SfOpportunityWithRoles, inScope: boolean): OpportunityMirror {
  return {
    id: o.Id,
    name: o.Name,
    accountId: o.AccountId,
    amount: o.Amount,
    currencyIsoCode: o.CurrencyIsoCode,
    closeDate: o.CloseDate,
    createdDate: o.CreatedDate,
    isClosed: o.IsClosed,
    isWon: o.IsWon,
    isDeleted: o.IsDeleted,
    inScope,
    systemModstamp: o.SystemModstamp,
    rowHash: opportunityRowHash(o),
  };
}
