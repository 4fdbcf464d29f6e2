// One incremental sync pass: opportunity changes, then contact-role changes (their opportunities
// re-read), changed accounts (account-feed.ts), deletes queryAll no longer shows (getDeleted, or a
// full comparison once its 15 days are exceeded: deletes/full-compare.ts), records due for a retry,
// and, now and then, contacts that have since appeared in HubSpot (new-contacts.ts, and the
// pending contacts of scope.ts). What may sync at all is the scope contract (scope-rule.ts). A batch is one Salesforce query
// page (2,000): its lookups, upserts and associations go to HubSpot in full batches side by side,
// then its outcome, cursor and the rollups it owes are stored in one transaction: killing the
// process at any instant replays at most one page, against idempotent upserts. Rollups run once per pass (or when the
// owed set grows past `rollupFlushAt`), from the owed set kept in the store. The feeds re-read a
// short window each pass; commits that land later are found by the sweep of late-commits.ts.
// The pause switch (../pause.ts) is read at the start of a pass and before every batch and rollup
// flush: a paused pass stops before its next write, its cursors where the last stored batch left
// them and its owed rollups kept in the store.
import { instantMs, type IsoDateTime } from '../../domain/salesforce.js';
import { DealbridgeError } from '../../errors/index.js';
import { AccountMemo, CURSOR_ACCOUNTS, runAccountFeed } from './account-feed.js';
import {
  advance,
  CURSOR_CONTACT_ROLES,
  CURSOR_OPPORTUNITIES,
  prefetched,
  readFrom,
  RoleMemo,
} from './change-feed.js';
import { initSweepMarks, runSweeps, type LookbackWindows } from './late-commits.js';
import { loadSyncContext, refreshFromSettings, type SyncContext } from '../mapping/sync-context.js';
import { DeletedDealsCheck } from '../deletes/deleted-deals.js';
import { DeletedCheck, type FullComparisonResult } from '../deletes/full-compare.js';
import { opportunityKey } from '../record-errors.js';
import {
  addCounts,
  emptyCounts,
  emptyTouched,
  storeOutcome,
  syncOpportunityBatch,
  type BatchEnv,
  type BatchMode,
  type BatchOutcome,
  type Counts,
  type Touched,
} from './batch.js';
import type { SfOpportunityWithRoles } from '../ports/remote.js';
import { withNext } from '../import/prefetch.js';
import { OwedRollups } from '../rollups/owed-rollups.js';
import { NewContactMemo } from './new-contacts.js';
import { MetadataCheck, type MetadataCheckResult } from './metadata-check.js';
import { rescope } from './rescope.js';
import { readSettings, type Settings } from '../user-settings.js';
import { chunk } from '../../lib/chunk.js';
import { budgetReached } from './budget.js';
import {
  defaultEngineOptions,
  idlePass,
  passSummary,
  PASS_CURSORS,
  type EngineDeps,
  type EngineOptions,
  type FeedRead,
  type PassResult,
  type Runner,
} from './engine-options.js';
import { readOrInitSyncStartedAt, startCursor } from './start-marks.js';
import { prefetchFeeds, writesOf } from './feed-prefetch.js';
import { AccountFeedSchedule } from './account-schedule.js';
import { tombstones } from './tombstones.js';
import { UsageRecorder } from './usage-recorder.js';
import { readPause, stopIfPaused, SyncPaused } from '../pause.js';

export { defaultEngineOptions, idlePass, type EngineDeps, type EngineOptions, type PassResult };

