// What `POST /webhooks/hubspot` hands over once it has answered HubSpot: the deals its events
// name, processed afterwards, one batch at a time, under the lock the sync passes take (so a
// webhook and a pass never decide the same deal at once). A deal changed (`propertyChange`) or
// re-associated (`associationChange`) is read by id and handled as the poll handles it; the poll
// stays the fallback (a lost or failed webhook is found by the next pass, and a change already
// handled here is no change then). Creations and deletions are taken and counted, and left to
// the poll and the deleted-deals check (deals made in HubSpot do not become opportunities yet).
import { DealbridgeError } from '../../errors/index.js';
import { loadSyncContext, refreshFromSettings, type SyncContext } from '../mapping/sync-context.js';
import { readPause } from '../pause.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { budgetReached } from '../sync/budget.js';
import { readSettings } from '../user-settings.js';
import type { HubspotToSalesforce, TwoWayCounts } from './step.js';
import type { DealEvent } from './webhook-events.js';

export interface WebhookQueueDeps {
  step: HubspotToSalesforce;
  salesforce: () => Promise<SalesforcePort>;
  hubspot: () => Promise<HubspotPort>;
  store: StateStore;
  /** Runs a batch under the passes' lock. */
  serialize: <T>(fn: () => Promise<T>) => Promise<T>;
  onError?: (err: unknown) => void;
  onProcessed?: (counts: TwoWayCounts) => void;
  /** How long the mapping context is reused (default 10 minutes, as the engine's). */
  contextTtlMs?: number;
  /**
   * How long a first delivery waits for others before its batch is processed (default 250 ms):
   * HubSpot sends one request per few events, and a collection write per event would spend
   * Salesforce calls the batch saves; the latency goal (2 s) leaves room for it.
   */
  coalesceMs?: number;
}

export class WebhookQueue {
  private readonly pending = new Set<string>();
  private draining: Promise<void> | undefined;
  private ctx: SyncContext | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: WebhookQueueDeps) {}

  /** Queues the deals to re-read and starts processing (after the caller has answered). */
  accept(events: DealEvent[]): { queued: number; ignored: number } {
    let queued = 0;
    for (const e of events) {
      if (e.kind !== 'propertyChange' && e.kind !== 'associationChange') continue;
      this.pending.add(e.dealId);
      queued++;
    }
    if (this.pending.size > 0 && !this.timer && !this.draining)
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.deps.coalesceMs ?? 250);
    return { queued, ignored: events.length - queued };
  }

  /** Resolves once everything queued so far is processed (tests, shutdown). */
  async idle(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.draining || this.pending.size > 0) await (this.draining ?? this.drain());
  }

  private drain(): Promise<void> {
    this.draining ??= this.loop().finally(() => {
      this.draining = undefined;
      // Deliveries taken while the last batch was finishing.
      if (this.pending.size > 0) void this.drain();
    });
    return this.draining;
  }

  private async loop(): Promise<void> {
    while (this.pending.size > 0) {
      const ids = [...this.pending];
      this.pending.clear();
      try {
        const counts = await this.deps.serialize(() => this.process(ids));
        if (counts) this.deps.onProcessed?.(counts);
      } catch (err) {
        // The poll finds these deals again; nothing is lost by dropping the batch here.
        this.deps.onError?.(err);
      }
    }
  }

  private async process(dealIds: string[]): Promise<TwoWayCounts | undefined> {
    const { store } = this.deps;
    const settings = await readSettings(store);
    if (!settings.opportunitySync || (await readPause(store)).paused) return undefined;
    const salesforce = await this.deps.salesforce();
    const nowMs = Date.now();
    if (!this.ctx || nowMs - this.ctx.loadedAt > (this.deps.contextTtlMs ?? 10 * 60_000)) {
      this.ctx = await loadSyncContext(
        { salesforce, hubspot: await this.deps.hubspot(), store },
        settings,
        nowMs,
      );
    }
    await refreshFromSettings(store, this.ctx.mapping, settings);
    const checkBudget = () => {
      const spent = budgetReached(salesforce.usage(), settings.salesforceBudgetPercent);
      if (spent)
        throw new DealbridgeError(
          'SALESFORCE_LIMIT_REACHED',
          `Salesforce API usage ${spent.used}/${spent.max} has reached dealbridge's budget (${settings.salesforceBudgetPercent} % = ${spent.limit})`,
        );
    };
    return this.deps.step.runDeals({ ...this.ctx, checkBudget }, dealIds);
  }
}
