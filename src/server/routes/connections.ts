// Connecting Salesforce from the web UI (issue #16). GET /api/connections/salesforce: the state
// (where the credentials come from, who is connected, the last successful call) and the callback
// URL the connected app must list. POST …/start: the authorize URL (the browser goes there);
// POST …/check: a live identity check; POST …/disconnect: revoke and forget. The callback,
// GET /connect/salesforce/callback, is public (a cross-site redirect carries no session): the
// single-use `state` this process issued to a logged-in admin is what admits it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DealbridgeError } from '../../errors/index.js';
import { loginUrlOf, type LoginKind } from '../../connect/login-url.js';
import type { ServerContext } from '../context.js';
import { sendError } from '../http-errors.js';
import { callbackPage } from '../callback-page.js';
import { LANGUAGE_COOKIE, loginLanguage } from '../login-page.js';

export const CALLBACK_PATH = '/connect/salesforce/callback';

const startBody = {
  type: 'object',
  required: ['loginKind'],
  additionalProperties: false,
  properties: {
    loginKind: { type: 'string', enum: ['production', 'sandbox', 'mydomain'] },
    loginUrl: { type: 'string', maxLength: 300 },
    clientId: { type: 'string', minLength: 1, maxLength: 300 },
    clientSecret: { type: 'string', minLength: 1, maxLength: 300 },
  },
} as const;

interface StartBody {
  loginKind: LoginKind;
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
}

/** The callback URL on this server, as the browser reaches it (behind a trusted proxy: its host). */
export function callbackUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}${CALLBACK_PATH}`;
}

function refusedConfig(reply: FastifyReply, err: unknown) {
  if (err instanceof DealbridgeError && err.code === 'CONFIG_INVALID')
    return sendError(reply, 'bad_request', err.message, { field: err.field ?? 'body', reason: err.message });
  throw err;
}

export function registerConnectionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const connect = () => ctx.runtime.salesforceConnect;

  app.get('/api/connections/salesforce', async (req) => ({
    ...(await connect().status()),
    callbackUrl: callbackUrl(req),
  }));

  app.post<{ Body: StartBody }>(
    '/api/connections/salesforce/start',
    { schema: { body: startBody } },
    async (req, reply) => {
      try {
        const b = req.body;
        const loginUrl = loginUrlOf(b.loginKind, b.loginUrl);
        const { authorizeUrl } = await connect().start(callbackUrl(req), {
          loginUrl,
          ...(b.clientId !== undefined ? { clientId: b.clientId } : {}),
          ...(b.clientSecret !== undefined ? { clientSecret: b.clientSecret } : {}),
        });
        return { authorizeUrl };
      } catch (err) {
        return refusedConfig(reply, err);
      }
    },
  );

  app.post('/api/connections/salesforce/check', async (_req, reply) => {
    try {
      return await connect().check();
    } catch (err) {
      return refusedConfig(reply, err);
    }
  });

  app.post('/api/connections/salesforce/disconnect', async () => {
    const r = await connect().disconnect();
    ctx.runtime.resetSalesforce();
    return { revoked: r.revoked, ...r.status };
  });

  // HubSpot: a private-app token, checked against the portal before it is stored.
  app.get('/api/connections/hubspot', () => ctx.runtime.hubspotConnect.status());
  app.post<{ Body: { token: string } }>(
    '/api/connections/hubspot/token',
    {
      schema: {
        body: {
          type: 'object',
          required: ['token'],
          additionalProperties: false,
          properties: { token: { type: 'string', minLength: 10, maxLength: 500 } },
        },
      },
    },
    async (req) => {
      const status = await ctx.runtime.hubspotConnect.connectToken(req.body.token);
      ctx.runtime.resetHubspot();
      return status;
    },
  );
  app.post('/api/connections/hubspot/disconnect', async () => {
    const status = await ctx.runtime.hubspotConnect.disconnect();
    ctx.runtime.resetHubspot();
    return status;
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(CALLBACK_PATH, async (req, reply) => {
    const language = loginLanguage(req.cookies[LANGUAGE_COOKIE], req.headers['accept-language']);
    let outcome: { ok: true } | { ok: false; code: string };
    try {
      const q = req.query;
      await connect().finish({
        state: q.state,
        code: q.code,
        error: q.error,
        error_description: q.error_description,
      });
      ctx.runtime.resetSalesforce();
      outcome = { ok: true };
    } catch (err) {
      const code = err instanceof DealbridgeError ? err.code : 'INTERNAL';
      req.log.warn({ code }, 'Salesforce connection not made');
      outcome = { ok: false, code };
    }
    return reply
      .code(outcome.ok ? 200 : 400)
      .type('text/html; charset=utf-8')
      .send(callbackPage(language, outcome));
  });
}
