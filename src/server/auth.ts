// Authentication and CSRF for the server, as one Fastify plugin. Everything but the login routes
// requires a session; a request without one gets 401 and nothing else (for a browser navigation,
// the 401 carries the login form, which holds no data).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_HEADER, SESSION_COOKIE, type Session, type SessionStore, tokenMatches } from './sessions.js';
import { sendError } from './http-errors.js';
import { loginPage } from './login-page.js';

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

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PUBLIC_ROUTES = new Set(['GET /login', 'POST /login', 'POST /api/login']);

export interface AuthOptions {
  adminToken: string;
  sessions: SessionStore;
  /** Set the Secure flag on the cookie (behind HTTPS). */
  secureCookies: boolean;
}

function wantsHtml(req: FastifyRequest): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export function registerAuth(app: FastifyInstance, opts: AuthOptions): void {
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: opts.secureCookies,
    path: '/',
  };

  function startSession(reply: FastifyReply): Session {
    const session = opts.sessions.create();
    void reply.setCookie(SESSION_COOKIE, session.id, cookieOptions);
    return session;
  }

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (PUBLIC_ROUTES.has(`${req.method} ${path}`)) return;
    const session = opts.sessions.get(req.cookies[SESSION_COOKIE]);
    if (!session) {
      if (wantsHtml(req)) return reply.code(401).type('text/html; charset=utf-8').send(loginPage());
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

  // The sandbox prints /login?token=… so a first-time user lands logged in with one click.
  app.get('/login', async (req, reply) => {
    const token = (req.query as { token?: unknown }).token;
    if (typeof token === 'string' && tokenMatches(token, opts.adminToken)) {
      startSession(reply);
      return reply.redirect('/');
    }
    return reply
      .type('text/html; charset=utf-8')
      .send(loginPage(typeof token === 'string' ? 'That token is not valid.' : undefined));
  });

  // The form answers with the login page rather than JSON, so it checks its one field itself.
  app.post('/login', async (req, reply) => {
    const token = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !tokenMatches(token, opts.adminToken)) {
      return reply.code(401).type('text/html; charset=utf-8').send(loginPage('That token is not valid.'));
    }
    startSession(reply);
    return reply.redirect('/');
  });

  app.post<{ Body: { token: string } }>('/api/login', { schema: { body: loginBody } }, async (req, reply) => {
    if (!tokenMatches(req.body.token, opts.adminToken))
      return sendError(reply, 'unauthorized', 'That token is not valid.');
    const session = startSession(reply);
    return { csrfToken: session.csrfToken };
  });

  app.get('/api/session', async (req) => ({ csrfToken: req.session?.csrfToken }));

  app.post('/api/logout', async (req, reply) => {
    opts.sessions.destroy(req.session?.id);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
}
