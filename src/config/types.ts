// The validated, frozen configuration every command starts from.

export interface SalesforceConfig {
  /**
   * Which complete set of credentials was given: `client-credentials` (loginUrl + clientId +
   * clientSecret), `refresh-token` (the same + refreshToken), `access-token` (instanceUrl +
   * accessToken). Undefined when no Salesforce credentials were given at all: commands that
   * talk to Salesforce call requireSalesforce() and stop with a message naming what is missing.
   */
  flow: 'client-credentials' | 'refresh-token' | 'access-token' | undefined;
  apiVersion: string;
  loginUrl: string | undefined;
  instanceUrl: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  refreshToken: string | undefined;
  accessToken: string | undefined;
}

export interface HubspotConfig {
  /** Without a trailing slash. */
  baseUrl: string;
  accessToken: string | undefined;
  /** The app's client secret (HUBSPOT_CLIENT_SECRET): checks webhook signatures (v3). */
  clientSecret?: string | undefined;
}

export interface SyncConfig {
  intervalSeconds: number;
  /** Stop syncing at this share of the org's daily Salesforce API allocation. */
  salesforceBudgetPercent: number;
  /** HubSpot calls per day dealbridge may use; undefined: paced by the rate-limit headers only. */
  hubspotDailyAllocation: number | undefined;
  /** How late a Salesforce commit may land and still be synced: the late-commit sweep's window. */
  lookbackSeconds: number;
  /** How often the sync looks for record types and stages changed in Salesforce's Setup. */
  metadataCheckSeconds: number;
  /** Between polling passes while Change Data Capture is the live path (polling the safety net). */
  cdcPollIntervalSeconds: number;
}

/** Names of the HubSpot properties the rollups are written to (contacts and companies). */
export interface RollupPropertyNames {
  numAssociatedDeals: string;
  firstDealCreatedDate: string;
  recentDealCloseDate: string;
  recentDealAmount: string;
  totalRevenue: string;
}

/** How the web server is reached (`dealbridge serve`). */
export interface ServerConfig {
  /** Always set the session cookie's Secure flag: the UI is reached over HTTPS only. */
  secureCookies: boolean;
  /** A reverse proxy in front: trust its X-Forwarded-For/-Proto/-Host headers. */
  trustProxy: boolean;
  /** DEALBRIDGE_METRICS_TOKEN: /metrics wants `Authorization: Bearer <it>`; unset → loopback only. */
  metricsToken: string | undefined;
}

/** The logs of `serve` (docs/operations.md): undefined format → json unless stderr is a terminal. */
export interface LogConfig {
  format: 'json' | 'pretty' | undefined;
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Where the key that seals stored secrets comes from (docs/security.md, "Secrets at rest"). */
export interface SecretsConfig {
  /** DEALBRIDGE_SECRET_KEY (base64 or hex); wins over the key file. */
  key: string | undefined;
  /** Absolute; created 0600 with a new key on first use when no key is given. */
  keyFile: string;
  /** Whether keyFile was given (else it is the default next to the SQLite state). */
  keyFileGiven: boolean;
}

export interface Config {
  /** The config file read, absolute; undefined when there was none. */
  configFile: string | undefined;
  salesforce: SalesforceConfig;
  hubspot: HubspotConfig;
  /** For openStore(): a `postgres://` URL, an absolute SQLite file path, or `:memory:`. */
  databaseUrl: string;
  adminToken: string | undefined;
  secrets: SecretsConfig;
  server: ServerConfig;
  log: LogConfig;
  sync: SyncConfig;
  properties: RollupPropertyNames;
}
