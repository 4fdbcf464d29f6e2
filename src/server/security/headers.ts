// Response headers every answer carries. The page loads only its own bundle: no inline script or
// style, nothing from elsewhere, no plug-ins, and no framing by anyone (a page on another port of
// the same host could otherwise frame the logged-in settings page and trick clicks). API answers
// and the login page are never stored by a browser or a proxy: they hold pipeline data or sessions.
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Hashed bundle files may be cached; everything else (API, login, the page itself) may not. */
function cacheable(url: string): boolean {
  return /^\/assets\/[^?]+\.(?:js|css|svg|png|woff2?)(?:\?|$)/.test(url);
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
    if (!cacheable(req.url)) void reply.header('cache-control', 'no-store');
    return payload;
  });
}
