// Authentication and CSRF for the server, as one Fastify plugin. Everything but the login routes
// requires a session; a request without one gets 401 and nothing else (for a browser navigation,
// the 401 carries the login form, which holds no data). Logging in takes the admin token (in a
// form or JSON body, never in a URL) or a one-time login code; wrong tokens are throttled per
// client address (security/login-throttle.ts) and logged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminTokenSchema } from '../config/index.js';
import { CSRF_HEADER, SESSION_COOKIE, type Session, type SessionStore, tokenMatches } from './sessions.js';
import { sendError } from './http-errors.js';
import {
  LANGUAGE_COOKIE,
  LOGIN_PAGE_CSS,
  loginLanguage,
  loginPage,
  loginProblemText,
  type LoginProblem,
} from './login-page.js';
import type { LoginCodes } from './security/login-codes.js';
import type { LoginThrottle } from './security/login-throttle.js';
import { STATE_CHANGING } from './security/origin.js';
import { OPS_PATHS } from '../ops/routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    session?: Session;
  }
}

const loginBody = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string' } },
} as const;

// The Salesforce callback is reached by a cross-site redirect (no session cookie with it): its
// single-use state admits it (routes/connections.ts).
// POST /webhooks/hubspot authenticates by HubSpot's signature instead (routes/webhooks.ts).
const PUBLIC_ROUTES = new Set([
  'GET /login',
  'GET /login.css',
  'POST /login',
  'POST /api/login',
  'GET /connect/salesforce/callback',
  'POST /webhooks/hubspot',
]);
/** A token or code is at most a few hundred bytes: login bodies need no more. */
export const LOGIN_BODY_LIMIT = 4 * 1024;

export interface AuthOptions {
  adminToken: string;
  sessions: SessionStore;
  codes: LoginCodes;
  throttle: LoginThrottle;
  /** Always set the Secure flag on the cookie (the server is reached over HTTPS only). */
  secureCookies: boolean;
  /** Security events (failed logins, throttling), one line each; with the request, its id too. */
  log: (msg: string, req?: FastifyRequest) => void;
}

export interface AuthHandle {
  /** Swaps the admin token and ends every session and unused login code. */
  rotateAdminToken(token: string): void;
}