export class SyncEngine {
  readonly options: EngineOptions;
  private readonly now: () => Date;
  private readonly memo = new RoleMemo();
  private readonly accountMemo = new AccountMemo();
  private readonly newContacts = new NewContactMemo();
  private readonly deletes: DeletedCheck;
  private readonly metadata: MetadataCheck;
  private readonly deletedDeals: DeletedDealsCheck;
  private ctx: SyncContext | undefined;
  private lastRescopeAt = 0;
  private readonly accountSchedule: AccountFeedSchedule;
  private budgetStopped = false;
  private readonly usage: UsageRecorder;
  /** Contacts' lifecycle stages read during the current pass (HubSpot id → stage), for the rollups. */
  private stages = new Map<string, string | null>();
  /**
   * After a start, what the store says was written may be behind HubSpot (a process killed after
   * HubSpot took a write, a state restored from a backup). The process's first pass, the one that
   * catches up from the stored cursors, writes what it reads even when the hashes match
   * (BatchEnv.catchingUp, Touched.rewrite); once it has completed, hashes are trusted again.
   */
  private caughtUp = false;
  private cdcRollupsAt = 0;
  /** Whether changes after a read arrive as events (set by runLiveSync: CDC is live); feed-prefetch.ts. */
  eventsLive: () => boolean = () => false;
  /** Told every stored batch's outcome (the CDC feed keeps what passes read: engine/cdc/images.ts). */
  readonly batchObservers: ((outcome: BatchOutcome) => void)[] = [];

  constructor(private readonly deps: EngineDeps) {
    this.options = { ...defaultEngineOptions, ...deps.options };
    this.accountSchedule = new AccountFeedSchedule(this.options.accountFeedIntervalMs);
    this.now = deps.now ?? (() => new Date());
    this.usage = new UsageRecorder(deps);
    this.deletes = new DeletedCheck({
      lookbackSeconds: this.options.lookbackSeconds,
      checkAfterMs: this.options.deletedCheckAfterMs,
      pageSize: this.options.batchSize,
    });
    this.metadata = new MetadataCheck(this.options.metadataCheckIntervalMs);
    this.deletedDeals = new DeletedDealsCheck(this.options.deletedDealsCheckIntervalMs);
  }

  /** Forget the cached mapping context (after setup or a settings change). */
  invalidateContext(): void {
    this.ctx = undefined;
  }

