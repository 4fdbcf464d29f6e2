// The JSON API, page by page. Registered by buildServer after authentication, so every route
// here needs a session (and a CSRF header for writes); the operational routes (/healthz, /readyz,
// /metrics) are the exception, with their own rule (ops/routes.ts).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { registerLiveRoute } from '../live.js';
import { registerRedaction } from '../redact.js';
import { registerHealthRoutes } from './health.js';
import { registerImportRoutes } from './import.js';
import { registerRecordRoutes } from './records.js';
import { registerSettingsRoutes } from './settings.js';
import { registerSyncRoutes } from './sync.js';
import { registerConnectionRoutes } from './connections.js';
import { registerHubspotWebhooks } from './webhooks.js';
import { readPause } from '../../engine/pause.js';
import { registerOpsRoutes } from '../../ops/routes.js';

export function registerApi(app: FastifyInstance, ctx: ServerContext): { close(): Promise<void> } {
  registerRedaction(app, ctx.secrets);
  registerLiveRoute(app, ctx.hub);
  registerSettingsRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  registerHealthRoutes(app, ctx);
  registerRecordRoutes(app, ctx);
  registerSyncRoutes(app, ctx);
  registerConnectionRoutes(app, ctx);
  const webhooks = registerHubspotWebhooks(app, ctx, () => ctx.runtime.twoWay());
  registerOpsRoutes(app, {
    metrics: ctx.metrics,
    readiness: { migrationStatus: () => ctx.runtime.migrationStatus(), draining: () => ctx.draining },
    metricsToken: ctx.runtime.config.server?.metricsToken,
  });
  app.get('/api/overview', async () => {
    const { store } = ctx.runtime;
    const sync = (await store.getSetting<boolean>('opportunitySync')) ?? false;
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    return {
      opportunitySync: sync,
      paused: (await readPause(store)).paused,
      errors: total(await store.errorCountsByCode('error')),
      warnings: total(await store.errorCountsByCode('warning')),
      importRunning: ctx.imports.current?.state === 'running',
      loop: ctx.loop,
    };
  });
  // Closing waits for the webhook deliveries already answered to be processed.
  return { close: () => webhooks.idle() };
}
