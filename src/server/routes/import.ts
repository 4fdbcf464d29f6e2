// Import API ("Import from Salesforce › Opportunities linked to contacts"): preview (dry run),
// start, stop, and the "Import status" data — the job in this process plus every stored run,
// so an import started with `dealbridge import` elsewhere shows up too.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { JobBusyError } from '../import-jobs.js';

export function registerImportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/import', async () => {
    const runs = await ctx.runtime.store.listImportRuns(50);
    return { job: ctx.imports.current, runs };
  });

  for (const kind of ['preview', 'import'] as const) {
    app.post(`/api/import/${kind === 'import' ? 'start' : 'preview'}`, async (_req, reply) => {
      try {
        const job = ctx.imports.start(kind);
        return reply.code(202).send({ job });
      } catch (err) {
        if (err instanceof JobBusyError)
          return reply.code(409).send({ error: err.code, message: err.message });
        throw err;
      }
    });
  }

  app.post('/api/import/stop', async () => ({ stopping: ctx.imports.stop() }));
}