  async runPass(): Promise<PassResult> {
    const { store } = this.deps;
    const startedAt = this.now().toISOString();
    const settings = await readSettings(store);
    const counts = emptyCounts();
    const touched = emptyTouched();
    this.stages = new Map();
    let fullComparison: FullComparisonResult | undefined;
    let metadataCheck: MetadataCheckResult | undefined;
    let twoWay: PassResult['twoWay'];
    if ((await readPause(store)).paused) return idlePass(startedAt, true);
    if (!settings.opportunitySync) return idlePass(startedAt, false);
    let paused = false;
    try {
      // The cached usage reading is the last response's, perhaps from before a pause at the budget
      // (the allocation is a rolling 24 h and may have been raised): before refusing, ask /limits.
      const spent = budgetReached(this.deps.salesforce.usage(), settings.salesforceBudgetPercent);
      if (this.budgetStopped || spent) await this.deps.salesforce.refreshUsage();
      this.budgetStopped = false;
      this.checkBudget(settings);
      const ctx = await this.context(settings);
      metadataCheck = await this.metadata.runIfDue(this.deps, ctx, settings, this.now());
      const syncStartedAt = await readOrInitSyncStartedAt(this.deps);
      const env = (): BatchEnv => ({
        ...this.deps,
        settings,
        ctx,
        now: this.now(),
        syncStartedAt,
        ...(this.caughtUp ? {} : { catchingUp: true }),
      });
      const owed = this.deps.onTouched ? await OwedRollups.load(store) : undefined;
      const run: Runner = async (opps, mode, cursorUpdate) => {
        await this.runBatch({ env, owed, counts, touched }, opps, mode, cursorUpdate);
      };

      await this.deletes.init(store);
      await initSweepMarks(store, this.windows, this.options.lookbackSeconds);
      // HubSpot → Salesforce first: a field both sides changed is decided by time before this direction writes.
      twoWay = await this.deps.twoWay?.run({ ...ctx, checkBudget: () => this.checkBudget(settings) });
      const accountsDue = await this.accountSchedule.due(store, this.now().getTime());
      await prefetchFeeds(this.deps, this.options, { extraFields: ctx.extraFields, accountsDue });
      const written = writesOf(counts);
      await this.opportunityFeed(settings, ctx, run);
      if (!this.eventsLive() && writesOf(counts) > written)
        await this.deps.salesforce.prefetchChangeFeeds({});
      await this.contactRoleFeed(settings, ctx, run, syncStartedAt);
      await this.lateCommits(settings, ctx, run, syncStartedAt);
      await this.accountFeed(settings, ctx, run, owed, touched);
      fullComparison = await this.deletes.run({
        salesforce: this.deps.salesforce,
        store,
        now: this.now,
        syncByIds: (ids, last) => this.syncByIds(ids, ctx, RESYNC, run, last),
        checkBudget: () => this.checkBudget(settings),
      });
      await this.deletedDeals.run({
        hubspot: this.deps.hubspot,
        salesforce: this.deps.salesforce,
        policy: settings.hubspotDealDeletes,
        store,
        now: this.now,
        resync: (ids) => this.syncByIds(ids, ctx, { reason: 'resync', dealsDeleted: new Set(ids) }, run),
        checkBudget: () => this.checkBudget(settings),
      });
      await this.dueRetries(settings, ctx, run);
      await this.rescope(settings, ctx, run, syncStartedAt);
      if (owed) await this.flushRollups(owed);
      this.caughtUp = true;
    } catch (err) {
      if (!(err instanceof SyncPaused)) throw err;
      paused = true;
    } finally {
      await this.usage.record(this.now().toISOString());
    }
    const result: PassResult = {
      ...passSummary('sync', startedAt, this.now().toISOString(), counts),
      ran: true,
      paused,
      touched,
      cursors: Object.fromEntries(
        await Promise.all(PASS_CURSORS.map(async (name) => [name, await store.getCursor(name)] as const)),
      ),
      ...(fullComparison ? { fullComparison } : {}),
      ...(metadataCheck ? { metadataCheck } : {}),
      ...(twoWay ? { twoWay } : {}),
    };
    await store.savePassSummary(passSummary('sync', result.startedAt, result.finishedAt, counts));
    return result;
  }

  /** One batch: written to HubSpot, then its outcome (and `cursorUpdate`) stored in one transaction. */
  private async runBatch(
    b: { env: () => BatchEnv; owed: OwedRollups | undefined; counts: Counts; touched: Touched },
    opps: SfOpportunityWithRoles[],
    mode: BatchMode,
    cursorUpdate?: () => Promise<void>,
  ): Promise<BatchOutcome> {
    await stopIfPaused(this.deps.store);
    const outcome = await syncOpportunityBatch(b.env(), opps, mode);
    b.owed?.add(outcome.touched);
    await storeOutcome(this.deps.store, outcome, async () => {
      await b.owed?.save();
      if (cursorUpdate) await cursorUpdate();
    });
    this.afterStored(outcome, b.counts, b.touched);
    for (const fn of [this.deps.onBatch, ...this.batchObservers]) fn?.(outcome);
    if (b.owed && b.owed.size >= this.options.rollupFlushAt) await this.flushRollups(b.owed);
    return outcome;
  }

