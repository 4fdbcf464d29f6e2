// The request pipeline: route → faults → auth → daily allocation → handler → Sforce-Limit-Info,
// stats. Plain node:http; no framework.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './state.js';
import type { Reply } from './http.js';
import { errorReply, parseJson, readBody, send } from './http.js';
import { apiError } from './errors.js';
import type { Ctx, Route } from './routes/context.js';
import { resolveSobjectRoute } from './routes/sobjects.js';
import { resolveQueryRoute } from './routes/query.js';
import { resolveCompositeRoute } from './routes/composite.js';
import { compositeRequestRoute } from './routes/composite-requests.js';
import { resolveUiApiRoute } from './routes/ui-api.js';
import { resolveToolingRoute } from './routes/tooling.js';
import { MAX_VERSION, MIN_VERSION, resolveOrgRoute, versions } from './routes/org.js';
import { identityRoute, revokeRoute, tokenRoute, userInfoRoute } from './routes/oauth.js';
import { authorizePage, authorizeSubmit } from './routes/authorize.js';
import type { AdminHooks } from './routes/admin.js';
import { admin } from './routes/admin.js';

const SESSION_EXPIRED = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

type Resolved =
  | { kind: 'data'; route: Route; version: string }
  | {
      kind: 'public';
      name: string;
      run: (raw: () => Promise<string>, req: IncomingMessage) => Promise<Reply> | Reply;
    }
  | { kind: 'identity'; name: string; userId: string }
  | { kind: 'none'; name: string; reply: Reply };

function notFound(): Reply {
  return {
    status: 404,
    body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
  };
}

function resolve(state: EmulatorState, method: string, url: URL): Resolved {
  const parts = url.pathname.split('/').slice(1);
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  const [s0, s1, s2] = parts;
  if (s0 === 'services' && s1 === 'oauth2') {
    if (s2 === 'token' && method === 'POST')
      return {
        kind: 'public',
        name: 'oauth.token',
        run: async (raw, req) => tokenRoute(state, req, await raw()),
      };
    if (s2 === 'authorize' && method === 'GET')
      return { kind: 'public', name: 'oauth.authorize', run: () => authorizePage(state, url) };
    if (s2 === 'authorize' && method === 'POST')
      return {
        kind: 'public',
        name: 'oauth.authorize',
        run: async (raw) => authorizeSubmit(state, await raw()),
      };
    if (s2 === 'revoke' && method === 'POST')
      return {
        kind: 'public',
        name: 'oauth.revoke',
        run: async (raw) => revokeRoute(state, await raw(), url),
      };
    if (s2 === 'userinfo' && method === 'GET')
      return { kind: 'identity', name: 'oauth.userinfo', userId: '' };
    return {
      kind: 'none',
      name: 'unknown',
      reply: { status: 404, body: { error: 'not_found', error_description: 'unknown OAuth endpoint' } },
    };
  }
  if (s0 === 'id' && parts.length === 3 && method === 'GET')
    return { kind: 'identity', name: 'oauth.identity', userId: parts[2]! };
  if (s0 !== 'services' || s1 !== 'data') return { kind: 'none', name: 'unknown', reply: notFound() };
  if (s2 === undefined) {
    return method === 'GET'
      ? { kind: 'public', name: 'versions', run: () => ({ status: 200, body: versions() }) }
      : { kind: 'none', name: 'unknown', reply: notFound() };
  }
  const m = /^v(\d+)\.0$/.exec(s2);
  if (!m || Number(m[1]) < MIN_VERSION || Number(m[1]) > MAX_VERSION)
    return { kind: 'none', name: 'unknown', reply: notFound() };
  const version = `${m[1]}.0`;
  const rest = parts.slice(3);
  const route = dataRoute(method, rest);
  if (route) return { kind: 'data', route, version };
  const allowed = ['GET', 'POST', 'PATCH', 'DELETE'].filter((other) => dataRoute(other, rest));
  if (allowed.length === 0) return { kind: 'none', name: 'unknown', reply: notFound() };
  const message = `HTTP Method '${method}' not allowed. Allowed are ${[...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(',')}`;
  return {
    kind: 'none',
    name: 'unknown',
    reply: { status: 405, body: [{ errorCode: 'METHOD_NOT_ALLOWED', message }] },
  };
}

