// Salesforce's OAuth 2.0 endpoints for connecting an org (issue #16): the web-server flow's token
// exchange with its PKCE verifier, a refresh, the identity URL and revoke. Each answer is parsed
// with a schema and each refusal mapped to a catalogue code, by what Salesforce documents:
// `invalid_grant` + "invalid code verifier" is a PKCE mismatch, other `invalid_grant`s on a code
// are a replayed, expired or misdirected code, and on a refresh token a revoked connection.
import { z } from 'zod';
import { DealbridgeError, type ErrorCode } from '../errors/index.js';

const tokenSchema = z.object({
  access_token: z.string().min(1),
  instance_url: z.string().url(),
  id: z.string().url(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  issued_at: z.string().optional(),
});
export type SalesforceToken = z.infer<typeof tokenSchema>;

const identitySchema = z.object({
  organization_id: z.string().min(15),
  user_id: z.string().min(15),
  username: z.string(),
  display_name: z.string().optional(),
  email: z.string().optional(),
});
export interface SalesforceIdentity {
  organizationId: string;
  userId: string;
  username: string;
  displayName: string;
}

const errorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** `{login}/services/oauth2/{path}`, the login URL without a trailing slash. */
const endpoint = (loginUrl: string, path: string) =>
  `${loginUrl.replace(/\/+$/, '')}/services/oauth2/${path}`;

async function send(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new DealbridgeError(
      'SALESFORCE_UNAVAILABLE',
      `Salesforce did not answer ${new URL(url).origin}: ${String(err)}`,
      {
        cause: err,
      },
    );
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    /* not JSON: kept as text for the message */
  }
  return { status: res.status, body };
}

function refusal(
  body: unknown,
  status: number,
  onGrant: (description: string) => ErrorCode,
): DealbridgeError {
  const e = errorSchema.safeParse(body);
  if (!e.success)
    return new DealbridgeError(
      status >= 500 ? 'SALESFORCE_UNAVAILABLE' : 'SALESFORCE_BAD_RESPONSE',
      `Salesforce's token endpoint answered ${status} without an OAuth error`,
    );
  const description = e.data.error_description ?? '';
  const code: ErrorCode = e.data.error === 'invalid_grant' ? onGrant(description) : 'AUTH_FAILED';
  return new DealbridgeError(
    code,
    `Salesforce refused: ${e.data.error}${description ? ` (${description})` : ''}`,
  );
}

function parsedToken(body: unknown): SalesforceToken {
  const t = tokenSchema.safeParse(body);
  if (!t.success)
    throw new DealbridgeError(
      'SALESFORCE_BAD_RESPONSE',
      "Salesforce's token answer lacks a field it must have",
    );
  return t.data;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
  body: new URLSearchParams(fields).toString(),
});

export interface CodeExchange {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  code: string;
  codeVerifier: string;
}

/** The web-server flow's last step: the code and its PKCE verifier for tokens. */
export async function exchangeCode(x: CodeExchange): Promise<SalesforceToken & { refresh_token: string }> {
  const r = await send(
    endpoint(x.loginUrl, 'token'),
    form({
      grant_type: 'authorization_code',
      code: x.code,
      client_id: x.clientId,
      client_secret: x.clientSecret,
      redirect_uri: x.redirectUri,
      code_verifier: x.codeVerifier,
    }),
  );
  if (r.status !== 200)
    throw refusal(r.body, r.status, (d) =>
      /code verifier/i.test(d) ? 'OAUTH_PKCE_MISMATCH' : 'OAUTH_CODE_REJECTED',
    );
  const token = parsedToken(r.body);
  if (!token.refresh_token)
    throw new DealbridgeError(
      'AUTH_FAILED',
      'Salesforce issued no refresh token: add the scope "Perform requests at any time (refresh_token, offline_access)" to the connected app',
    );
  return { ...token, refresh_token: token.refresh_token };
}

/** A new access token from the stored refresh token; a refused one is CONNECTION_REVOKED. */
export async function refreshAccess(x: {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}): Promise<SalesforceToken> {
  const r = await send(
    endpoint(x.loginUrl, 'token'),
    form({
      grant_type: 'refresh_token',
      refresh_token: x.refreshToken,
      client_id: x.clientId,
      client_secret: x.clientSecret,
    }),
  );
  if (r.status !== 200) throw refusal(r.body, r.status, () => 'CONNECTION_REVOKED');
  return parsedToken(r.body);
}

/** The identity URL (`id` of the token answer): who is connected, to which org. */
export async function readIdentity(idUrl: string, accessToken: string): Promise<SalesforceIdentity> {
  const r = await send(idUrl, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
  });
  if (r.status === 401 || r.status === 403)
    throw new DealbridgeError('CONNECTION_REVOKED', `Salesforce refused the identity URL (${r.status})`);
  const id = identitySchema.safeParse(r.body);
  if (r.status !== 200 || !id.success)
    throw new DealbridgeError(
      'SALESFORCE_BAD_RESPONSE',
      `Salesforce's identity URL answered ${r.status} without an identity`,
    );
  return {
    organizationId: id.data.organization_id,
    userId: id.data.user_id,
    username: id.data.username,
    displayName: id.data.display_name ?? id.data.username,
  };
}

/**
 * Revokes a token (a refresh token: with the access tokens issued from it). true when Salesforce
 * revoked it, false when it did not know it any more (`invalid_token`: revoked already).
 */
export async function revokeToken(loginUrl: string, token: string): Promise<boolean> {
  const r = await send(endpoint(loginUrl, 'revoke'), form({ token }));
  if (r.status === 200) return true;
  if (r.status === 400) return false;
  throw new DealbridgeError('SALESFORCE_UNAVAILABLE', `Salesforce's revoke endpoint answered ${r.status}`);
}
