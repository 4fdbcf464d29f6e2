// The Fastify application: authentication first, then the JSON API, then the built web UI.
// Built by a function so tests can `inject` requests in-process without a socket.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ADMIN_TOKEN_MIN_LENGTH, adminTokenSchema } from '../config/index.js';
import { DealbridgeError } from '../errors/index.js';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { registerAuth } from './auth.js';
import { registerErrorHandler, sendError } from './http-errors.js';
import { SessionStore } from './sessions.js';

export interface ServerOptions {
  adminToken: string;
  /** Folder of the built web UI (web/dist); omitted or missing → API only. */
  webRoot?: string;
  secureCookies?: boolean;
  /** Registers the JSON API routes (under /api/) once auth is in place. */
  routes?: (app: FastifyInstance) => void | Promise<void>;
  logger?: boolean;
  /** Configured secrets, kept out of error messages. */
  secrets?: readonly string[];
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  if (!adminTokenSchema.safeParse(opts.adminToken).success)
    throw new DealbridgeError(
      'CONFIG_INVALID',
      `DEALBRIDGE_ADMIN_TOKEN must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (it is the web UI login)`,
      { field: 'DEALBRIDGE_ADMIN_TOKEN' },
    );
  const app = Fastify({
    logger: opts.logger
      ? { redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] }
      : false,
    bodyLimit: 1024 * 1024,
    // Route schemas validate bodies as sent: a number where a string is expected is refused with
    // the field named, as the hand-written checks did, not coerced into a string.
    ajv: { customOptions: { coerceTypes: false } },
  });
  registerErrorHandler(app, opts.secrets ?? []);
  await app.register(cookie);
  registerAuth(app, {
    adminToken: opts.adminToken,
    sessions: new SessionStore(),
    secureCookies: opts.secureCookies ?? false,
  });
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
