// What the runtime needs from the configuration, and the factories of the two adapters (passed in
// rather than imported by the engine, so tests and the sandbox can hand over their own).
import { DealbridgeError } from '../errors/index.js';
import type { HubspotPort, SalesforcePort } from '../engine/ports/remote.js';
import type { ChangeEventPort } from '../engine/ports/change-events.js';
import { hubspotTokenMissing, loadConfig, salesforceCredentialsMissing } from '../config/index.js';
import type { RollupPropertyNames } from '../engine/rollups/index.js';
import type { EngineOptions } from '../engine/sync/pass.js';
import { DEFAULT_KEY_FILE_NAME } from '../config/load.js';
import { dirname, join, resolve } from 'node:path';

export interface SalesforceConnection {
  loginUrl?: string;
  instanceUrl?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  accessToken?: string;
  apiVersion: string;
  budgetPercent: number;
}

/**
 * What a Salesforce factory hands the runtime: the REST port, and the Change Data Capture port when
 * the connection offers one (src/salesforce's adapter does; a test's fake may not).
 */
export type SalesforceConnectionPorts = SalesforcePort & {
  close?: () => void;
  changeEvents?: () => ChangeEventPort;
};

export interface HubspotConnection {
  baseUrl: string;
  accessToken: string;
  /** The app's client secret: `serve` checks `POST /webhooks/hubspot` signatures with it. */
  clientSecret?: string;
}

export interface RuntimeConfig {
  databaseUrl: string;
  /** The key stored secrets are sealed under: DEALBRIDGE_SECRET_KEY, else the key file. */
  secrets?: { key: string | undefined; keyFile: string };
  salesforce: SalesforceConnection;
  hubspot: HubspotConnection;
  engine: Partial<EngineOptions>;
  /** Time between sync passes (config `sync.intervalSeconds`). */
  intervalMs?: number;
  /** Time between polling passes while CDC is live (config `sync.cdcPollIntervalSeconds`, default 60 s). */
  cdcPollIntervalMs?: number;
  /** The web UI's login (config `adminToken` / DEALBRIDGE_ADMIN_TOKEN), validated by src/config. */
  adminToken?: string;
  /**
   * How the web server is reached (config `server.secureCookies`, `server.trustProxy`), and the
   * bearer token /metrics wants (`server.metricsToken`, DEALBRIDGE_METRICS_TOKEN).
   */
  server?: { secureCookies: boolean; trustProxy: boolean; metricsToken?: string | undefined };
  /** The logs of long-running commands (config `log.format`, `log.level`; docs/operations.md). */
  log?: { format: 'json' | 'pretty' | undefined; level: string };
  /** HubSpot calls per day dealbridge may use (config `sync.hubspotDailyAllocation`). */
  hubspotDailyAllocation?: number;
  /** Names of the rollup properties setup creates (config `properties`). */
  rollupPropertyNames?: RollupPropertyNames;
  createSalesforce(c: SalesforceConnection): Promise<SalesforceConnectionPorts>;
  createHubspot(c: HubspotConnection): Promise<HubspotPort & { close?: () => void | Promise<void> }>;
}

async function defaultSalesforce(c: SalesforceConnection) {
  if (!c.accessToken && !(c.loginUrl && c.clientId)) throw salesforceCredentialsMissing();
  const { createSalesforceAdapter } = await import('../salesforce/index.js');
  return createSalesforceAdapter(c);
}

async function defaultHubspot(c: HubspotConnection): Promise<HubspotPort> {
  if (!c.accessToken) throw hubspotTokenMissing();
  const { createHubspotAdapter } = await import('../hubspot/index.js');
  return createHubspotAdapter({ baseUrl: c.baseUrl, accessToken: c.accessToken });
}

/** The runtime configuration from the validated application configuration (src/config). */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  try {
    return fromAppConfig(loadConfig(env));
  } catch (err) {
    if (err instanceof DealbridgeError) throw err;
    throw new DealbridgeError('CONFIG_INVALID', err instanceof Error ? err.message : String(err), {
      cause: err,
    });
  }
}

