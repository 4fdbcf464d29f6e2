// Records API: find an opportunity by name or id, show one, and "Resync now".
import type { FastifyInstance } from 'fastify';
import { recordKeyOf, resyncRecords } from '../actions/resync.js';
import type { ServerContext } from '../context.js';
import { sendError } from '../http-errors.js';
import { searchOpportunities } from '../queries/opportunity-search.js';
import { recordView } from '../queries/record-view.js';

// A Salesforce id: 15 characters, or 18 with the case-safe suffix.
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-zA-Z0-9]{15,18}$' } },
} as const;

export function registerRecordRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/records', async (req) => {
    const q = (req.query as { q?: unknown }).q;
    const text = typeof q === 'string' ? q.slice(0, 200) : '';
    return { query: text, results: await searchOpportunities(ctx.runtime.store, text, 25) };
  });

  app.get<{ Params: { id: string } }>(
    '/api/records/:id',
    { schema: { params: idParams } },
    async (req, reply) => {
      const view = await recordView(ctx, req.params.id);
      if (!view) return sendError(reply, 'not_found', 'dealbridge has not seen this opportunity');
      return view;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/records/:id/resync',
    { schema: { params: idParams } },
    async (req) => {
      const result = await ctx.lock.run(() =>
        resyncRecords(ctx.runtime, [recordKeyOf(req.params.id)], ctx.now()),
      );
      ctx.hub.publish('errors', { resynced: 1 });
      return result;
    },
  );
}
