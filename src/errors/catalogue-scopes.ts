// The HubSpot scopes code of the error catalogue (catalogue.ts takes it in its order): a CRM call
// HubSpot refused with 403 MISSING_SCOPES. Kept apart so that catalogue.ts stays small; the German
// texts are in catalogue-de.ts.
import type { ErrorInfo, exitCodes } from './catalogue.js';

export type ScopesErrorCode = 'HUBSPOT_MISSING_SCOPES';

export function scopesEntries(exit: typeof exitCodes): Record<ScopesErrorCode, Omit<ErrorInfo, 'code'>> {
  return {
    HUBSPOT_MISSING_SCOPES: {
      title: 'HubSpot token lacks a scope',
      description:
        "HubSpot refused a call with 403 MISSING_SCOPES: the private app's token was not granted the scope the call needs. The message names the scope HubSpot asked for (its `requiredGranularScopes`), e.g. crm.objects.deals.write or crm.schemas.deals.write.",
      fix: "In HubSpot, Settings › Integrations › Private apps › the app › Scopes: tick the named scope (dealbridge needs crm.objects.deals, contacts and companies read and write, crm.schemas.deals, contacts and companies read and write, crm.objects.owners.read), Commit changes, then connect the app's token again (Connections page or `dealbridge connect hubspot --token`), which lists any scope still missing.",
      scope: 'fatal',
      retryable: false,
      severity: 'error',
      exitCode: exit.auth,
    },
  };
}
