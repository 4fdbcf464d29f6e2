// The second CSRF check, before the session's token: a state-changing request that a browser says
// comes from another origin is refused, whatever it carries. Browsers send Origin on every POST,
// PUT, PATCH and DELETE, and Sec-Fetch-Site where supported; "same-site" is refused too, because
// another port of the same host is the same site but not the same origin. Clients that send
// neither (curl, scripts) are not browsers and cannot ride on a logged-in user's cookie; they
// still need the session and its CSRF token for everything but login.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendError } from '../http-errors.js';

export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Why the request is refused, or undefined when its origin is this server's. */
export function crossOriginReason(req: FastifyRequest): string | undefined {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    return `Sec-Fetch-Site is ${site}`;
  const origin = req.headers.origin;
  // With Referrer-Policy: no-referrer (ours), Chromium sends `Origin: null` on a form POST from
  // our own login page; Sec-Fetch-Site, which the browser alone sets, then says where it came from.
  if (origin === 'null' && site === 'same-origin') return undefined;
  if (origin === undefined) return undefined;
  // Host and port are compared, not the scheme: behind a TLS-terminating proxy the browser's
  // origin is https while this server hears http. req.host is the Host header (X-Forwarded-Host
  // behind a trusted proxy); without a port there, the port is whatever the browser's scheme implies.
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin ${origin} is not a URL`;
  }
  const m = /^(.*?)(?::(\d+))?$/.exec(req.host.toLowerCase());
  const host = m?.[1] ?? '';
  const port = m?.[2];
  const originPort = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (url.hostname !== host || (port !== undefined && port !== originPort))
    return `Origin ${origin} is not this server (${req.host})`;
  return undefined;
}

export function registerOriginCheck(
  app: FastifyInstance,
  log: (msg: string, req?: FastifyRequest) => void,
): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!STATE_CHANGING.has(req.method)) return;
    const reason = crossOriginReason(req);
    if (reason === undefined) return;
    log(`refused a cross-origin ${req.method} ${req.url.split('?')[0] ?? ''} from ${req.ip}: ${reason}`, req);
    return sendError(reply, 'cross_origin', 'Requests from another site are refused.');
  });
}
