// HubSpot's webhooks v3 management API (`/webhooks/v3/{appId}/settings|subscriptions`), in the
// shapes of `webhooks.v3.json`. Auth: the developer API key in `?hapikey=` as the Webhooks guide
// says; requests without one are assumed to have passed the portal's Bearer check (the spec also
// lists OAuth and private-app auth).
import { errorResponse, notFound, validationError } from './errors.js';
import {
  MAX_SUBSCRIPTIONS,
  settingsBody,
  subscriptionBody,
  subscriptionProblem,
  iso,
  type WebhookStore,
} from './store.js';
import type { WebhookRequest, WebhookResponse } from './types.js';

// "This value must be a number greater than five" (Webhooks guide, settings table); HubSpot's
// settings page offers 5 as its lowest choice, so 5 is accepted.
const MIN_CONCURRENCY = 5;

export function handleManagement(
  store: WebhookStore,
  req: WebhookRequest,
  now: () => number,
  onSettingsChange: () => void,
): WebhookResponse | undefined {
  const m = /^\/webhooks\/v3\/([^/]+)\/(settings|subscriptions)(?:\/(batch\/update|[^/]+))?\/?$/.exec(
    req.path,
  );
  if (!m) return undefined;
  const [, appIdRaw, resource, rest] = m as unknown as [string, string, string, string | undefined];
  const key = req.query.get('hapikey');
  if (key !== null && key !== store.app.developerApiKey) {
    return errorResponse(401, 'INVALID_AUTHENTICATION', 'The API key provided is invalid.');
  }
  if (String(store.app.appId) !== appIdRaw) {
    return notFound(`App ${appIdRaw} not found`);
  }
  if (resource === 'settings') {
    return rest === undefined ? settings(store, req, now, onSettingsChange) : undefined;
  }
  if (rest === undefined) return collection(store, req, now);
  if (rest === 'batch/update')
    return req.method === 'POST' ? batchUpdate(store, req, now) : methodNotAllowed();
  return single(store, req, rest, now);
}

function methodNotAllowed(): WebhookResponse {
  return errorResponse(405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function settings(
  store: WebhookStore,
  req: WebhookRequest,
  now: () => number,
  onChange: () => void,
): WebhookResponse {
  switch (req.method) {
    case 'GET':
      return store.settings
        ? { status: 200, body: settingsBody(store.settings) }
        : notFound(`No webhook settings for app ${store.app.appId}`);
    case 'PUT': {
      const b = req.body;
      if (!isObject(b) || typeof b.targetUrl !== 'string' || !isObject(b.throttling)) {
        return validationError('targetUrl (string) and throttling (object) are required');
      }
      const max = b.throttling.maxConcurrentRequests;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < MIN_CONCURRENCY) {
        return validationError(`throttling.maxConcurrentRequests must be an integer >= ${MIN_CONCURRENCY}`);
      }
      try {
        const u = new URL(b.targetUrl);
        if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
      } catch {
        return validationError(`targetUrl is not a valid URL: ${b.targetUrl}`);
      }
      const period = typeof b.throttling.period === 'string' ? b.throttling.period : undefined;
      const s = store.putSettings(b.targetUrl, max, period, now());
      onChange();
      return { status: 200, body: settingsBody(s) };
    }
    case 'DELETE':
      store.settings = undefined;
      onChange();
      return { status: 204 };
    default:
      return methodNotAllowed();
  }
}

function collection(store: WebhookStore, req: WebhookRequest, now: () => number): WebhookResponse {
  if (req.method === 'GET') {
    return { status: 200, body: { results: [...store.subscriptions.values()].map(subscriptionBody) } };
  }
  if (req.method !== 'POST') return methodNotAllowed();
  const b = req.body;
  if (!isObject(b)) return validationError('Request body must be a JSON object');
  if (store.subscriptions.size >= MAX_SUBSCRIPTIONS) {
    return errorResponse(
      400,
      'VALIDATION_ERROR',
      `Couldn't create another subscription. You've reached the maximum number allowed per application (${MAX_SUBSCRIPTIONS}).`,
    );
  }
  const problem = subscriptionProblem(store, b.eventType, b.propertyName, b.active);
  if (problem) return validationError(problem);
  const sub = store.addSubscription(
    {
      eventType: b.eventType as string,
      ...(typeof b.propertyName === 'string' ? { propertyName: b.propertyName } : {}),
      ...(typeof b.objectTypeId === 'string' ? { objectTypeId: b.objectTypeId } : {}),
      ...(typeof b.active === 'boolean' ? { active: b.active } : {}),
    },
    now(),
  );
  return { status: 201, body: subscriptionBody(sub) };
}

function single(store: WebhookStore, req: WebhookRequest, idRaw: string, now: () => number): WebhookResponse {
  const sub = /^\d+$/.test(idRaw) ? store.subscriptions.get(Number(idRaw)) : undefined;
  if (!sub) return notFound(`Subscription ${idRaw} not found`);
  switch (req.method) {
    case 'GET':
      return { status: 200, body: subscriptionBody(sub) };
    // The guide's prose says PUT, the spec says PATCH: both update `active`.
    case 'PATCH':
    case 'PUT': {
      const b = req.body;
      if (!isObject(b) || (b.active !== undefined && typeof b.active !== 'boolean')) {
        return validationError('active must be a boolean');
      }
      if (typeof b.active === 'boolean') sub.active = b.active;
      sub.updatedAt = now();
      return { status: 200, body: subscriptionBody(sub) };
    }
    case 'DELETE':
      store.subscriptions.delete(sub.id);
      return { status: 204 };
    default:
      return methodNotAllowed();
  }
}

function batchUpdate(store: WebhookStore, req: WebhookRequest, now: () => number): WebhookResponse {
  const b = req.body;
  if (!isObject(b) || !Array.isArray(b.inputs)) return validationError('inputs (array) is required');
  const startedAt = now();
  const results: Record<string, unknown>[] = [];
  const missing: string[] = [];
  for (const input of b.inputs as unknown[]) {
    if (!isObject(input) || typeof input.active !== 'boolean' || typeof input.id !== 'number') {
      return validationError('each input needs id (integer) and active (boolean)');
    }
    const sub = store.subscriptions.get(input.id);
    if (!sub) {
      missing.push(String(input.id));
      continue;
    }
    sub.active = input.active;
    sub.updatedAt = now();
    results.push(subscriptionBody(sub));
  }
  const base = { status: 'COMPLETE', results, startedAt: iso(startedAt), completedAt: iso(now()) };
  if (missing.length === 0) return { status: 200, body: base };
  const errors = [
    {
      status: 'error',
      category: 'SUBSCRIPTION_ID_NOT_FOUND',
      message: `Failed to find subscriptions by id \`${missing.join(', ')}\`. Try again using a different subscriptionId.`,
      context: { subscriptionIds: missing },
      errors: [],
      links: {},
    },
  ];
  return { status: 207, body: { ...base, numErrors: errors.length, errors } };
}