  /** Records from outside a pass (engine/cdc) through its own steps, `inTransaction` stored with
   * the outcome; undefined when sync is off or paused (nothing written, nothing stored). */
  async applyChanges(
    opps: SfOpportunityWithRoles[],
    mode: BatchMode,
    inTransaction: () => Promise<void>,
  ): Promise<BatchOutcome | undefined> {
    const { store } = this.deps;
    const settings = await readSettings(store);
    if (!settings.opportunitySync || (await readPause(store)).paused) return undefined;
    const ctx = await this.context(settings);
    const syncStartedAt = await readOrInitSyncStartedAt(this.deps);
    const fixed = { settings, ctx, syncStartedAt, ...(this.caughtUp ? {} : { catchingUp: true }) };
    const env = (): BatchEnv => ({ ...this.deps, ...fixed, now: this.now() });
    const owed = this.deps.onTouched ? await OwedRollups.load(store) : undefined;
    this.stages = new Map();
    try {
      const b = { env, owed, counts: emptyCounts(), touched: emptyTouched() };
      const outcome = await this.runBatch(b, opps, mode, inTransaction);
      // At most every 2 s: the owed set is stored, and each flush spends HubSpot calls (the pacer's).
      const due = owed && owed.size > 0 && Date.now() - this.cdcRollupsAt >= 2000;
      if (due) await this.flushRollups(owed).then(() => (this.cdcRollupsAt = Date.now()));
      return outcome;
    } catch (err) {
      if (err instanceof SyncPaused) return undefined;
      throw err;
    } finally {
      await this.usage.record(this.now().toISOString());
    }
  }

  async extraFields(): Promise<string[]> {
    return (await this.context(await readSettings(this.deps.store))).extraFields;
  }

  private async flushRollups(owed: OwedRollups): Promise<void> {
    if (!this.deps.onTouched) return;
    // Called with nothing owed too: the hook also writes the rollups whose retry time has come,
    // which a pass that touched no contact would otherwise never retry.
    await stopIfPaused(this.deps.store);
    const batch = owed.touched();
    batch.contactStages = this.stages;
    batch.portalCurrency = this.ctx?.portalCurrency;
    if (!this.caughtUp) batch.rewrite = true;
    await this.deps.onTouched(batch);
    if (batch.contactIds.size + batch.accountIds.size > 0) await owed.settle(batch);
  }

  private afterStored(outcome: BatchOutcome, counts: Counts, touched: Touched): void {
    for (const o of outcome.processed) this.memo.sawOpportunity(o);
    addCounts(counts, outcome.counts);
    for (const id of outcome.touched.opportunityIds) touched.opportunityIds.add(id);
    for (const id of outcome.touched.contactIds) touched.contactIds.add(id);
    for (const id of outcome.touched.accountIds) touched.accountIds.add(id);
    for (const [id, stage] of outcome.touched.contactStages ?? []) this.stages.set(id, stage);
  }

  private async context(settings: Settings): Promise<SyncContext> {
    const nowMs = this.now().getTime();
    if (!this.ctx || nowMs - this.ctx.loadedAt > this.options.contextTtlMs) {
      this.ctx = await loadSyncContext(this.deps, settings, nowMs);
    }
    await refreshFromSettings(this.deps.store, this.ctx.mapping, settings);
    return this.ctx;
  }

  /** Stops the pass cleanly when the org's API usage reaches dealbridge's budget. */
  checkBudget(settings: Settings): void {
    const spent = budgetReached(this.deps.salesforce.usage(), settings.salesforceBudgetPercent);
    if (!spent) return;
    this.budgetStopped = true;
    throw new DealbridgeError(
      'SALESFORCE_LIMIT_REACHED',
      `Salesforce API usage ${spent.used}/${spent.max} has reached dealbridge's budget (${settings.salesforceBudgetPercent} % = ${spent.limit})`,
    );
  }

  private get windows(): LookbackWindows {
    return {
      lookbackSeconds: this.options.lookbackSeconds,
      shortLookbackSeconds: this.options.shortLookbackSeconds,
      sweepIntervalMs: this.options.lateCommitSweepMs,
    };
  }

  /** Every pass: from the cursor minus the short window, moving the cursor batch by batch. */
  private async opportunityFeed(settings: Settings, ctx: SyncContext, run: Runner): Promise<void> {
    const cursor = await startCursor(this.deps, CURSOR_OPPORTUNITIES);
    const from = readFrom(cursor, Math.min(this.options.shortLookbackSeconds, this.options.lookbackSeconds));
    await this.readOpportunities(settings, ctx, run, { from, cursor, cursorName: CURSOR_OPPORTUNITIES });
  }

