// Sync health API: the page's data, the CSV export of every error, and "resync selected".
import type { FastifyInstance } from 'fastify';
import { resyncRecords } from '../actions/resync.js';
import type { ServerContext } from '../context.js';
import { errorsCsv, healthView } from '../queries/health-view.js';

const MAX_KEYS = 5_000;

export function registerHealthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/health', async () => healthView(ctx));

  app.get('/api/errors.csv', async (_req, reply) => {
    const csv = await errorsCsv(ctx);
    const day = ctx.now().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="dealbridge-errors-${day}.csv"`)
      .send(csv);
  });

  app.post('/api/resync', async (req, reply) => {
    const keys = (req.body as { recordKeys?: unknown } | undefined)?.recordKeys;
    if (
      !Array.isArray(keys) ||
      keys.length === 0 ||
      keys.length > MAX_KEYS ||
      !keys.every((k) => typeof k === 'string')
    )
      return reply
        .code(400)
        .send({ error: 'bad_request', message: `expected recordKeys: 1-${MAX_KEYS} strings` });
    const result = await ctx.lock.run(() => resyncRecords(ctx.runtime, keys as string[], ctx.now()));
    ctx.hub.publish('errors', { resynced: result.requested });
    return result;
  });
}
