// The HubSpot scopes code of the error catalogue (catalogue.ts takes it in its order): a CRM call
// The codes of connecting an org or a portal and of the credentials kept for it (catalogue.ts
// takes them in its order): the sealed secrets' key, the Salesforce OAuth flow, a revoked
// connection, and HubSpot's 403 MISSING_SCOPES. Kept apart so that catalogue.ts stays small; the
// German texts are in catalogue-de.ts.
import type { ErrorInfo, exitCodes } from './catalogue.js';

export type ConnectErrorCode =
  | 'SECRET_KEY_WRONG'
  | 'OAUTH_STATE_MISMATCH'
  | 'OAUTH_ACCESS_DENIED'
  | 'OAUTH_CODE_REJECTED'
  | 'OAUTH_PKCE_MISMATCH'
  | 'CONNECTION_REVOKED'
  | 'HUBSPOT_MISSING_SCOPES';

type Entry = Omit<ErrorInfo, 'code'>;

const fatal = (title: string, description: string, fix: string, exitCode: number): Entry => ({
  title,
  description,
  fix,
  scope: 'fatal',
  retryable: false,
  severity: 'error',
  exitCode,
});

export function connectEntries(exit: typeof exitCodes): Record<ConnectErrorCode, Entry> {
  return {
    SECRET_KEY_WRONG: fatal(
      'Secret key wrong or missing',
      'The stored connections (tokens, client secrets) are sealed with AES-256-GCM under a key that is not the one given: DEALBRIDGE_SECRET_KEY or the key file is another key, is missing, or a stored value was changed. Nothing is read or overwritten.',
      'Give the key the secrets were sealed under: restore the key file from its backup (docs/security.md, "Secrets at rest") or set DEALBRIDGE_SECRET_KEY. If the key is lost, forget the connections (Disconnect in the web UI) and connect again.',
      exit.config,
    ),
    OAUTH_STATE_MISMATCH: fatal(
      'Sign-in answer does not match',
      'The answer from the sign-in page carried a `state` that dealbridge did not send, or one whose sign-in was started more than 10 minutes ago or already finished. dealbridge takes no token from such an answer (it may have been forged, or come from another browser tab).',
      'Start the connection again from the web UI ("Connect Salesforce") or with `dealbridge connect salesforce`, in one browser tab, and finish it within 10 minutes.',
      exit.auth,
    ),
    OAUTH_ACCESS_DENIED: fatal(
      'Access not allowed',
      'The sign-in page answered that access was not allowed: the user chose Deny on the consent page, or the connected app is not available to that user.',
      "Connect again and choose Allow; if the consent page does not offer it, ask the Salesforce admin to let the user's profile or permission set use the connected app.",
      exit.auth,
    ),
    OAUTH_CODE_REJECTED: fatal(
      'Authorization code refused',
      'Salesforce refused to exchange the authorization code for a token (invalid_grant): the code was used already (a replayed answer), it expired (codes live 15 minutes), or the callback URL is not the one the code was issued for.',
      "Connect again: every sign-in issues a new code, used once. If it keeps failing, check that the connected app's Callback URL is exactly the one dealbridge shows.",
      exit.auth,
    ),
    OAUTH_PKCE_MISMATCH: fatal(
      'Code verifier does not match',
      'Salesforce refused the token exchange because the PKCE code verifier does not match the code challenge sent with the sign-in (invalid code verifier): the answer belongs to another sign-in.',
      'Connect again from the start, in one browser tab.',
      exit.auth,
    ),
    CONNECTION_REVOKED: fatal(
      'Connection revoked or expired',
      "The stored connection's refresh token is refused (invalid_grant): its access was revoked (Disconnect, the user's Connected Apps, or the admin's OAuth usage page), the refresh token policy expired it, or the user was deactivated.",
      'Reconnect: "Reconnect" in the web UI, or `dealbridge connect salesforce`.',
      exit.auth,
    ),
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
