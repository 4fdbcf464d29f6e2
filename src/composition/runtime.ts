// Builds everything a command needs from the configuration: the state store, the two adapters
// (created on first use, so `status` or `settings get` work without credentials) and the engine.
import { fetchTokenScopes } from '../hubspot/scopes.js';
import type { HubspotPort, SalesforcePort } from '../engine/ports/remote.js';
import { SyncEngine, type EngineOptions } from '../engine/sync/pass.js';
import type { StateStore } from '../engine/ports/store.js';
import type { ChangeEventPort } from '../engine/ports/change-events.js';
import type { Touched } from '../engine/sync/batch.js';
import {
  defaultKeyFile,
  loadRuntimeConfig,
  type RuntimeConfig,
  type SalesforceConnectionPorts,
} from './runtime-config.js';
import { createRollupHook } from '../engine/rollups/hook.js';
import { dryRunPass, type DryRunReport } from '../engine/dry-run/run.js';
import type { ConnectionStore } from '../engine/ports/store/connections.js';
import { SecretVault } from '../secrets/vault.js';
import { SalesforceConnect } from '../connect/salesforce.js';
import { HubspotConnect } from '../connect/hubspot.js';
import { DealbridgeError } from '../errors/index.js';
import { HubspotToSalesforce } from '../engine/two-way/step.js';

export type { RuntimeConfig } from './runtime-config.js';

export interface Runtime {
  config: RuntimeConfig;
  store: StateStore;
  /** The stored connections, secrets sealed (src/secrets); the key is read on first use. */
  vault: SecretVault;
  /** The same store, as the rows the vault seals and `secrets rotate` re-seals. */
  connections: ConnectionStore;
  /** Connecting Salesforce (web UI, `dealbridge connect`): its sign-ins live as long as the runtime. */
  salesforceConnect: SalesforceConnect;
  /** Connecting HubSpot with a private-app token (web UI, `dealbridge connect hubspot`). */
  hubspotConnect: HubspotConnect;
  /** Created on first use. */
  salesforce(): Promise<SalesforcePort>;
  /** The Salesforce connection's change events (created with it), if it offers them. */
  changeEvents(): Promise<ChangeEventPort | undefined>;
  /**
   * Drops the Salesforce adapter and the engine made with it (after a connect or disconnect): the
   * next use makes them from the credentials then in force. A loop already running keeps its own.
   */
  resetSalesforce(): void;
  /** The same for HubSpot, after its token was connected or forgotten. */
  resetHubspot(): void;
  hubspot(): Promise<HubspotPort>;
  /** The sync engine over the store and both adapters (created on first use). */
  engine(): Promise<SyncEngine>;
  /** Its HubSpot → Salesforce step (the engine's own), which webhook deliveries use too. */
  twoWay(): Promise<HubspotToSalesforce>;
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

/** Whether the configuration gives Salesforce credentials of its own (they win over a stored connection). */
export function salesforceConfigured(cfg: RuntimeConfig): boolean {
  const s = cfg.salesforce;
  return Boolean(s.accessToken || (s.loginUrl && s.clientId));
}

/** A stored refresh token Salesforce refuses: the connection was revoked or expired. */
function revokedIfRefused(err: unknown): unknown {
  if (
    err instanceof DealbridgeError &&
    err.code === 'AUTH_FAILED' &&
    /invalid_grant|expired access\/refresh token/i.test(err.message)
  )
    return new DealbridgeError(
      'CONNECTION_REVOKED',
      `the stored Salesforce connection is refused: ${err.message}`,
      { cause: err },
    );
  return err;
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
  let sf: SalesforceConnectionPorts | undefined;
  let hs: (HubspotPort & { close?: () => void | Promise<void> }) | undefined;
  let engine: SyncEngine | undefined;
  let twoWay: HubspotToSalesforce | undefined;
  let rollupHook: ((touched: Touched) => Promise<void>) | undefined;
  const defaultOnTouched = async (touched: Touched) => {
    rollupHook ??= createRollupHook({
      salesforce: await rt.salesforce(),
      hubspot: await rt.hubspot(),
      store,
    });
    await rollupHook(touched);
  };
  const vault = new SecretVault(
    store,
    cfg.secrets ?? { key: undefined, keyFile: defaultKeyFile(cfg.databaseUrl) },
  );
  const configured = salesforceConfigured(cfg);
  const salesforceConnect = new SalesforceConnect(vault, { configured });
  const hubspotConfigured = Boolean(cfg.hubspot.accessToken);
  const hubspotConnect = new HubspotConnect(vault, {
    configured: hubspotConfigured,
    create: (token) => cfg.createHubspot({ ...cfg.hubspot, accessToken: token }),
    introspect: (token) => fetchTokenScopes(cfg.hubspot.baseUrl, token),
  });
  const rt: Runtime = {
    config: cfg,
    store,
    vault,
    connections: store,
    salesforceConnect,
    hubspotConnect,
    async salesforce() {
      if (!sf) {
        const budget =
          (await store.getSetting<number>('salesforceBudgetPercent')) ?? cfg.salesforce.budgetPercent;
        // Credentials in the configuration win; else the connection made in the UI or CLI.
        const stored = configured ? undefined : await salesforceConnect.credentials();
        try {
          sf = await cfg.createSalesforce({ ...cfg.salesforce, ...stored, budgetPercent: budget });
        } catch (err) {
          throw stored ? revokedIfRefused(err) : err;
        }
      }
      return sf;
    },
    async changeEvents() {
      await rt.salesforce();
      return sf?.changeEvents?.();
    },
    resetHubspot() {
      void hs?.close?.();
      hs = undefined;
      engine = undefined;
      rollupHook = undefined;
    },
    resetSalesforce() {
      sf?.close?.();
      sf = undefined;
      engine = undefined;
      rollupHook = undefined;
    },
    async hubspot() {
      // HUBSPOT_ACCESS_TOKEN wins; else the token connected in the UI or CLI.
      hs ??= await cfg.createHubspot(
        hubspotConfigured
          ? cfg.hubspot
          : { ...cfg.hubspot, accessToken: (await hubspotConnect.token()) ?? '' },
      );
      return hs;
    },
    async engine() {
      const salesforce = await rt.salesforce();
      const hubspot = await rt.hubspot();
      engine ??= new SyncEngine({
        salesforce,
        hubspot,
        store,
        options: { ...cfg.engine, ...opts.engineOptions },
        onTouched: opts.onTouched ?? defaultOnTouched,
        // Idle (one cursor read a pass) until a mapping's rule sends HubSpot's values.
        twoWay: await rt.twoWay(),
      });
      return engine;
    },
    async twoWay() {
      twoWay ??= new HubspotToSalesforce({
        salesforce: await rt.salesforce(),
        hubspot: await rt.hubspot(),
        store,
      });
      return twoWay;
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
