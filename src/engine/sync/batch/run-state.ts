// The state one batch's steps share: the environment and mode it runs in, what the store knew of
// its opportunities before it started, the outcome being built and the failures found so far.
import type { AuditReason } from '../../audit.js';
import type { SyncContext } from '../../mapping/sync-context.js';
import {
  existingErrors,
  opportunityKey,
  syncedIssueSeverity,
  type RecordFailure,
} from '../../record-errors.js';
import type { HubspotPort, SalesforcePort, SfOpportunityWithRoles } from '../../ports/remote.js';
import type {
  DealLink,
  OpportunityMirror,
  PendingAssociations,
  StateStore,
  SyncErrorRecord,
} from '../../ports/store.js';
import type { Settings } from '../../user-settings.js';
import type { IsoDateTime, SfContactRole } from '../../../domain/salesforce.js';
import type { NamedTrigger } from '../scope-rule.js';
import { emptyOutcome, type BatchOutcome } from './outcome.js';

export interface BatchEnv {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  settings: Settings;
  ctx: SyncContext;
  now: Date;
  /**
   * T of the scope contract (`opportunitySyncStartedAt`): opportunities without a trigger at or
   * after it wait for the import (scope-rule.ts). Null where T does not bind: the import.
   */
  syncStartedAt: IsoDateTime | null;
  /**
   * The process's first pass, catching up from the stored cursors: deals are written even when
   * their properties hash matches the link's, as the store may be behind HubSpot (a process killed
   * after HubSpot took a write, a state restored from a backup). Absent: hashes are trusted.
   */
  catchingUp?: boolean;
}

export interface BatchMode {
  reason: Extract<AuditReason, 'sync' | 'resync' | 'import'>;
  /** Skip rows whose SystemModstamp the mirror already holds (look-back re-reads). */
  cheapSkip: boolean;
  runId?: string | null;
  /**
   * The rows that come next (the next Salesforce page): their contacts and accounts fill the room
   * in this batch's last look-up calls (scope.ts LookupPadding).
   */
  lookahead?: SfOpportunityWithRoles[];
  /**
   * A trigger of the scope contract that the feed which asked for this batch saw and the rows may
   * not show: every opportunity of the batch has it (scope-rule.ts).
   */
  trigger?: NamedTrigger;
  /**
   * Opportunities whose deal a HubSpot user deleted (deletes/deleted-deals.ts): written again even
   * when unchanged, so that the recreate step makes a new deal — if their own contact roles keep
   * them in scope; the link to the deleted deal no longer does.
   */
  dealsDeleted?: ReadonlySet<string>;
  /**
   * Opportunities Salesforce no longer returns at all, by id or in its recycle bin (tombstones.ts):
   * no deal can be matched to them by `salesforce_opportunity_id`, so only a deal their link names
   * is archived (a value typed by hand to a purged id never makes a deal dealbridge's).
   */
  purged?: ReadonlySet<string>;
}

export interface BatchRun {
  env: BatchEnv;
  mode: BatchMode;
  /** `env.now` as ISO text: every link, mirror and audit entry of the batch carries the same time. */
  at: string;
  /** The input by id, with live contact roles only. */
  byId: Map<string, SfOpportunityWithRoles>;
  /** Deleted contact roles per opportunity (queryAll returns them; the mirror keeps them flagged). */
  deletedRoles: Map<string, SfContactRole[]>;
  links: Map<string, DealLink>;
  /** Associations an earlier batch noted and never recorded (a process stopped in between). */
  pending: Map<string, PendingAssociations>;
  mirrors: Map<string, OpportunityMirror>;
  errs: Map<string, SyncErrorRecord>;
  /** Contact ids the mirror held for each opportunity before this batch (their rollups change too). */
  oldContacts: Map<string, string[]>;
  out: BatchOutcome;
  failures: RecordFailure[];
}

/** Reads what the store knows of the batch's opportunities: five set-based reads, side by side. */
export async function startBatch(
  env: BatchEnv,
  input: SfOpportunityWithRoles[],
  mode: BatchMode,
): Promise<BatchRun> {
  // queryAll's child subquery also returns deleted contact roles: only live ones count, but the
  // deleted ones are stored too (the mirror keeps them flagged).
  const byId = new Map(
    input.map((o) => [o.Id, { ...o, contactRoles: o.contactRoles.filter((r) => !r.IsDeleted) }]),
  );
  const deletedRoles = new Map<string, SfContactRole[]>();
  for (const o of input) {
    const gone = o.contactRoles.filter((r) => r.IsDeleted);
    if (gone.length > 0) deletedRoles.set(o.Id, gone);
  }
  const ids = [...byId.keys()];
  const [links, pending, mirrors, errs, oldContacts] = await Promise.all([
    env.store.getDealLinks(ids),
    env.store.getPendingAssociations(ids),
    env.store.getOpportunities(ids),
    existingErrors(env.store, ids.map(opportunityKey)),
    env.store.contactIdsForOpportunities(ids),
  ]);
  return {
    env,
    mode,
    at: env.now.toISOString(),
    byId,
    deletedRoles,
    links,
    pending,
    mirrors,
    errs,
    oldContacts,
    out: emptyOutcome(),
    failures: [],
  };
}

type Issue = { code: string; message: string; field: string | null };

/** A failure of one opportunity that kept it (or its write) from syncing: an error. */
export function opportunityFailure(opportunityId: string, f: Issue): RecordFailure {
  return {
    recordKey: opportunityKey(opportunityId),
    code: f.code,
    message: f.message,
    field: f.field,
    severity: 'error',
  };
}

/** An issue of an opportunity whose deal was written anyway: as severe as the catalogue says. */
export function syncedIssue(opportunityId: string, f: Issue): RecordFailure {
  return { ...opportunityFailure(opportunityId, f), severity: syncedIssueSeverity(f.code) };
}

/** What the contact and company look-ups of a batch need (scope.ts, relink.ts), from its env. */
export function lookupDeps(env: BatchEnv): {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  contactIdIsUnique: boolean;
  now: () => Date;
} {
  return {
    salesforce: env.salesforce,
    hubspot: env.hubspot,
    store: env.store,
    contactIdIsUnique: env.ctx.contactIdIsUnique,
    now: () => env.now,
  };
}