  private async contactRoleFeed(
    settings: Settings,
    ctx: SyncContext,
    run: Runner,
    syncStartedAt: IsoDateTime,
  ): Promise<void> {
    const cursor = await startCursor(this.deps, CURSOR_CONTACT_ROLES);
    const from = readFrom(cursor, Math.min(this.options.shortLookbackSeconds, this.options.lookbackSeconds));
    const read = { from, cursor, cursorName: CURSOR_CONTACT_ROLES, syncStartedAt };
    await this.readContactRoles(settings, ctx, run, read);
  }

  /** The sweep of late commits (late-commits.ts runSweeps), through the feeds' own read paths. */
  private lateCommits(settings: Settings, ctx: SyncContext, run: Runner, syncStartedAt: IsoDateTime) {
    return runSweeps({
      store: this.deps.store,
      windows: this.windows,
      lookbackSeconds: this.options.lookbackSeconds,
      nowMs: this.now().getTime(),
      serverTime: () => this.deps.salesforce.serverTime(),
      checkBudget: () => this.checkBudget(settings),
      readOpportunities: (range) => this.readOpportunities(settings, ctx, run, range),
      readContactRoles: (range) => this.readContactRoles(settings, ctx, run, { ...range, syncStartedAt }),
    });
  }

  /** Reads changed opportunities from `from` (before `before`) and syncs them page by page. */
  private async readOpportunities(
    settings: Settings,
    ctx: SyncContext,
    run: Runner,
    r: FeedRead,
  ): Promise<void> {
    let cursor = r.cursor;
    const pages = this.deps.salesforce.opportunitiesChangedSince(r.from, {
      extraFields: ctx.extraFields,
      ...(r.before !== undefined ? { before: r.before } : {}),
    });
    for await (const [page, nextPage] of withNext(prefetched(pages))) {
      const batches = chunk(page, this.options.batchSize);
      for (const [i, batch] of batches.entries()) {
        const nextCursor = advance(cursor, batch);
        const lookahead = batches[i + 1] ?? nextPage;
        await run(batch, { reason: 'sync', cheapSkip: true, lookahead }, () =>
          this.deps.store.setCursor(r.cursorName, nextCursor),
        );
        cursor = nextCursor;
      }
      this.checkBudget(settings);
    }
  }

  /** Reads changed contact roles likewise; their opportunities are re-read and synced. */
  private async readContactRoles(
    settings: Settings,
    ctx: SyncContext,
    run: Runner,
    r: FeedRead & { syncStartedAt: IsoDateTime },
  ): Promise<void> {
    let cursor = r.cursor;
    const start = instantMs(r.syncStartedAt);
    const pages = this.deps.salesforce.contactRolesChangedSince(
      r.from,
      r.before !== undefined ? { before: r.before } : {},
    );
    for await (const page of prefetched(pages)) {
      for (const roles of chunk(page, this.options.batchSize)) {
        const nextCursor = advance(cursor, roles);
        // The windows read roles changed before T too: those are no trigger (scope-rule.ts).
        const pending = roles.filter((x) => !this.memo.accounted(x) && instantMs(x.SystemModstamp) >= start);
        const oppIds = [...new Set(pending.map((x) => x.OpportunityId))];
        const setCursor = () => this.deps.store.setCursor(r.cursorName, nextCursor);
        if (oppIds.length === 0) {
          await setCursor();
        } else {
          await this.syncByIds(oppIds, ctx, { reason: 'resync', trigger: 'contact-role' }, run, setCursor);
        }
        this.memo.markHandled(roles);
        cursor = nextCursor;
      }
      this.checkBudget(settings);
    }
  }

