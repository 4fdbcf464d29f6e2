// Builds everything a command needs from the configuration: the state store, the two adapters
// (created on first use, so `status` or `settings get` work without credentials) and the engine.
import type { HubspotPort, SalesforcePort } from '../engine/ports/remote.js';
import { SyncEngine, type EngineOptions } from '../engine/sync/pass.js';
import type { StateStore } from '../engine/ports/store.js';
import type { Touched } from '../engine/sync/batch.js';
import { loadRuntimeConfig, type RuntimeConfig } from './runtime-config.js';
import { createRollupHook } from '../engine/rollups/hook.js';
import { dryRunPass, type DryRunReport } from '../engine/dry-run/run.js';

export type { RuntimeConfig } from './runtime-config.js';

export interface Runtime {
  config: RuntimeConfig;
  store: StateStore;
  /** Created on first use. */
  salesforce(): Promise<SalesforcePort>;
  hubspot(): Promise<HubspotPort>;
  /** The sync engine over the store and both adapters (created on first use). */
  engine(): Promise<SyncEngine>;
  /**
   * `sync --dry-run`: one pass on a throwaway copy of the store, with a HubSpot port that only
   * records (engine/dry-run). The one thing it stores is its API calls, which `status` counts
   * like any other: they spend the same allocations.
   */
  dryRunPass(): Promise<DryRunReport>;
  /**
   * The adapters made so far, without making one: /metrics reads their request counters, and a
   * process that has made no adapter has sent no request (and may hold no credentials).
   */
  openedAdapters(): { salesforce?: SalesforcePort; hubspot?: HubspotPort };
  /** The store's migrations, applied and pending (/readyz: a store behind the code is not ready). */
  migrationStatus(): Promise<{ applied: string[]; pending: string[] }>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  engineOptions?: Partial<EngineOptions>;
  /**
   * What follows a pass's stored pages (once per pass, or when many contacts are owed). Default: the
   * rollup pass (contact and company rollups and lifecycle stages for what the pass touched), so
   * `sync`, `serve` and the sandbox keep them alike.
   */
  onTouched?: (touched: Touched) => Promise<void>;
}

/**
 * `--connection NAME` (the CLI sets DEALBRIDGE_CONNECTION from it): that connection's store and
 * credentials from the registry (connections.ts); none or `default`: the environment's, as ever.
 */
async function selectedConnection(base: RuntimeConfig): Promise<RuntimeConfig> {
  const name = process.env.DEALBRIDGE_CONNECTION;
  if (name === undefined || name === '' || name === 'default') return base;
  // Loaded only when used: the registry brings pg, which a SQLite process does not need.
  const { connectionConfig } = await import('./connections.js');
  return connectionConfig(base, name);
}

export async function openRuntime(config?: RuntimeConfig, opts: RuntimeOptions = {}): Promise<Runtime> {
  const cfg = config ?? (await selectedConnection(loadRuntimeConfig()));
  const { openStore } = await import('../store/index.js');
  const store = await openStore(cfg.databaseUrl);
  let sf: (SalesforcePort & { close?: () => void }) | undefined;
  let hs: (HubspotPort & { close?: () => void | Promise<void> }) | undefined;
  let engine: SyncEngine | undefined;
  let rollupHook: ((touched: Touched) => Promise<void>) | undefined;
  const defaultOnTouched = async (touched: Touched) => {
    rollupHook ??= createRollupHook({
      salesforce: await rt.salesforce(),
      hubspot: await rt.hubspot(),
      store,
    });
    await rollupHook(touched);
  };
  const rt: Runtime = {
    config: cfg,
    store,
    async salesforce() {
      if (!sf) {
        const budget =
          (await store.getSetting<number>('salesforceBudgetPercent')) ?? cfg.salesforce.budgetPercent;
        sf = await cfg.createSalesforce({ ...cfg.salesforce, budgetPercent: budget });
      }
      return sf;
    },
    async hubspot() {
      hs ??= await cfg.createHubspot(cfg.hubspot);
      return hs;
    },
    async engine() {
      engine ??= new SyncEngine({
        salesforce: await rt.salesforce(),
        hubspot: await rt.hubspot(),
        store,
        options: { ...cfg.engine, ...opts.engineOptions },
        onTouched: opts.onTouched ?? defaultOnTouched,
      });
      return engine;
    },
    async dryRunPass() {
      const salesforce = await rt.salesforce();
      const hubspot = await rt.hubspot();
      const before = { salesforce: salesforce.requestCount(), hubspot: hubspot.usage().requests };
      const scratch = await store.scratchCopy();
      try {
        return await dryRunPass({
          salesforce,
          hubspot,
          scratch,
          options: { ...cfg.engine, ...opts.engineOptions },
        });
      } finally {
        await scratch.close();
        const at = new Date().toISOString();
        const sfCalls = salesforce.requestCount() - before.salesforce;
        const hsCalls = hubspot.usage().requests - before.hubspot;
        if (sfCalls > 0) await store.recordApiCalls('salesforce', sfCalls, at);
        if (hsCalls > 0) await store.recordApiCalls('hubspot', hsCalls, at);
      }
    },
    openedAdapters: () => ({ ...(sf ? { salesforce: sf } : {}), ...(hs ? { hubspot: hs } : {}) }),
    migrationStatus: () => store.migrationStatus(),
    async close() {
      sf?.close?.();
      await hs?.close?.();
      await store.close();
    },
  };
  return rt;
}
