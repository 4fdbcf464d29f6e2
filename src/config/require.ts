// For commands that need a remote side: the config narrowed to complete credentials, or a
// CONFIG_INVALID that says exactly which variables to set.
import { DealbridgeError } from '../errors/index.js';
import type { Config, HubspotConfig, SalesforceConfig } from './types.js';

export type ReadySalesforce = SalesforceConfig & { flow: NonNullable<SalesforceConfig['flow']> };

/** The one message for missing Salesforce credentials (commands and the runtime's adapters alike). */
export function salesforceCredentialsMissing(): DealbridgeError {
  return new DealbridgeError(
    'CONFIG_INVALID',
    'Salesforce credentials missing: set SALESFORCE_LOGIN_URL + SALESFORCE_CLIENT_ID + SALESFORCE_CLIENT_SECRET ' +
      '(+ SALESFORCE_REFRESH_TOKEN), or SALESFORCE_INSTANCE_URL + SALESFORCE_ACCESS_TOKEN; or connect Salesforce in the web UI or with `dealbridge connect salesforce`',
    { field: 'SALESFORCE_LOGIN_URL' },
  );
}

/** The one message for a missing HubSpot token. */
export function hubspotTokenMissing(): DealbridgeError {
  return new DealbridgeError('CONFIG_INVALID', 'HUBSPOT_ACCESS_TOKEN: missing (a private app token)', {
    field: 'HUBSPOT_ACCESS_TOKEN',
  });
}

export function requireSalesforce(config: Config): ReadySalesforce {
  const sf = config.salesforce;
  if (sf.flow === undefined) throw salesforceCredentialsMissing();
  return sf as ReadySalesforce;
}

export function requireHubspot(config: Config): HubspotConfig & { accessToken: string } {
  const hs = config.hubspot;
  if (hs.accessToken === undefined) throw hubspotTokenMissing();
  return hs as HubspotConfig & { accessToken: string };
}
