// The JSON API, page by page. Registered by buildServer after authentication, so every route
// here needs a session (and a CSRF header for writes).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { registerLiveRoute } from '../live.js';
import { publicError, registerRedaction } from '../redact.js';
import { registerHealthRoutes } from './health.js';
import { registerImportRoutes } from './import.js';
import { registerRecordRoutes } from './records.js';
import { registerSettingsRoutes } from './settings.js';

export function registerApi(app: FastifyInstance, ctx: ServerContext): { close(): Promise<void> } {
  registerRedaction(app, ctx.secrets);
  // Engine and adapter errors reach the page as { code, message } with secrets removed; their
  // HTTP status says whether the request was wrong (4xx) or a remote system failed (502).
  app.setErrorHandler((err, _req, reply) => {
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500)
      return reply
        .code(status)
        .send({ error: 'bad_request', message: publicError(err, ctx.secrets).message });
    const pub = publicError(err, ctx.secrets);
    app.log.error({ code: pub.code, message: pub.message }, 'request failed');
    return reply.code(pub.code === 'INTERNAL' ? 500 : 502).send({ error: pub.code, message: pub.message });
  });
  registerLiveRoute(app, ctx.hub);
  registerSettingsRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  registerHealthRoutes(app, ctx);
  registerRecordRoutes(app, ctx);
  app.get('/api/overview', async () => {
    const { store } = ctx.runtime;
    const sync = (await store.getSetting<boolean>('opportunitySync')) ?? false;
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    return {
      opportunitySync: sync,
      errors: total(await store.errorCountsByCode('error')),
      warnings: total(await store.errorCountsByCode('warning')),
      importRunning: ctx.imports.current?.state === 'running',
      loop: ctx.loop,
    };
  });
  return { close: async () => {} };
}
