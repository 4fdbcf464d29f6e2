// The Change Data Capture feed: subscribes to /data/ChangeEvents from the stored replay id,
// batches what arrives (in delivery order, which is commit order), and applies each batch through
// SyncEngine.applyChanges, the pass's own batch steps; the batch's last replay id is stored in
// the transaction that stores its outcome. A dropped connection is subscribed again with
// backoff; an expired replay id and GAP_OVERFLOW fall back to a cursor comparison (a polling
// pass from the stored cursors, `requestPoll`); gap events and records the cache never saw are
// read by id. docs/sync.md, "Change Data Capture".
import { exponentialBackoffMs } from '../../http/retry.js';
import type { ErrorCode } from '../../errors/index.js';
import {
  ALL_CHANGES_CHANNEL,
  type ChangeEvent,
  type ChangeEventPort,
  type StreamFailure,
} from '../ports/change-events.js';
import type { SalesforcePort, SfOpportunityWithRoles } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import type { CdcStatus } from '../ports/store/cdc.js';
import type { BatchMode, BatchOutcome } from '../sync/batch.js';
import { sleep } from '../sync/loop.js';
import { tombstones } from '../sync/tombstones.js';
import { chunk } from '../../lib/chunk.js';
import { ImageCache } from './images.js';
import { placeRoles, planEvents, type EventPlan } from './plan.js';
import { planAccountChanges } from './accounts.js';
import { OwedRollups } from '../rollups/owed-rollups.js';

export interface CdcEngine {
  applyChanges(
    opps: SfOpportunityWithRoles[],
    mode: BatchMode,
    inTransaction: () => Promise<void>,
  ): Promise<BatchOutcome | undefined>;
  extraFields(): Promise<string[]>;
}

export interface CdcFeedOptions {
  /**
   * How long the feed waits for more events before it applies a batch (default 200 ms): each batch
   * costs at least one HubSpot call, and at 20 changes a second one batch per event would outrun
   * the Free tier's 100 requests per 10 s, whose pacer then stalls every write for seconds.
   */
  batchWindowMs?: number;
  /** Records per batch at most (default 2,000, a query page). */
  maxBatchRecords?: number;
  /** First wait after a dropped connection; doubles per failure (default 1 s, at most 60 s). */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** How often a feed whose org has not selected Opportunity asks again (default 5 minutes). */
  selectionRecheckMs?: number;
  /** How often the delivery allocation is read from /limits (default 15 minutes). */
  allocationCheckMs?: number;
}

export interface CdcBatchReport {
  events: number;
  outcome: BatchOutcome[];
  /** Accounts the batch read by id (Account events that did not carry what was needed). */
  accountsRead: number;
  /** Contact roles the images could not place that the store's mirror placed. */
  rolesFromMirror: number;
  /** Contact roles the batch looked up in Salesforce (neither the images nor the mirror placed them). */
  rolesReadById: number;
}

export interface CdcFeedDeps {
  engine: CdcEngine;
  salesforce: Pick<SalesforcePort, 'opportunitiesByIds' | 'accountsByIds' | 'opportunityIdsOfRoles'>;
  stream: ChangeEventPort;
  store: StateStore;
  /** Runs fn alone: the polling passes and the UI's writes take the same lock. */
  serialize: <T>(fn: () => Promise<T>) => Promise<T>;
  /** A cursor comparison from the stored cursors, as soon as possible (the polling loop runs it). */
  requestPoll: (reason: string) => void;
  /** Status changes, for the CLI's output and the server's log. */
  onStatus?: (status: CdcStatus, reason: string | null, code?: ErrorCode | null) => void;
  onBatch?: (b: CdcBatchReport) => void;
  now?: () => Date;
  options?: CdcFeedOptions;
}

/** The catalogue code of each way a subscription ends (src/errors/catalogue-cdc.ts). */
const FAILURE_CODES: Record<StreamFailure['kind'], ErrorCode> = {
  'replay-invalid': 'CDC_REPLAY_ID_EXPIRED',
  limit: 'CDC_EVENT_ALLOCATION_SPENT',
  auth: 'CDC_AUTH_FAILED',
  dropped: 'CDC_STREAM_DOWN',
};

/** Idle this long after a batch, the feed lets the engine flush the rollups it left owed. */
const ROLLUP_FLUSH_WAIT_MS = 2500;
const FLUSH_MODE: BatchMode = { reason: 'resync', cheapSkip: false };

