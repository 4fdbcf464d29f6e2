// The pause switch (issue #17) from the web UI: POST /api/sync/pause and /api/sync/resume, state-
// changing, so behind the session, the CSRF header and the origin check like every write. They do
// not take the writers' lock: a pass holding it would delay the pause until it ends, and the pass
// reads the switch itself before its next batch. The state is in /api/health and /api/overview.
import type { FastifyInstance } from 'fastify';
import { setPaused } from '../../engine/pause.js';
import type { ServerContext } from '../context.js';

export function registerSyncRoutes(app: FastifyInstance, ctx: ServerContext): void {
  for (const [path, paused] of [
    ['/api/sync/pause', true],
    ['/api/sync/resume', false],
  ] as const) {
    app.post(path, async () => {
      const state = await setPaused(ctx.runtime.store, paused, ctx.now());
      ctx.hub.publish('sync', { paused: state.paused });
      return state;
    });
  }
}
