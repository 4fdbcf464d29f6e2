// The HTTP front: auth, faults, rate limits, routing, stats — in that order, as a request meets
// them at HubSpot (401 before 429; injected faults stand in for HubSpot's own failures).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HubError, parseJson, readBody, send, type Reply } from './http.js';
import type { Portal } from './portal.js';
import { match, type Route } from './router.js';
import type { RateLimiter } from './ratelimit.js';
import { faultBody, type Fault, type Faults, type Stats } from './control.js';
import { partialReply, withoutInputs, withoutResults } from './fault-shapes.js';
import type { Webhooks } from './webhooks/index.js';
import { checkScopes } from './scopes.js';

export interface ServerDeps {
  portal: Portal;
  routes: Route[];
  adminRoutes: Route[];
  limiter: RateLimiter;
  faults: Faults;
  stats: Stats;
  webhooks: Webhooks;
  accessToken: () => string;
  /** The scopes the private-app token was granted. */
  scopes: () => readonly string[];
  portalId: number;
}

const UNAUTHORIZED =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
  return m?.[1]?.trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createPortalServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        send(
          res,
          { status: 500, body: { status: 'error', message: String(e), category: 'INTERNAL_ERROR' } },
          {},
        );
      } else res.destroy();
    });
  });
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const text = await readBody(req);

  if (path.startsWith('/__emulator/')) {
    await serveAdmin(deps, method, path, url.searchParams, text, res);
    return;
  }

  if (method === 'POST' && path === '/oauth/v2/private-apps/get/access-token-info') {
    send(res, tokenInfo(deps, text), {});
    return;
  }

  let routeKey = `${method} (unmatched)`;
  let extraHeaders: Record<string, string> = {};
  const reply = await (async (): Promise<Reply> => {
    try {
      const isWebhooks = path.startsWith('/webhooks/v3/');
      let token = bearer(req);
      // Webhook management is authenticated with the developer API key alone (`?hapikey=`, what
      // @hubspot/api-client's `webhooks` sends); the webhooks module checks that key itself.
      const hapikey = isWebhooks && !token ? url.searchParams.get('hapikey') : null;
      if (hapikey !== null) token = `hapikey:${hapikey}`;
      else if (!token || token !== deps.accessToken())
        throw new HubError(401, 'INVALID_AUTHENTICATION', UNAUTHORIZED);
      if (hapikey === null) checkScopes(new Set(deps.scopes()), method, path);
      const found = match(deps.routes, method, path);
      if (found) routeKey = found.route.key;
      else if (isWebhooks) routeKey = `${method} /webhooks/v3/*`;

      const fault = deps.faults.pick(method, path, text);
      let shape: Fault | undefined;
      if (fault) {
        deps.stats.faultsFired++;
        if (fault.delayMs) await sleep(fault.delayMs);
        if (fault.rawBody !== undefined) {
          return {
            status: fault.status ?? 200,
            raw: fault.rawBody,
            headers: fault.headers,
            ...(fault.contentType ? { contentType: fault.contentType } : {}),
            ...(fault.truncateAfter !== undefined ? { truncateAfter: fault.truncateAfter } : {}),
          };
        }
        if (fault.status) {
          // A fault without a body still answers as HubSpot does (JSON error), so SDKs can parse it.
          const body = fault.body ?? (fault.status === 204 ? undefined : faultBody(fault.status));
          return { status: fault.status, body, headers: fault.headers };
        }
        shape = fault;
      }

      const verdict = deps.limiter.take(token, found?.route.search === true);
      extraHeaders = verdict.headers;
      if (!verdict.ok) {
        deps.stats.limited(verdict.policy);
        return { status: 429, body: verdict.body };
      }

      let body = parseJson(text);
      let refused: number[] = [];
      if (shape?.failInputs) ({ body, refused } = withoutInputs(body, shape.failInputs.match));
      if (isWebhooks) {
        const r = deps.webhooks.handle({ method, path, query: url.searchParams, body });
        if (r) return await r;
      }
      if (!found) {
        throw new HubError(404, 'OBJECT_NOT_FOUND', `Unable to find a resource for ${method} ${path}`);
      }
      const serve = () =>
        found.route.handle({
          portal: deps.portal,
          method,
          path,
          query: url.searchParams,
          body,
          params: found.params,
        });
      if (!shape) return await serve();
      const kept = (body as { inputs?: unknown[] } | undefined)?.inputs;
      // Every input refused: nothing to serve, the 207 names them all.
      let served = refused.length > 0 && kept?.length === 0 ? undefined : await serve();
      if (refused.length > 0 && shape.failInputs) served = partialReply(served, refused, shape.failInputs);
      if (served && shape.dropResults) served = withoutResults(served, shape.dropResults.match);
      if (served && shape.truncateAfter !== undefined)
        served = { ...served, truncateAfter: shape.truncateAfter };
      return served ?? { status: 204 };
    } catch (e) {
      if (e instanceof HubError) return { status: e.status, body: e.body() };
      throw e;
    }
  })();
  deps.stats.record(routeKey, reply.status);
  send(res, reply, extraHeaders);
}

// HubSpot's private-app token introspection: `{ tokenKey }` in, the token's user, portal, app and
// scopes out. The token is the body's, not a bearer header.
function tokenInfo(deps: ServerDeps, text: string): Reply {
  try {
    const body = parseJson(text) as { tokenKey?: unknown } | undefined;
    if (typeof body?.tokenKey !== 'string' || body.tokenKey !== deps.accessToken())
      throw new HubError(401, 'INVALID_AUTHENTICATION', UNAUTHORIZED);
    return {
      status: 200,
      body: { userId: 1, hubId: deps.portalId, appId: 1, scopes: [...deps.scopes()] },
    };
  } catch (e) {
    if (e instanceof HubError) return { status: e.status, body: e.body() };
    throw e;
  }
}

async function serveAdmin(
  deps: ServerDeps,
  method: string,
  path: string,
  query: URLSearchParams,
  text: string,
  res: ServerResponse,
): Promise<void> {
  let reply: Reply;
  try {
    const body = parseJson(text);
    if (path === '/__emulator/webhooks' || path.startsWith('/__emulator/webhooks/')) {
      const r = deps.webhooks.handle({ method, path, query, body });
      reply = r
        ? await r
        : { status: 404, body: { status: 'error', message: 'Not found', category: 'OBJECT_NOT_FOUND' } };
    } else {
      const found = match(deps.adminRoutes, method, path);
      if (!found) throw new HubError(404, 'OBJECT_NOT_FOUND', `No admin route ${method} ${path}`);
      reply = await found.route.handle({
        portal: deps.portal,
        method,
        path,
        query,
        body,
        params: found.params,
      });
    }
  } catch (e) {
    if (!(e instanceof HubError)) throw e;
    reply = { status: e.status, body: e.body() };
  }
  send(res, reply, {});
}
