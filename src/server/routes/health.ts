// Sync health API: the page's data, the CSV export of every error, and "resync selected".
import type { FastifyInstance } from 'fastify';
import { resyncRecords } from '../actions/resync.js';
import type { ServerContext } from '../context.js';
import { errorsCsv, healthView } from '../queries/health-view.js';

const MAX_KEYS = 5_000;

const resyncBody = {
  type: 'object',
  required: ['recordKeys'],
  properties: {
    recordKeys: { type: 'array', minItems: 1, maxItems: MAX_KEYS, items: { type: 'string', minLength: 1 } },
  },
} as const;

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

  app.post<{ Body: { recordKeys: string[] } }>(
    '/api/resync',
    { schema: { body: resyncBody } },
    async (req) => {
      const keys = req.body.recordKeys;
      const result = await ctx.lock.run(() => resyncRecords(ctx.runtime, keys, ctx.now()));
      ctx.hub.publish('errors', { resynced: result.requested });
      return result;
    },
  );
}