/** Setting under which the feed keeps the last /limits reading of DailyDeliveredPlatformEvents. */
export const DELIVERY_ALLOCATION_SETTING = 'cdcDeliveryAllocation';

export class CdcFeed {
  readonly images = new ImageCache();
  status: CdcStatus = 'off';
  private queue: ChangeEvent[] = [];
  private wake: (() => void) | undefined;
  private down: StreamFailure | undefined;
  private lastAllocationAt = Number.NEGATIVE_INFINITY;
  /** A batch may have left rollups owed (the engine flushes at most every 2 s): flush once idle. */
  private rollupsOwed = false;
  private readonly o: Required<CdcFeedOptions>;
  private readonly now: () => Date;

  constructor(private readonly deps: CdcFeedDeps) {
    this.o = {
      batchWindowMs: 200,
      maxBatchRecords: 2000,
      reconnectBaseMs: 1000,
      reconnectMaxMs: 60_000,
      selectionRecheckMs: 5 * 60_000,
      allocationCheckMs: 15 * 60_000,
      ...deps.options,
    };
    this.now = deps.now ?? (() => new Date());
  }

  /** Whether CDC is the live path (the polling loop slows down while it is). */
  get live(): boolean {
    return this.status === 'live';
  }

  private async setStatus(
    status: CdcStatus,
    reason: string | null,
    code: ErrorCode | null = null,
  ): Promise<void> {
    const changed = status !== this.status;
    this.status = status;
    await this.deps.store.saveCdcStatus(ALL_CHANGES_CHANNEL, status, reason, code).catch(() => undefined);
    if (changed) this.deps.onStatus?.(status, reason, code);
  }

  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let selected: string[];
      try {
        selected = await this.deps.stream.selectedEntities();
      } catch (err) {
        failures++;
        await this.setStatus(
          'down',
          `could not read the Change Data Capture selection: ${String(err)}`,
          'CDC_STREAM_DOWN',
        );
        await sleep(exponentialBackoffMs(failures, this.o.reconnectBaseMs, this.o.reconnectMaxMs), signal);
        continue;
      }
      if (!selected.includes('Opportunity')) {
        await this.setStatus(
          'not-selected',
          'Opportunity is not selected for Change Data Capture (Setup › Change Data Capture); polling is the live path',
          'CDC_NOT_SELECTED',
        );
        await sleep(this.o.selectionRecheckMs, signal);
        continue;
      }
      const failure = await this.subscribeAndApply(signal, selected);
      if (!failure || signal.aborted) break;
      failures = failure.kind === 'replay-invalid' ? 0 : failures + 1;
      await this.setStatus('down', failure.message, FAILURE_CODES[failure.kind]);
      if (failure.kind === 'replay-invalid') {
        // Past the 72-hour retention: start from new events, and compare from the stored cursors.
        await this.deps.store.clearReplayId(ALL_CHANGES_CHANNEL);
        this.deps.requestPoll('the stored replay id has expired');
        continue;
      }
      this.deps.requestPoll(`the change event stream is down (${failure.kind})`);
      const wait =
        failure.kind === 'limit'
          ? this.o.selectionRecheckMs
          : exponentialBackoffMs(failures, this.o.reconnectBaseMs, this.o.reconnectMaxMs);
      await sleep(wait, signal);
    }
    await this.setStatus('off', null);
  }

  /** One subscription, until it fails (the failure) or the signal aborts (undefined). */
  private async subscribeAndApply(
    signal: AbortSignal,
    selected: string[],
  ): Promise<StreamFailure | undefined> {
    const state = await this.deps.store.getCdcState(ALL_CHANGES_CHANNEL);
    const from = state?.replayId ?? -1;
    this.queue = [];
    this.down = undefined;
    let up = false;
    await this.setStatus('connecting', null);
    const sub = this.deps.stream.subscribe(from, {
      onEvent: (e) => {
        this.queue.push(e);
        this.wake?.();
      },
      onUp: () => {
        up = true;
        this.wake?.();
      },
      onDown: (f) => {
        this.down = f;
        this.wake?.();
      },
    });
    const stop = () => this.wake?.();
    signal.addEventListener('abort', stop);
    try {
      if (from === -1) this.deps.requestPoll('no stored replay id: compare from the stored cursors once');
      const missing = ['OpportunityContactRole'].filter((e) => !selected.includes(e));
      let last = Date.now();
      for (;;) {
        if (signal.aborted) return undefined;
        if (this.down) return this.down;
        if (up && this.status !== 'live')
          await this.setStatus('live', missing.length ? `${missing.join(', ')} not selected: polled` : null);
        if (this.queue.length === 0) {
          await this.waitForWork(this.rollupsOwed ? ROLLUP_FLUSH_WAIT_MS : 60_000);
          if (this.rollupsOwed && this.queue.length === 0) await this.flushRollups();
          if (Date.now() - last >= 60_000) {
            // A heartbeat, so that `status` in another process can tell a live feed from a dead one.
            await this.setStatus(
              this.status,
              up && missing.length ? `${missing.join(', ')} not selected: polled` : null,
            );
            last = Date.now();
          }
          await this.checkAllocation();
          continue;
        }
        await sleep(this.o.batchWindowMs, signal);
        const batch = this.take();
        await this.applyBatch(batch, signal);
        last = Date.now();
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await sub.close().catch(() => undefined);
    }
  }

  private waitForWork(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private take(): ChangeEvent[] {
    let records = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || records < this.o.maxBatchRecords)) {
      records += Math.max(1, this.queue[n]!.header.recordIds.length);
      n++;
    }
    return this.queue.splice(0, n);
  }

  /** Applies one batch; a failure (HubSpot down, the store) retries it with backoff, in order. */
  private async applyBatch(events: ChangeEvent[], signal: AbortSignal): Promise<void> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await this.deps.serialize(() => this.applyOnce(events));
        return;
      } catch (err) {
        this.deps.onStatus?.(this.status, `a batch of change events failed (${String(err)}); retrying`);
        await sleep(exponentialBackoffMs(attempt, this.o.reconnectBaseMs, this.o.reconnectMaxMs), signal);
      }
    }
  }

  private async applyOnce(events: ChangeEvent[]): Promise<void> {
    const last = events[events.length - 1]!;
    const { store } = this.deps;
    const plan = planEvents(this.images, events);
    const placed = await this.placeRoles(plan.unplacedRoles);
    placeRoles(plan, this.images, placed.byOpportunity);
    const accounts = await planAccountChanges(this.deps, plan.accounts);
    this.images.updateAccounts(accounts.mirror);
    const storeReplay = async () => {
      if (accounts.mirror.length > 0) await store.saveAccounts(accounts.mirror);
      await store.saveReplayId(
        ALL_CHANGES_CHANNEL,
        last.replayId,
        new Date(last.header.commitTimestamp).toISOString(),
      );
    };
    // Owed before the writes, in a transaction of their own: a crash before the replay id is
    // stored delivers the events again and owes them again, which costs nothing (rollups are
    // idempotent); the engine's batch loads the owed set from the store and flushes it.
    if (accounts.rollupAccountIds.length > 0) await this.oweRollups(accounts.rollupAccountIds);
    const groups = await this.groups(plan, accounts.resyncOpportunityIds);
    // Owed rollups with no opportunity to write: an empty batch stores the replay id and flushes them.
    if (groups.length === 0 && accounts.rollupAccountIds.length > 0)
      groups.push({ opps: [], mode: FLUSH_MODE });
    const outcomes: BatchOutcome[] = [];
    for (const [i, g] of groups.entries()) {
      const isLast = i === groups.length - 1;
      const outcome = await this.deps.engine.applyChanges(
        g.opps,
        g.mode,
        isLast ? storeReplay : () => Promise.resolve(),
      );
      if (!outcome) throw new Error('sync is off or paused');
      this.images.remember(outcome.processed);
      outcomes.push(outcome);
    }
    if (groups.length === 0) await store.transaction(storeReplay);
    this.rollupsOwed = groups.length > 0;
    await store.recordApiCalls('salesforce-events', events.length, this.now().toISOString());
    if (plan.poll) this.deps.requestPoll(plan.poll);
    this.deps.onBatch?.({
      events: events.length,
      outcome: outcomes,
      accountsRead: accounts.readById,
      rolesFromMirror: placed.fromMirror,
      rolesReadById: placed.readById,
    });
  }

  /** Roles the images cannot place: the store's mirror first, then Salesforce (queryAll) for the rest. */
  private async placeRoles(
    roleIds: string[],
  ): Promise<{ byOpportunity: Map<string, string>; fromMirror: number; readById: number }> {
    if (roleIds.length === 0) return { byOpportunity: new Map(), fromMirror: 0, readById: 0 };
    const placed = await this.deps.store.opportunityIdsOfRoles(roleIds);
    const fromMirror = placed.size;
    const rest = roleIds.filter((id) => !placed.has(id));
    if (rest.length > 0)
      for (const [role, opp] of await this.deps.salesforce.opportunityIdsOfRoles(rest)) placed.set(role, opp);
    return { byOpportunity: placed, fromMirror, readById: rest.length };
  }

  /**
   * The rollups the last batches left owed (within 2 s of a flush the engine keeps them in the
   * store): an empty batch, which stores nothing but lets the engine flush them. Without it they
   * would wait for the next event or polling pass.
   */
  private async flushRollups(): Promise<void> {
    this.rollupsOwed = false;
    await this.deps
      .serialize(() => this.deps.engine.applyChanges([], FLUSH_MODE, () => Promise.resolve()))
      .catch((err: unknown) => {
        this.deps.onStatus?.(
          this.status,
          `flushing owed rollups failed (${String(err)}); the next pass retries`,
        );
      });
  }

  private async oweRollups(accountIds: string[]): Promise<void> {
    const { store } = this.deps;
    await store.transaction(async () => {
      const owed = await OwedRollups.load(store);
      owed.add({ contactIds: new Set(), accountIds: new Set(accountIds) });
      await owed.save();
    });
  }

  /**
   * The batches a plan makes: own changes (and deletes), then contact-role changes, then the
   * opportunities account changes re-sync (read by id: their images hold the account as it was).
   */
  private async groups(
    plan: EventPlan,
    accountResync: string[],
  ): Promise<{ opps: SfOpportunityWithRoles[]; mode: BatchMode }[]> {
    const taken = new Set([...plan.changed, ...plan.roleChanged, ...plan.read, ...plan.gone]);
    const resync = accountResync.filter((id) => !taken.has(id));
    for (const id of resync) this.images.forget(id);
    const toRead = [...plan.read, ...resync];
    const read = new Map<string, SfOpportunityWithRoles>();
    const extraFields = toRead.length > 0 ? await this.deps.engine.extraFields() : [];
    for (const part of chunk(toRead, 500)) {
      for (const o of await this.deps.salesforce.opportunitiesByIds(part, { extraFields })) read.set(o.Id, o);
    }
    this.images.remember([...read.values()]);
    const gone = [...plan.gone, ...[...plan.read].filter((id) => !read.has(id))];
    const role = new Set(plan.roleChanged);
    const own = [...plan.changed, ...[...plan.read].filter((id) => read.has(id) && !role.has(id))];
    const image = (id: string) => this.images.get(id) ?? read.get(id);
    const out: { opps: SfOpportunityWithRoles[]; mode: BatchMode }[] = [];
    const ownOpps = own.flatMap((id) => image(id) ?? []);
    const stamp = this.now().toISOString();
    const goneOpps = gone.length ? await tombstones(this.deps.store, gone, stamp) : [];
    if (ownOpps.length + goneOpps.length > 0)
      out.push({
        opps: [...ownOpps, ...goneOpps],
        mode: { reason: 'sync', cheapSkip: false, ...(gone.length ? { purged: new Set(gone) } : {}) },
      });
    const roleOpps = plan.roleChanged.flatMap((id) => image(id) ?? []);
    if (roleOpps.length > 0)
      out.push({ opps: roleOpps, mode: { reason: 'sync', cheapSkip: false, trigger: 'contact-role' } });
    // As the account feed's re-sync (syncByIds): ids Salesforce no longer returns are archived.
    const resyncGone = resync.filter((id) => !read.has(id));
    const resyncOpps = [
      ...resync.flatMap((id) => read.get(id) ?? []),
      ...(resyncGone.length ? await tombstones(this.deps.store, resyncGone, stamp) : []),
    ];
    if (resyncOpps.length > 0)
      out.push({
        opps: resyncOpps,
        mode: {
          reason: 'resync',
          cheapSkip: false,
          ...(resyncGone.length ? { purged: new Set(resyncGone) } : {}),
        },
      });
    return out;
  }

  /** Reads DailyDeliveredPlatformEvents now and then (one REST call each time). */
  private async checkAllocation(): Promise<void> {
    const at = Date.now();
    if (at - this.lastAllocationAt < this.o.allocationCheckMs) return;
    this.lastAllocationAt = at;
    const reading = await this.deps.stream.deliveryAllocation().catch(() => undefined);
    if (reading) await this.deps.store.setSetting(DELIVERY_ALLOCATION_SETTING, reading);
  }
}
