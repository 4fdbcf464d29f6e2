// The Fastify application: security headers and the origin check first, then authentication,
// then the JSON API, then the built web UI. Built by a function so tests can `inject` requests
// in-process without a socket.
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { adminTokenSchema } from '../config/index.js';
import { DealbridgeError } from '../errors/index.js';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { createLogger, type LogDestination } from '../ops/log.js';
import { registerAuth } from './auth.js';
import { registerErrorHandler, sendError } from './http-errors.js';
import { SessionStore, type SessionLifetimes } from './sessions.js';
import { registerSecurityHeaders } from './security/headers.js';
import { LoginCodes } from './security/login-codes.js';
import {
  DEFAULT_LOGIN_THROTTLE,
  LoginThrottle,
  type LoginThrottleOptions,
} from './security/login-throttle.js';
import { registerOriginCheck } from './security/origin.js';

/** What the UI's API ever receives in a body is a few kilobytes of settings; 100 KiB is plenty. */
export const API_BODY_LIMIT = 100 * 1024;

export interface ServerOptions {
  adminToken: string;
  /** Folder of the built web UI (web/dist); omitted or missing → API only. */
  webRoot?: string;
  /** Always set the session cookie's Secure flag (config `server.secureCookies`). */
  secureCookies?: boolean;
  /**
   * Behind a reverse proxy (config `server.trustProxy`): the client address (for the login
   * throttle), the scheme (Secure cookies) and the host (origin check) come from X-Forwarded-*.
   */
  trustProxy?: boolean;
  /** Registers the JSON API routes (under /api/) once auth is in place. */
  routes?: (app: FastifyInstance) => void | Promise<void>;
  /** Log every request too (secrets redacted); security events and errors are always logged. */
  logger?: boolean;
  /** The process's logger (ops/log.ts); default: one that writes to logStream. */
  log?: Logger;
  /** Where log lines go when no `log` is given (JSON, or pretty on a terminal); default stderr. */
  logStream?: LogDestination;
  /** For tests: the clock of sessions, login codes and the throttle, and their settings. */
  now?: () => number;
  sessionLifetimes?: Partial<SessionLifetimes>;
  loginThrottle?: Partial<LoginThrottleOptions>;
  /** Configured secrets, kept out of error messages. */
  secrets?: readonly string[];
}

export interface ServerControls {
  /** A one-time, short-lived login link's code (`/login?code=…`). */
  issueLoginCode(): string;
  /** Swaps the admin token; every session and unused login code ends. */
  rotateAdminToken(token: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    dealbridge: ServerControls;
  }
}

function checkedAdminToken(token: string): string {
  const parsed = adminTokenSchema.safeParse(token);
  if (parsed.success) return parsed.data;
  throw new DealbridgeError(
    'CONFIG_INVALID',
    `DEALBRIDGE_ADMIN_TOKEN ${parsed.error.issues[0]?.message ?? 'is not valid'} (it is the web UI login)`,
    { field: 'DEALBRIDGE_ADMIN_TOKEN' },
  );
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const adminToken = checkedAdminToken(opts.adminToken);
  const log =
    opts.log ??
    createLogger({ secrets: opts.secrets ?? [], ...(opts.logStream ? { destination: opts.logStream } : {}) });
  const app = Fastify({
    // Typed as Fastify's base logger: the instance type stays the one every route module uses.
    loggerInstance: log as FastifyBaseLogger,
    // Every request's log lines carry its id; a trusted proxy's X-Request-Id is kept, so one id
    // follows a request through both logs. A client's own header is not trusted.
    genReqId: () => randomUUID(),
    requestIdHeader: opts.trustProxy ? 'x-request-id' : false,
    logController: new LogController({ disableRequestLogging: !opts.logger, requestIdLogLabel: 'requestId' }),
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: API_BODY_LIMIT,
    // Route schemas validate bodies as sent: a number where a string is expected is refused with
    // the field named, as the hand-written checks did, not coerced into a string.
    ajv: { customOptions: { coerceTypes: false } },
  });
  registerErrorHandler(app, opts.secrets ?? []);
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  // A request's security event goes through its logger: the line carries its request id.
  const securityLog = (msg: string, req?: FastifyRequest) =>
    (req?.log ?? app.log).warn({ event: 'security' }, msg);
  registerSecurityHeaders(app);
  registerOriginCheck(app, securityLog);
  await app.register(cookie);
  const now = opts.now ?? Date.now;
  const codes = new LoginCodes(undefined, now);
  const auth = registerAuth(app, {
    adminToken,
    sessions: new SessionStore(opts.sessionLifetimes, now),
    codes,
    throttle: new LoginThrottle({ ...DEFAULT_LOGIN_THROTTLE, ...opts.loginThrottle }, now),
    secureCookies: opts.secureCookies ?? false,
    log: securityLog,
  });
  app.decorate('dealbridge', {
    issueLoginCode: () => codes.issue(),
    rotateAdminToken: (token: string) => auth.rotateAdminToken(checkedAdminToken(token)),
  } satisfies ServerControls);
  if (opts.routes) await opts.routes(app);
  const noRoute = (req: FastifyRequest, reply: FastifyReply) =>
    sendError(reply, 'not_found', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`);
  if (!opts.webRoot) app.setNotFoundHandler(noRoute);
  else if (existsSync(opts.webRoot)) {
    await app.register(fastifyStatic, { root: opts.webRoot, prefix: '/', wildcard: false });
    // Client-side routes (/import, /health, …) all load the single page.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
      return noRoute(req, reply);
    });
  } else {
    // The bundle is built by `npm install` (the package's `prepare`) and by `npm start`; a checkout
    // installed some other way says what to run instead of answering a bare 404 after login.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/'))
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(`The web UI is not built (${opts.webRoot} is missing). Run: npm run build:web`);
      return noRoute(req, reply);
    });
  }
  return app;
}
