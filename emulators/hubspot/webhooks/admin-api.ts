// Admin routes under /__emulator/webhooks: app identity and signing secret, delivery tuning
// (so tests can run HubSpot's 24-hour retry schedule in seconds), direct subscriptions, the
// delivery log and a synchronous flush.
import { validationError } from './errors.js';
import { subscriptionBody, subscriptionProblem, settingsBody, type WebhookStore } from './store.js';
import type { Deliverer } from './delivery.js';
import type { WebhookRequest, WebhookResponse } from './types.js';

export interface AdminContext {
  store: WebhookStore;
  deliverer: Deliverer;
  now: () => number;
  resetAll: () => void;
}

type Tunable = 'delayFactor' | 'jitter' | 'timeoutMs' | 'maxBatchSize' | 'batchDelayMs' | 'pollMs';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(ctx: AdminContext): Record<string, unknown> {
  const { store, deliverer } = ctx;
  const o = deliverer.opts;
  return {
    appId: store.app.appId,
    clientSecret: store.app.clientSecret,
    developerApiKey: store.app.developerApiKey,
    settings: store.settings ? settingsBody(store.settings) : null,
    subscriptions: [...store.subscriptions.values()].map(subscriptionBody),
    delivery: {
      delayFactor: o.retry.delayFactor,
      jitter: o.retry.jitter,
      timeoutMs: o.timeoutMs,
      maxBatchSize: o.maxBatchSize,
      batchDelayMs: o.batchDelayMs,
      pollMs: o.pollMs,
    },
    stats: deliverer.stats,
  };
}

export async function handleAdmin(
  ctx: AdminContext,
  req: WebhookRequest,
): Promise<WebhookResponse | undefined> {
  const sub = req.path.replace(/^\/__emulator\/webhooks\/?/, '');
  if (sub === req.path) return undefined;
  const { store, deliverer } = ctx;
  switch (`${req.method} ${sub}`) {
    case 'GET ':
      return { status: 200, body: describe(ctx) };
    case 'PUT ':
    case 'POST ':
    case 'PATCH ':
      return configure(ctx, req.body);
    case 'POST reset':
      ctx.resetAll();
      return { status: 200, body: describe(ctx) };
    case 'POST subscriptions': {
      const b = isObject(req.body) ? req.body : {};
      const problem = subscriptionProblem(store, b.eventType, b.propertyName, b.active);
      if (problem) return validationError(problem);
      const created = store.addSubscription(
        {
          eventType: b.eventType as string,
          ...(typeof b.propertyName === 'string' ? { propertyName: b.propertyName } : {}),
          // Admin-made subscriptions are active unless told otherwise: they exist to be used.
          active: typeof b.active === 'boolean' ? b.active : true,
        },
        ctx.now(),
      );
      return { status: 201, body: subscriptionBody(created) };
    }
    case 'GET deliveries':
      return { status: 200, body: { results: deliverer.log, stats: deliverer.stats } };
    case 'DELETE deliveries':
      deliverer.clearLog();
      return { status: 204 };
    case 'GET notifications': {
      const state = req.query.get('state');
      const results = [...deliverer.notifications.values()]
        .filter((n) => !state || n.state === state)
        .map((n) => ({
          ...n.event,
          attemptNumber: n.attemptNumber,
          state: n.state,
          dueAt: n.dueAt,
          attempts: n.attempts,
        }));
      return { status: 200, body: { results } };
    }
    case 'POST flush': {
      const all = isObject(req.body) && req.body.all === true;
      await deliverer.flush(all);
      return { status: 200, body: deliverer.stats };
    }
    default:
      return undefined;
  }
}

function configure(ctx: AdminContext, body: unknown): WebhookResponse {
  if (!isObject(body)) return validationError('body must be a JSON object');
  const { store, deliverer } = ctx;
  const b = body;
  if (b.appId !== undefined) {
    if (typeof b.appId !== 'number' || !Number.isInteger(b.appId) || b.appId <= 0) {
      return validationError('appId must be a positive integer');
    }
    store.app.appId = b.appId;
  }
  for (const k of ['clientSecret', 'developerApiKey'] as const) {
    if (b[k] === undefined) continue;
    if (typeof b[k] !== 'string' || b[k] === '') return validationError(`${k} must be a non-empty string`);
    store.app[k] = b[k];
  }
  const limits: Record<Tunable, [number, number]> = {
    delayFactor: [0, 1e6],
    jitter: [0, 1],
    timeoutMs: [1, 600_000],
    maxBatchSize: [1, 100],
    batchDelayMs: [0, 60_000],
    pollMs: [1, 60_000],
  };
  for (const [k, [lo, hi]] of Object.entries(limits) as [Tunable, [number, number]][]) {
    const v = b[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= lo && v <= hi))
      return validationError(`${k} must be a number in [${lo}, ${hi}]`);
    if (k === 'delayFactor' || k === 'jitter') deliverer.opts.retry[k] = v;
    else deliverer.opts[k] = v;
  }
  if (b.targetUrl !== undefined) {
    if (typeof b.targetUrl !== 'string') return validationError('targetUrl must be a string');
    const max =
      typeof b.maxConcurrentRequests === 'number'
        ? b.maxConcurrentRequests
        : (store.settings?.maxConcurrentRequests ?? 10);
    store.putSettings(b.targetUrl, max, store.settings?.period, ctx.now());
  } else if (typeof b.maxConcurrentRequests === 'number' && store.settings) {
    store.settings.maxConcurrentRequests = b.maxConcurrentRequests;
  }
  return { status: 200, body: describe(ctx) };
}
