// For commands that need a remote side: the config narrowed to complete credentials, or a
// CONFIG_INVALID that says exactly which variables to set.
import { DealbridgeError } from '../errors/index.js';
import type { Config, HubspotConfig, SalesforceConfig } from './types.js';

export type ReadySalesforce = SalesforceConfig & { flow: NonNullable<SalesforceConfig['flow']> };

export function requireSalesforce(config: Config): ReadySalesforce {
  const sf = config.salesforce;
  if (sf.flow === undefined) {
    throw new DealbridgeError(
      'CONFIG_INVALID',
      'Salesforce credentials missing: set SALESFORCE_LOGIN_URL + SALESFORCE_CLIENT_ID + SALESFORCE_CLIENT_SECRET ' +
        '(+ SALESFORCE_REFRESH_TOKEN), or SALESFORCE_INSTANCE_URL + SALESFORCE_ACCESS_TOKEN',
      { field: 'SALESFORCE_LOGIN_URL' },
    );
  }
  return sf as ReadySalesforce;
}

export function requireHubspot(config: Config): HubspotConfig & { accessToken: string } {
  const hs = config.hubspot;
  if (hs.accessToken === undefined) {
    throw new DealbridgeError('CONFIG_INVALID', 'HUBSPOT_ACCESS_TOKEN: missing (a private app token)', {
      field: 'HUBSPOT_ACCESS_TOKEN',
    });
  }
  return hs as HubspotConfig & { accessToken: string };
}
