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
  const mod = (await import('../hubspot/index.js')) as {
    createHubspotAdapter: (cfg: Record<string, unknown>) => HubspotPort | Promise<HubspotPort>;
  };
  return mod.createHubspotAdapter({ ...c });
}

/** The runtime configuration from the validated application configuration (src/config). */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const { loadConfig } = await import('../config/index.js');
  let cfg: Awaited<ReturnType<typeof loadConfig>>;
  try {
    cfg = await loadConfig();
  } catch (err) {
    if (err instanceof DealbridgeError) throw err;
    throw new DealbridgeError('CONFIG_INVALID', err instanceof Error ? err.message : String(err), {
      cause: err,
    });
  }
  return fromAppConfig(cfg);
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
