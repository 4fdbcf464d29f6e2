// A last line of defence: no configured secret (API tokens, client secret, refresh token, the
// admin token) ever leaves the server in a response body, even if an error message from a remote
// API or a library happened to echo one. Routes already return only what the UI needs.
import type { FastifyInstance } from 'fastify';
import type { RuntimeConfig } from '../composition/runtime.js';

/** The password of a `postgres://user:password@host/db` store URL, if it has one. */
function databasePassword(url: string): string | undefined {
  if (!/^postgres(ql)?:/i.test(url)) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

export function secretsOf(config: RuntimeConfig, adminToken: string): string[] {
  const s = config.salesforce;
  return [
    s.clientSecret,
    s.refreshToken,
    s.accessToken,
    config.hubspot.accessToken,
    config.hubspot.clientSecret,
    adminToken,
    config.server?.metricsToken,
    config.secrets?.key,
    databasePassword(config.databaseUrl),
  ].filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

export function registerRedaction(app: FastifyInstance, secrets: readonly string[]): void {
  if (secrets.length === 0) return;
  app.addHook('onSend', async (_req, _reply, payload) =>
    typeof payload === 'string' ? redact(payload, secrets) : payload,
  );
}

/** An error as the UI may see it: its catalogue code and a redacted message. */
export function publicError(err: unknown, secrets: readonly string[]): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'INTERNAL';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return { code, message: redact(message, secrets) };
}
