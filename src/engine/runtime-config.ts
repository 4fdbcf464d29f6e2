// What the runtime needs from the configuration, and the factories of the two adapters (passed in
// rather than imported by the engine, so tests and the sandbox can hand over their own).
import { DealbridgeError } from '../errors/index.js';
import type { HubspotPort, SalesforcePort } from './ports.js';
import type { EngineOptions } from './sync-pass.js';

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

export interface HubspotConnection {
  baseUrl: string;
  accessToken: string;
}

export interface RuntimeConfig {
  databaseUrl: string;
  salesforce: SalesforceConnection;
  hubspot: HubspotConnection;
  engine: Partial<EngineOptions>;
  createSalesforce(c: SalesforceConnection): Promise<SalesforcePort & { close?: () => void }>;
  createHubspot(c: HubspotConnection): Promise<HubspotPort & { close?: () => void | Promise<void> }>;
}

async function defaultSalesforce(c: SalesforceConnection) {
  const { createSalesforceAdapter } = await import('../salesforce/index.js');
  return createSalesforceAdapter(c);
}

async function defaultHubspot(c: HubspotConnection): Promise<HubspotPort> {
  if (!c.accessToken) throw new DealbridgeError('CONFIG_INVALID', 'HUBSPOT_ACCESS_TOKEN is not set');
  const { createHubspotAdapter } = await import('../hubspot/index.js');
  return createHubspotAdapter({ baseUrl: c.baseUrl, accessToken: c.accessToken });
}

/**
 * The runtime configuration from the validated application configuration (src/config). Until
 * that module exists, the documented environment variables are read directly.
 */
export async function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): Promise<RuntimeConfig> {
  // A computed specifier: src/config is written in parallel and may not exist yet.
  const specifier = '../config/index.js';
  let mod: { loadConfig: () => Promise<AppConfigLike> | AppConfigLike } | undefined;
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  if (!mod) return fromAppConfig(fromEnvironment(env));
  try {
    return fromAppConfig(await mod.loadConfig());
  } catch (err) {
    if (err instanceof DealbridgeError) throw err;
    throw new DealbridgeError('CONFIG_INVALID', err instanceof Error ? err.message : String(err), {
      cause: err,
    });
  }
}

/** DESIGN.md §4's environment variables, for when src/config is not there. */
export function fromEnvironment(env: NodeJS.ProcessEnv): AppConfigLike {
  return {
    databaseUrl: env.DEALBRIDGE_DATABASE_URL || '.dealbridge/state.db',
    salesforce: {
      ...(env.SALESFORCE_LOGIN_URL ? { loginUrl: env.SALESFORCE_LOGIN_URL } : {}),
      ...(env.SALESFORCE_INSTANCE_URL ? { instanceUrl: env.SALESFORCE_INSTANCE_URL } : {}),
      ...(env.SALESFORCE_CLIENT_ID ? { clientId: env.SALESFORCE_CLIENT_ID } : {}),
      ...(env.SALESFORCE_CLIENT_SECRET ? { clientSecret: env.SALESFORCE_CLIENT_SECRET } : {}),
      ...(env.SALESFORCE_REFRESH_TOKEN ? { refreshToken: env.SALESFORCE_REFRESH_TOKEN } : {}),
      ...(env.SALESFORCE_ACCESS_TOKEN ? { accessToken: env.SALESFORCE_ACCESS_TOKEN } : {}),
      apiVersion: env.SALESFORCE_API_VERSION || '62.0',
    },
    hubspot: {
      baseUrl: env.HUBSPOT_BASE_URL || 'https://api.hubapi.com',
      accessToken: env.HUBSPOT_ACCESS_TOKEN ?? '',
    },
  };
}

/** Maps src/config's Config onto what the runtime needs. */
export function fromAppConfig(cfg: AppConfigLike): RuntimeConfig {
  return {
    databaseUrl: cfg.databaseUrl,
    salesforce: { ...cfg.salesforce, budgetPercent: cfg.salesforce.budgetPercent ?? 80 },
    hubspot: { baseUrl: cfg.hubspot.baseUrl, accessToken: cfg.hubspot.accessToken },
    engine: {
      ...(cfg.sync?.lookbackSeconds !== undefined ? { lookbackSeconds: cfg.sync.lookbackSeconds } : {}),
    },
    createSalesforce: defaultSalesforce,
    createHubspot: defaultHubspot,
  };
}

/** The parts of src/config's Config the runtime reads. */
export interface AppConfigLike {
  databaseUrl: string;
  salesforce: Omit<SalesforceConnection, 'budgetPercent'> & { budgetPercent?: number };
  hubspot: { baseUrl: string; accessToken: string };
  sync?: { lookbackSeconds?: number };
}