function wantsHtml(req: FastifyRequest): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export function registerAuth(app: FastifyInstance, opts: AuthOptions): AuthHandle {
  let adminToken = opts.adminToken;

  function startSession(req: FastifyRequest, reply: FastifyReply): Session {
    const session = opts.sessions.create();
    void reply.setCookie(SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'strict',
      // req.protocol is https on a TLS socket, or behind a trusted proxy that says so.
      secure: opts.secureCookies || req.protocol === 'https',
      path: '/',
    });
    return session;
  }

  type Outcome =
    | { ok: true }
    | { ok: false; status: 401 | 429; problem: LoginProblem; message: string; retryAfterS?: number };

  const language = (req: FastifyRequest) =>
    loginLanguage(req.cookies[LANGUAGE_COOKIE], req.headers['accept-language']);

  /** The token check with the throttle around it: a waiting address is not even compared. */
  function checkToken(req: FastifyRequest, token: unknown): Outcome {
    const waitMs = opts.throttle.waitMs(req.ip);
    if (waitMs > 0) {
      const retryAfterS = Math.ceil(waitMs / 1000);
      opts.log(`login refused for ${req.ip}: too many wrong tokens, retry in ${retryAfterS}s`, req);
      const problem: LoginProblem = { kind: 'throttled', seconds: retryAfterS };
      return { ok: false, status: 429, problem, message: loginProblemText(problem), retryAfterS };
    }
    if (typeof token === 'string' && tokenMatches(token, adminToken)) {
      opts.throttle.succeeded(req.ip);
      return { ok: true };
    }
    const { failures, delayMs } = opts.throttle.failed(req.ip);
    opts.log(
      `login failed for ${req.ip}: wrong admin token (${failures} in a row` +
        (delayMs > 0 ? `, next attempt allowed in ${Math.ceil(delayMs / 1000)}s)` : ')'),
      req,
    );
    const problem: LoginProblem = { kind: 'invalid' };
    return { ok: false, status: 401, problem, message: loginProblemText(problem) };
  }

  function refuse(reply: FastifyReply, o: Exclude<Outcome, { ok: true }>): FastifyReply {
    if (o.retryAfterS !== undefined) void reply.header('retry-after', String(o.retryAfterS));
    return reply.code(o.status);
  }

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: LOGIN_BODY_LIMIT },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (PUBLIC_ROUTES.has(`${req.method} ${path}`)) return;
    // Probes and metrics have their own rule (ops/routes.ts): a load balancer or Prometheus has no session.
    if ((req.method === 'GET' || req.method === 'HEAD') && OPS_PATHS.has(path)) return;
    const session = opts.sessions.get(req.cookies[SESSION_COOKIE]);
    if (!session) {
      if (wantsHtml(req))
        return reply
          .code(401)
          .type('text/html; charset=utf-8')
          .send(loginPage(language(req)));
      return sendError(reply, 'unauthorized', 'Log in first.');
    }
    if (STATE_CHANGING.has(req.method)) {
      const presented = req.headers[CSRF_HEADER];
      if (typeof presented !== 'string' || !tokenMatches(presented, session.csrfToken)) {
        return sendError(reply, 'csrf', `Missing or wrong ${CSRF_HEADER} header.`);
      }
    }
    req.session = session;
  });

  app.get('/login.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(LOGIN_PAGE_CSS));

  // The sandbox prints /login?code=…: a one-time code, exchanged here for a session and dead
  // afterwards. The admin token itself is never taken from a URL (history, proxy logs).
  app.get('/login', async (req, reply) => {
    const { code, token } = req.query as { code?: unknown; token?: unknown };
    const html = (status: number, problem?: LoginProblem) =>
      reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(loginPage(language(req), problem));
    if (typeof token === 'string') return html(400, { kind: 'tokenInLink' });
    if (typeof code !== 'string') return html(200);
    const waitMs = opts.throttle.waitMs(req.ip);
    if (waitMs > 0) return html(429, { kind: 'throttled', seconds: Math.ceil(waitMs / 1000) });
    if (!opts.codes.redeem(code)) {
      opts.throttle.failed(req.ip);
      opts.log(`login failed for ${req.ip}: unknown, used or expired login code`, req);
      return html(401, { kind: 'linkUsed' });
    }
    startSession(req, reply);
    return reply.redirect('/');
  });

  // The form answers with the login page rather than JSON, so it checks its one field itself.
  app.post('/login', { bodyLimit: LOGIN_BODY_LIMIT }, async (req, reply) => {
    const outcome = checkToken(req, (req.body as { token?: unknown } | undefined)?.token);
    if (!outcome.ok)
      return refuse(reply, outcome)
        .type('text/html; charset=utf-8')
        .send(loginPage(language(req), outcome.problem));
    startSession(req, reply);
    return reply.redirect('/');
  });

  app.post<{ Body: { token: string } }>(
    '/api/login',
    { bodyLimit: LOGIN_BODY_LIMIT, schema: { body: loginBody } },
    async (req, reply) => {
      const outcome = checkToken(req, req.body.token);
      if (!outcome.ok) {
        refuse(reply, outcome);
        return sendError(
          reply,
          outcome.status === 429 ? 'too_many_attempts' : 'unauthorized',
          outcome.message,
        );
      }
      const session = startSession(req, reply);
      return { csrfToken: session.csrfToken };
    },
  );

  app.get('/api/session', async (req) => ({ csrfToken: req.session?.csrfToken }));

  app.post('/api/logout', async (req, reply) => {
    opts.sessions.destroy(req.session?.id);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  return {
    rotateAdminToken(token) {
      adminToken = adminTokenSchema.parse(token);
      opts.sessions.clear();
      opts.codes.clear();
      opts.log('admin token rotated: every session and login link ended');
    },
  };
}