  /** Changed accounts (account-feed.ts), once per `accountFeedIntervalMs`. */
  private async accountFeed(
    settings: Settings,
    ctx: SyncContext,
    run: Runner,
    owed: OwedRollups | undefined,
    touched: Touched,
  ): Promise<void> {
    const at = this.now().getTime();
    const { store } = this.deps;
    if (!(await this.accountSchedule.due(store, at))) return; // account-schedule.ts
    await runAccountFeed({
      salesforce: this.deps.salesforce,
      store,
      lookbackSeconds: this.options.lookbackSeconds,
      batchSize: this.options.batchSize,
      memo: this.accountMemo,
      startCursor: () => startCursor(this.deps, CURSOR_ACCOUNTS),
      oweRollups: (ids) => {
        owed?.add({ contactIds: new Set(), accountIds: new Set(ids) });
        for (const id of ids) touched.accountIds.add(id);
      },
      commit: (fn) =>
        store.transaction(async () => {
          await owed?.save();
          await fn();
        }),
      resync: (ids, last) => this.syncByIds(ids, ctx, RESYNC, run, last),
      checkBudget: () => this.checkBudget(settings),
    });
    this.accountSchedule.ran(at);
  }

  /**
   * Re-reads opportunities by id and syncs them; ids Salesforce no longer returns at all (hard
   * deleted, recycle bin emptied) archive their deals. `last` runs with the last batch's outcome.
   */
  private async syncByIds(
    ids: string[],
    ctx: SyncContext,
    mode: Pick<BatchMode, 'reason' | 'trigger' | 'dealsDeleted'>,
    run: Runner,
    last?: () => Promise<void>,
  ): Promise<void> {
    const batches = chunk([...new Set(ids)], this.options.batchSize);
    for (const [i, part] of batches.entries()) {
      const found = await this.deps.salesforce.opportunitiesByIds(part, { extraFields: ctx.extraFields });
      const seen = new Set(found.map((o) => o.Id));
      const gone = part.filter((id) => !seen.has(id));
      const opps = [
        ...found,
        ...(gone.length === 0 ? [] : await tombstones(this.deps.store, gone, this.now().toISOString())),
      ];
      const purged = gone.length > 0 ? { purged: new Set(gone) } : {};
      await run(opps, { ...mode, ...purged, cheapSkip: false }, i === batches.length - 1 ? last : undefined);
    }
    if (batches.length === 0 && last) await last();
  }

  private async dueRetries(settings: Settings, ctx: SyncContext, run: Runner): Promise<void> {
    const due = await this.deps.store.dueRetries(this.now().toISOString(), this.options.retriesPerPass);
    const ids = due.filter((e) => e.recordKey.startsWith('opportunity:')).map((e) => e.recordKey.slice(12));
    if (ids.length === 0) return;
    this.checkBudget(settings);
    await this.syncByIds(ids, ctx, RESYNC, run);
  }

  /** New and found contacts bring their opportunities, once per `rescopeIntervalMs` (rescope.ts). */
  private async rescope(
    settings: Settings,
    ctx: SyncContext,
    run: Runner,
    syncStartedAt: IsoDateTime,
  ): Promise<void> {
    const nowMs = this.now().getTime();
    if (nowMs - this.lastRescopeAt < this.options.rescopeIntervalMs) return;
    this.lastRescopeAt = nowMs;
    await rescope({
      ...this.deps,
      lookbackSeconds: this.options.lookbackSeconds,
      contactIdIsUnique: ctx.contactIdIsUnique,
      memo: this.newContacts,
      syncStartedAt,
      newContactResync: (ids, last) =>
        this.syncByIds(ids, ctx, { reason: 'resync', trigger: 'new-contact' }, run, last),
      resync: (ids) => this.syncByIds(ids, ctx, RESYNC, run),
      checkBudget: () => this.checkBudget(settings),
    });
  }
}

const RESYNC = { reason: 'resync' } as const;

export { opportunityKey };
