// HubSpot private-app scopes (issue #16): the ones dealbridge needs, which of them a token lacks,
// the scopes a 403 MISSING_SCOPES names, and the token introspection call
// (`POST /oauth/v2/private-apps/get/access-token-info` with `{ tokenKey }`, which HubSpot documents
// for private apps and answers with `userId`, `hubId`, `appId` and `scopes`).
import { DealbridgeError } from '../errors/index.js';

/** Every scope dealbridge uses: deals, contacts and companies (records and their properties), owners. */
export const NEEDED_SCOPES: readonly string[] = [
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.objects.owners.read',
];

/** The needed scopes `granted` lacks, in NEEDED_SCOPES' order. */
export function missingScopes(granted: readonly string[]): string[] {
  const have = new Set(granted);
  return NEEDED_SCOPES.filter((s) => !have.has(s));
}

/** The fix for missing scopes, in English (the CLI; the web UI has its own, translated). */
export function missingScopesFix(missing: readonly string[]): string {
  return `In HubSpot, Settings › Integrations › Private apps › the app › Scopes: tick ${missing.join(', ')}, Commit changes, then connect the token again.`;
}

/** The scopes a 403 MISSING_SCOPES body names (`errors[].context.requiredGranularScopes`, or the older `requiredScopes`). */
export function scopesOfRefusal(body: unknown): string[] {
  const out: string[] = [];
  const read = (ctx: unknown) => {
    if (typeof ctx !== 'object' || ctx === null) return;
    const c = ctx as Record<string, unknown>;
    for (const list of [c.requiredGranularScopes, c.requiredScopes])
      if (Array.isArray(list))
        for (const s of list) if (typeof s === 'string' && !out.includes(s)) out.push(s);
  };
  if (typeof body !== 'object' || body === null) return out;
  const b = body as { context?: unknown; errors?: unknown };
  read(b.context);
  if (Array.isArray(b.errors)) for (const e of b.errors as { context?: unknown }[]) read(e?.context);
  return out;
}

export function isMissingScopes(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { category?: unknown }).category === 'MISSING_SCOPES'
  );
}

/** The coded error for a call HubSpot refused with 403 MISSING_SCOPES. */
export function missingScopesError(method: string, path: string, body: unknown): DealbridgeError {
  const scopes = scopesOfRefusal(body);
  const named = scopes.length ? scopes.join(' or ') : 'a scope it did not name';
  return new DealbridgeError(
    'HUBSPOT_MISSING_SCOPES',
    `HubSpot 403 MISSING_SCOPES on ${method} ${path}: the token lacks ${named}. ${missingScopesFix(scopes.length ? scopes : ['it'])}`,
  );
}

/** The scopes the portal granted `token`, read with HubSpot's introspection call. */
export async function fetchTokenScopes(baseUrl: string, token: string): Promise<string[]> {
  const res = await fetch(new URL('/oauth/v2/private-apps/get/access-token-info', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ tokenKey: token }),
  });
  const body = (await res.json().catch(() => undefined)) as { scopes?: unknown } | undefined;
  if (res.status === 401 || res.status === 403)
    throw new DealbridgeError('AUTH_FAILED', `HubSpot ${res.status}: the token's scopes could not be read`);
  if (!res.ok || !Array.isArray(body?.scopes))
    throw new DealbridgeError(
      'HUBSPOT_BAD_RESPONSE',
      `HubSpot answered the token introspection with HTTP ${res.status} and no scopes`,
    );
  return body.scopes.filter((s): s is string => typeof s === 'string');
}