function dataRoute(method: string, rest: string[]): Route | undefined {
  const head = rest[0];
  if (head === 'sobjects') return resolveSobjectRoute(method, rest.slice(1));
  if (head === 'query' || head === 'queryAll') return resolveQueryRoute(method, rest);
  if (head === 'composite' && rest.length === 1 && method === 'POST') return COMPOSITE;
  if (head === 'composite') return resolveCompositeRoute(method, rest.slice(1));
  if (head === 'ui-api') return resolveUiApiRoute(method, rest.slice(1));
  if (head === 'tooling') return resolveToolingRoute(method, rest.slice(1));
  return resolveOrgRoute(method, rest);
}

/** POST /composite runs its subrequests through the same data routes. */
const COMPOSITE: Route = compositeRequestRoute(dataRoute);

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(h);
  return m?.[1]?.trim();
}

export function createHandler(state: EmulatorState, hooks: AdminHooks) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    let rawCache: Promise<string> | undefined;
    const raw = () => (rawCache ??= readBody(req));
    if (url.pathname.startsWith('/__emulator/')) {
      let reply: Reply;
      state.events.begin('com/salesforce/api/soap/62.0');
      try {
        reply = await admin(
          state,
          hooks,
          method,
          url.pathname.split('/').slice(2).filter(Boolean),
          async () => parseJson(await raw()),
        );
      } catch (e) {
        reply = errorReply(e);
      } finally {
        state.events.commit();
      }
      send(res, reply);
      return;
    }
    if (/^\/cometd\/\d+\.\d\/?$/.test(url.pathname) && method === 'POST') {
      await state.streaming.handle(req, res, bearer(req));
      return;
    }
    const r = resolve(state, method, url);
    const name = r.kind === 'data' ? r.route.name : r.name;
    let reply: Reply;
    try {
      reply = await run(state, r, req, url, raw);
    } catch (e) {
      reply = errorReply(e);
    }
    if (r.kind === 'data') reply.headers = { ...reply.headers, 'Sforce-Limit-Info': state.usage.header() };
    // The server's time is the emulator clock (moved by tests), not the host's: clients read the
    // Date header as Salesforce's time (dealbridge starts its change feeds and bounds its
    // late-commit sweep with it).
    reply.headers = { ...reply.headers, Date: new Date(state.clock.now()).toUTCString() };
    state.stats.record(name, reply.status);
    send(res, reply);
  };
}

async function run(
  state: EmulatorState,
  r: Resolved,
  req: IncomingMessage,
  url: URL,
  raw: () => Promise<string>,
): Promise<Reply> {
  if (r.kind === 'none') return r.reply;
  const fault = state.faults.apply(r.kind === 'data' ? r.route.name : r.name);
  if (fault.expireTokens) state.tokens.expireAll();
  if (fault.delayMs > 0) await new Promise((done) => setTimeout(done, fault.delayMs));
  const cut = (reply: Reply): Reply =>
    fault.truncateAfter === undefined ? reply : { ...reply, truncateAfter: fault.truncateAfter };
  if (fault.reply) return cut({ ...fault.reply });
  if (r.kind === 'public') return cut(await r.run(raw, req));
  // The identity URL also takes the token as ?oauth_token= (jsforce's identity() adds it).
  const token =
    bearer(req) ?? (r.kind === 'identity' ? (url.searchParams.get('oauth_token') ?? undefined) : undefined);
  const session = token ? state.tokens.check(token) : undefined;
  if (!session) return { status: 401, body: SESSION_EXPIRED };
  if (r.kind === 'identity')
    return r.name === 'oauth.userinfo'
      ? userInfoRoute(state, session.userId)
      : identityRoute(state, r.userId || session.userId);
  if (!state.usage.take()) {
    throw apiError(403, 'REQUEST_LIMIT_EXCEEDED', `TotalRequests Limit exceeded.`);
  }
  let bodyCache: Promise<unknown> | undefined;
  const ctx: Ctx = {
    state,
    req,
    url,
    version: r.version,
    userId: session.userId,
    body: () => (bodyCache ??= raw().then(parseJson)),
  };
  // One request is one transaction: its writes publish their change events together.
  state.events.begin(changeOrigin(req, r.version));
  try {
    return cut(await r.route.run(ctx));
  } finally {
    state.events.commit();
  }
}

/** `com/salesforce/api/rest/62.0;client=X`, the client from the Sforce-Call-Options header. */
function changeOrigin(req: IncomingMessage, version: string): string {
  const opts = req.headers['sforce-call-options'];
  const client = typeof opts === 'string' ? /(?:^|,)\s*client=([^,]+)/.exec(opts)?.[1] : undefined;
  return `com/salesforce/api/rest/${version}${client ? `;client=${client.trim()}` : ''}`;
}