/** Maps src/config's Config (or the sandbox's hand-made equivalent) onto what the runtime needs. */
export function fromAppConfig(cfg: AppConfigLike): RuntimeConfig {
  return {
    databaseUrl: cfg.databaseUrl,
    secrets: cfg.secrets ?? { key: undefined, keyFile: defaultKeyFile(cfg.databaseUrl) },
    salesforce: {
      ...definedOnly({
        loginUrl: cfg.salesforce.loginUrl,
        instanceUrl: cfg.salesforce.instanceUrl,
        clientId: cfg.salesforce.clientId,
        clientSecret: cfg.salesforce.clientSecret,
        refreshToken: cfg.salesforce.refreshToken,
        accessToken: cfg.salesforce.accessToken,
      }),
      apiVersion: cfg.salesforce.apiVersion,
      budgetPercent: cfg.sync?.salesforceBudgetPercent ?? 80,
    },
    hubspot: {
      baseUrl: cfg.hubspot.baseUrl,
      accessToken: cfg.hubspot.accessToken ?? '',
      ...(cfg.hubspot.clientSecret ? { clientSecret: cfg.hubspot.clientSecret } : {}),
    },
    engine: {
      ...(cfg.sync?.lookbackSeconds !== undefined ? { lookbackSeconds: cfg.sync.lookbackSeconds } : {}),
      ...(cfg.sync?.metadataCheckSeconds !== undefined
        ? { metadataCheckIntervalMs: cfg.sync.metadataCheckSeconds * 1000 }
        : {}),
    },
    ...(cfg.properties ? { rollupPropertyNames: cfg.properties } : {}),
    ...(cfg.adminToken ? { adminToken: cfg.adminToken } : {}),
    ...(cfg.server ? { server: { ...cfg.server } } : {}),
    ...(cfg.log ? { log: { ...cfg.log } } : {}),
    ...(cfg.sync?.hubspotDailyAllocation !== undefined
      ? { hubspotDailyAllocation: cfg.sync.hubspotDailyAllocation }
      : {}),
    ...(cfg.sync?.intervalSeconds !== undefined ? { intervalMs: cfg.sync.intervalSeconds * 1000 } : {}),
    ...(cfg.sync?.cdcPollIntervalSeconds !== undefined
      ? { cdcPollIntervalMs: cfg.sync.cdcPollIntervalSeconds * 1000 }
      : {}),
    createSalesforce: defaultSalesforce,
    createHubspot: defaultHubspot,
  };
}

/** Next to a SQLite state file; for Postgres or :memory:, under .dealbridge/ in the working folder. */
export function defaultKeyFile(databaseUrl: string): string {
  const sqliteFile = !/^postgres(ql)?:\/\//i.test(databaseUrl) && databaseUrl !== ':memory:';
  return sqliteFile
    ? join(dirname(databaseUrl), DEFAULT_KEY_FILE_NAME)
    : resolve('.dealbridge', DEFAULT_KEY_FILE_NAME);
}

function definedOnly<T extends Record<string, string | undefined>>(o: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<
    Record<keyof T, string>
  >;
}

/** The parts of src/config's Config the runtime reads. */
export interface AppConfigLike {
  databaseUrl: string;
  secrets?: { key: string | undefined; keyFile: string };
  salesforce: {
    loginUrl?: string | undefined;
    instanceUrl?: string | undefined;
    clientId?: string | undefined;
    clientSecret?: string | undefined;
    refreshToken?: string | undefined;
    accessToken?: string | undefined;
    apiVersion: string;
  };
  hubspot: { baseUrl: string; accessToken?: string | undefined; clientSecret?: string | undefined };
  sync?: {
    lookbackSeconds?: number;
    metadataCheckSeconds?: number;
    salesforceBudgetPercent?: number;
    intervalSeconds?: number;
    cdcPollIntervalSeconds?: number;
    hubspotDailyAllocation?: number | undefined;
  };
  properties?: RollupPropertyNames;
  adminToken?: string | undefined;
  server?: { secureCookies: boolean; trustProxy: boolean; metricsToken?: string | undefined };
  log?: { format: 'json' | 'pretty' | undefined; level: string };
}
