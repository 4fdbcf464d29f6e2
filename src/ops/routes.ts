// The operational routes, on any Fastify instance (`serve` today, a worker's small server later):
// /healthz (the process is alive), /readyz (readiness.ts) and /metrics (metrics.ts). None needs
// the web login. /metrics wants `Authorization: Bearer <DEALBRIDGE_METRICS_TOKEN>` when a token is
// configured, and is served to loopback clients only when none is. Scrapes and probes come every
// few seconds: their requests are logged at warn level, so a healthy process's log stays readable.
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendError } from '../server/http-errors.js';
import { tokenMatches } from '../server/sessions.js';
import type { DealbridgeMetrics } from './metrics.js';
import { checkReadiness, type ReadinessDeps } from './readiness.js';

/** Paths the web login does not cover (server/auth.ts lets GET and HEAD of these through). */
export const OPS_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export interface OpsRoutesOptions {
  metrics: DealbridgeMetrics;
  readiness: ReadinessDeps;
  /** DEALBRIDGE_METRICS_TOKEN; unset → /metrics for loopback clients only. */
  metricsToken?: string | undefined;
}

/** 127.0.0.0/8, ::1, and the IPv4-mapped form of 127.x a dual-stack socket reports. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/**
 * The peer of the socket and, behind a trusted proxy, the client it forwards for must both be
 * loopback: a proxy on this host would otherwise hand every remote client a loopback peer.
 */
function fromLoopback(req: FastifyRequest): boolean {
  return isLoopback(req.socket.remoteAddress) && isLoopback(req.ip);
}

function bearer(req: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

export function registerOpsRoutes(app: FastifyInstance, opts: OpsRoutesOptions): void {
  const quiet = { logLevel: 'warn' as const };
  app.get('/healthz', quiet, async (_req, reply) => {
    void reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', quiet, async (_req, reply) => {
    const r = await checkReadiness(opts.readiness);
    void reply.header('cache-control', 'no-store');
    return reply
      .code(r.ready ? 200 : 503)
      .send({ status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  });

  app.get('/metrics', quiet, async (req, reply) => {
    if (opts.metricsToken !== undefined) {
      const presented = bearer(req);
      if (presented === undefined || !tokenMatches(presented, opts.metricsToken)) {
        void reply.header('www-authenticate', 'Bearer realm="dealbridge metrics"');
        req.log.warn(
          { event: 'security', ip: req.ip },
          `metrics refused for ${req.ip}: bearer token missing or wrong`,
        );
        return sendError(reply, 'metrics_unauthorized', 'Send DEALBRIDGE_METRICS_TOKEN as a bearer token.');
      }
    } else if (!fromLoopback(req)) {
      req.log.warn({ event: 'security', ip: req.ip }, `metrics refused for ${req.ip}: not a loopback client`);
      return sendError(
        reply,
        'metrics_loopback_only',
        'Without DEALBRIDGE_METRICS_TOKEN, /metrics answers loopback clients only.',
      );
    }
    const { contentType, body } = await opts.metrics.render();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
}
