// A summary of the configuration that is safe to print or log: secrets masked, URLs without passwords.
import { maskSecret, maskUrl } from './mask.js';
import type { Config } from './types.js';

export type ConfigSummary = Record<string, Record<string, string | number | null> | string | null>;

export function describeConfig(config: Config): ConfigSummary {
  const sf = config.salesforce;
  return {
    configFile: config.configFile ?? null,
    salesforce: {
      flow: sf.flow ?? '(no credentials)',
      apiVersion: sf.apiVersion,
      loginUrl: sf.loginUrl === undefined ? null : maskUrl(sf.loginUrl),
      instanceUrl: sf.instanceUrl === undefined ? null : maskUrl(sf.instanceUrl),
      clientId: sf.clientId ?? null,
      clientSecret: maskSecret(sf.clientSecret),
      refreshToken: maskSecret(sf.refreshToken),
      accessToken: maskSecret(sf.accessToken),
    },
    hubspot: {
      baseUrl: maskUrl(config.hubspot.baseUrl),
      accessToken: maskSecret(config.hubspot.accessToken),
      clientSecret: maskSecret(config.hubspot.clientSecret),
    },
    databaseUrl: maskUrl(config.databaseUrl),
    adminToken: maskSecret(config.adminToken),
    secrets: {
      key: maskSecret(config.secrets.key),
      keyFile:
        config.secrets.key === undefined
          ? config.secrets.keyFile
          : '(not used: DEALBRIDGE_SECRET_KEY is set)',
    },
    server: {
      secureCookies: String(config.server.secureCookies),
      trustProxy: String(config.server.trustProxy),
      metricsToken: maskSecret(config.server.metricsToken),
    },
    log: { format: config.log.format ?? '(json unless stderr is a terminal)', level: config.log.level },
    sync: {
      intervalSeconds: config.sync.intervalSeconds,
      salesforceBudgetPercent: config.sync.salesforceBudgetPercent,
      hubspotDailyAllocation: config.sync.hubspotDailyAllocation ?? null,
      lookbackSeconds: config.sync.lookbackSeconds,
      metadataCheckSeconds: config.sync.metadataCheckSeconds,
      cdcPollIntervalSeconds: config.sync.cdcPollIntervalSeconds,
    },
    properties: { ...config.properties },
  };
}
