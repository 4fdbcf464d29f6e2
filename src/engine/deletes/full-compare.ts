// Deletes the opportunity feed cannot see. queryAll returns a deleted opportunity only while it is
// in the recycle bin (15 days, less when the bin is emptied or the record hard-deleted);
// getDeleted lists deleted ids for 15 days. dealbridge keeps its own mark, "deletes known up to
// here" (the cursor `opportunityDeletes`), separate from the opportunity cursor: that one moves
// with every changed opportunity, and deletes older than its new position would be lost.
//
// Whenever the mark is older than `checkAfterMs` (an hour; the mark is stored, so a restart does
// not bring the check forward) getDeleted is asked from the mark (minus the look-back). Rows still
// in the recycle bin come sooner through the opportunity feed (queryAll); getDeleted is for the
// ones purged from it. When the mark is older than getDeleted's window,
// or Salesforce says so (`earliestDateAvailable` after the start, or INVALID_REPLICATION_DATE),
// a full comparison replaces it: every live opportunity Id is streamed from Salesforce into a
// Set (ids only: about 60 bytes each in V8, measured 60 MB for 1M 18-character ids), then the
// store's live deal links are paged through by id; an opportunity not in the Set is re-read by id
// (queryAll: the recycle bin's rows come back with IsDeleted) and goes through the normal batch
// path, which archives the deal of a deleted one; an id Salesforce returns from neither query is
// hard-deleted and archived from its tombstone. One that turns out live (undeleted meanwhile) is
// synced, not archived.
import type { IsoDateTime } from '../../domain/salesforce.js';
import { DealbridgeError } from '../../errors/index.js';
import { compareCursor, CURSOR_OPPORTUNITIES } from '../sync/change-feed.js';
import type { SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { existingErrors, toErrorRecords, type RecordFailure } from '../record-errors.js';

export const CURSOR_DELETES = 'opportunityDeletes';
export const LAST_FULL_COMPARISON_SETTING = 'deletes.lastFullComparison';
export const DELETES_ERROR_KEY = 'pass:deletes';

/** How far back getDeleted reaches (Salesforce: 15 days, counted in whole days back). */
export const GET_DELETED_WINDOW_MS = 15 * 24 * 3600_000;
/** Starts closer to the window's edge than this go to the full comparison (clock skew). */
const WINDOW_MARGIN_MS = 3600_000;
/** getDeleted ignores seconds: both ends are truncated to the minute. */
const MINUTE_MS = 60_000;

export interface FullComparisonResult {
  /** When the comparison started (the new mark: deletes after it are left to getDeleted). */
  startedAt: IsoDateTime;
  finishedAt: IsoDateTime;
  /** Why it ran: the mark was outside getDeleted's window, or Salesforce said so. */
  reason: string;
  /** Live opportunity ids read from Salesforce. */
  salesforceIds: number;
  /** Live deals (linked, not archived) compared against them. */
  liveDeals: number;
  /** Of those, opportunities Salesforce did not list as live (re-read by id). */
  missing: number;
  /** Deals archived (their opportunity deleted, or gone from Salesforce altogether). */
  archived: number;
}

export interface DeletedCheckDeps {
  salesforce: SalesforcePort;
  store: StateStore;
  /** The engine's clock. */
  now(): Date;
  /** Re-reads these opportunities by id and syncs them (the batch path archives deleted ones). */
  syncByIds(ids: string[], last?: () => Promise<void>): Promise<void>;
  checkBudget(): void;
}

export interface DeletedCheckOptions {
  lookbackSeconds: number;
  checkAfterMs: number;
  /** Deal links per store page and ids per re-read batch. */
  pageSize: number;
}

/** Whether an error is Salesforce refusing getDeleted's start (older than it keeps deletes). */
export function isReplicationWindowError(err: unknown): boolean {
  return err instanceof DealbridgeError && /INVALID_REPLICATION_DATE/.test(err.message);
}

export class DeletedCheck {
  private comparisonFailedAt: number | undefined;

  constructor(private readonly opts: DeletedCheckOptions) {}

  /**
   * Call before the feeds move the opportunity cursor: an install without a mark (sync turned on
   * before the mark existed) knows deletes up to where the opportunity feed had read.
   */
  async init(store: StateStore): Promise<void> {
    if (await store.getCursor(CURSOR_DELETES)) return;
    const opp = await store.getCursor(CURSOR_OPPORTUNITIES);
    if (opp) await store.setCursor(CURSOR_DELETES, { modstamp: opp.modstamp, id: '' });
  }

  /** Returns the full comparison's result when one ran. */
  async run(deps: DeletedCheckDeps): Promise<FullComparisonResult | undefined> {
    const { store } = deps;
    const now = deps.now();
    const mark = await store.getCursor(CURSOR_DELETES);
    if (!mark) return undefined;
    const nowMs = now.getTime();
    const markMs = Date.parse(mark.modstamp);
    const behind = nowMs - markMs > this.opts.checkAfterMs;
    if (!behind) return undefined;
    // A comparison that could not run is tried again after the check interval, not every pass.
    if (this.comparisonFailedAt !== undefined && nowMs - this.comparisonFailedAt < this.opts.checkAfterMs)
      return undefined;
    const startMs = markMs - this.opts.lookbackSeconds * 1000 - MINUTE_MS;
    if (startMs < nowMs - GET_DELETED_WINDOW_MS + WINDOW_MARGIN_MS) {
      return this.compare(deps, `deletes known up to ${mark.modstamp}, older than getDeleted's 15 days`);
    }
    if (startMs > nowMs - MINUTE_MS) return undefined;
    const start = new Date(startMs).toISOString();
    let res: Awaited<ReturnType<SalesforcePort['deletedOpportunities']>>;
    try {
      res = await deps.salesforce.deletedOpportunities(start, now.toISOString());
    } catch (err) {
      if (!isReplicationWindowError(err)) throw err;
      return this.compare(deps, `getDeleted refused the start ${start}: ${(err as Error).message}`);
    }
    if (Date.parse(res.earliestDateAvailable) > startMs) {
      return this.compare(
        deps,
        `Salesforce keeps deletes only from ${res.earliestDateAvailable}; deletes known up to ${mark.modstamp}`,
      );
    }
    const covered = { modstamp: new Date(Date.parse(res.latestDateCovered)).toISOString(), id: '' };
    const next = compareCursor(covered, mark) > 0 ? covered : mark;
    const setMark = () => store.setCursor(CURSOR_DELETES, next);
    const ids = [...new Set(res.deleted.map((d) => d.id))];
    const links = await store.getDealLinks(ids);
    const live = ids.filter((id) => {
      const l = links.get(id);
      return l?.dealId && !l.archived;
    });
    if (live.length > 0) await deps.syncByIds(live, setMark);
    else await setMark();
    return undefined;
  }

  private async compare(deps: DeletedCheckDeps, reason: string): Promise<FullComparisonResult | undefined> {
    const { store, salesforce } = deps;
    const startedAt = deps.now().toISOString();
    const live = new Set<string>();
    try {
      for await (const page of salesforce.allOpportunityIds()) {
        for (const id of page) live.add(id);
        deps.checkBudget();
      }
    } catch (err) {
      // Budget, auth and outages stop the pass as usual (and the comparison runs again later);
      // a query Salesforce refuses leaves the comparison undone: a warning, retried hourly.
      if (!(err instanceof DealbridgeError) || err.code !== 'SALESFORCE_QUERY_FAILED') throw err;
      this.comparisonFailedAt = Date.parse(startedAt);
      const failure: RecordFailure = {
        recordKey: DELETES_ERROR_KEY,
        code: 'CURSOR_TOO_OLD',
        message: `${reason}; the full comparison that replaces getDeleted could not run (${err.message}): deals of opportunities deleted since may still be live; \`dealbridge verify\` lists them`,
        field: null,
        severity: 'warning',
      };
      const prev = await existingErrors(store, [DELETES_ERROR_KEY]);
      await store.recordErrors(toErrorRecords([failure], prev, new Date(startedAt)));
      return undefined;
    }

    const result: FullComparisonResult = {
      startedAt,
      finishedAt: startedAt,
      reason,
      salesforceIds: live.size,
      liveDeals: 0,
      missing: 0,
      archived: 0,
    };
    const settle = async (ids: string[], last?: () => Promise<void>) => {
      await deps.syncByIds(ids, last);
      if (ids.length === 0) return;
      for (const l of (await store.getDealLinks(ids)).values()) if (l.archived) result.archived++;
    };
    let after: string | null = null;
    let missing: string[] = [];
    for (;;) {
      const page = await store.liveDealOpportunityIds(after, this.opts.pageSize);
      if (page.length === 0) break;
      after = page[page.length - 1] ?? null;
      result.liveDeals += page.length;
      for (const id of page) if (!live.has(id)) missing.push(id);
      if (missing.length >= this.opts.pageSize) {
        result.missing += missing.length;
        await settle(missing);
        missing = [];
        deps.checkBudget();
      }
    }
    result.missing += missing.length;
    // The mark moves (with the outcome of the last batch) only once every deal was compared.
    await settle(missing, async () => {
      await store.clearErrors([DELETES_ERROR_KEY]);
      await store.setCursor(CURSOR_DELETES, { modstamp: startedAt, id: '' });
    });
    // For `status`; the archived count is known only after the last batch was stored.
    result.finishedAt = deps.now().toISOString();
    await store.setSetting(LAST_FULL_COMPARISON_SETTING, result);
    this.comparisonFailedAt = undefined;
    return result;
  }
}
