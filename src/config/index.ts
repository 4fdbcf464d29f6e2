export { describeConfig } from './describe.js';
export type { ConfigSummary } from './describe.js';
export { DEFAULT_CONFIG_FILE, DEFAULT_DATABASE_PATH, DEFAULTS, loadConfig } from './load.js';
export {
  hubspotTokenMissing,
  requireHubspot,
  requireSalesforce,
  salesforceCredentialsMissing,
} from './require.js';
export type { ReadySalesforce } from './require.js';
export type {
  Config,
  HubspotConfig,
  LogConfig,
  RollupPropertyNames,
  SalesforceConfig,
  SyncConfig,
} from './types.js';
export { ADMIN_TOKEN_MIN_LENGTH, adminTokenSchema, LOG_FORMATS, LOG_LEVELS } from './fields.js';
