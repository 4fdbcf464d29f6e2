// HubSpot webhooks for the emulated portal: the v3 management API, subscriptions, and signed,
// batched, retried deliveries of the portal's CRM events. The portal core routes `/webhooks/v3/`
// and `/__emulator/webhooks` requests to `handle` and reports every CRM change to `publish`.
import { handleAdmin, type AdminContext } from './admin-api.js';
import { Deliverer, type DeliveryOptions } from './delivery.js';
import { handleManagement } from './management-api.js';
import { DEFAULT_TIMEOUT_MS } from './retry-schedule.js';
import { WebhookStore, type AppConfig } from './store.js';
import type { PortalEvent, WebhookPayloadEvent, WebhookRequest, WebhookResponse } from './types.js';

export type { PortalEvent, WebhookRequest, WebhookResponse, WebhookPayloadEvent } from './types.js';
export { signV1, signV2, signV3, signedUri } from './signature.js';

export const DEFAULT_APP: Readonly<AppConfig> = {
  appId: 1160452,
  clientSecret: 'sandbox-client-secret',
  developerApiKey: 'sandbox-developer-key',
};

export interface WebhooksOptions {
  portalId: number;
  now: () => number;
  app?: Partial<AppConfig>;
  delivery?: Partial<Omit<DeliveryOptions, 'now' | 'retry'>> & {
    delayFactor?: number;
    jitter?: number;
    random?: () => number;
  };
}

export interface Webhooks {
  handle(req: WebhookRequest): Promise<WebhookResponse> | undefined;
  publish(e: PortalEvent): void;
  /** Whether `publish` can deliver anything (a target URL and at least one subscription). */
  listening(): boolean;
  /** Forget settings, subscriptions, queued notifications and the delivery log. */
  reset(): void;
  close(): Promise<void>;
}

export function createWebhooks(opts: WebhooksOptions): Webhooks {
  const { portalId, now } = opts;
  const store = new WebhookStore({ ...DEFAULT_APP, ...opts.app });
  const d = opts.delivery ?? {};
  const deliverer = new Deliverer(
    {
      now,
      maxBatchSize: d.maxBatchSize ?? 100,
      timeoutMs: d.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      batchDelayMs: d.batchDelayMs ?? 20,
      pollMs: d.pollMs ?? 200,
      retry: { delayFactor: d.delayFactor ?? 1, jitter: d.jitter ?? 0.1, random: d.random ?? Math.random },
    },
    () =>
      store.settings
        ? {
            url: store.settings.targetUrl,
            clientSecret: store.app.clientSecret,
            maxConcurrentRequests: store.settings.maxConcurrentRequests,
          }
        : undefined,
  );
  // Event ids are unique per portal; a random base keeps them from looking like object ids.
  let nextEventId = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const admin: AdminContext = {
    store,
    deliverer,
    now,
    resetAll: () => {
      store.reset();
      deliverer.reset();
    },
  };

  return {
    handle(req) {
      if (req.path.startsWith('/webhooks/v3/')) {
        const res = handleManagement(store, req, now, () => void deliverer.flush(false));
        return res ? Promise.resolve(res) : undefined;
      }
      if (req.path === '/__emulator/webhooks' || req.path.startsWith('/__emulator/webhooks/')) {
        return handleAdmin(admin, req).then(
          (res) =>
            res ?? {
              status: 404,
              body: { status: 'error', message: `No admin route ${req.method} ${req.path}` },
            },
        );
      }
      return undefined;
    },

    publish(e) {
      // HubSpot only sends to an app that has a target URL; events before that are not kept.
      if (!store.settings) return;
      const subscriptionType = `${e.objectType}.${e.kind}`;
      for (const sub of store.matching(subscriptionType, e.propertyName)) {
        const event: Omit<WebhookPayloadEvent, 'attemptNumber'> = {
          eventId: nextEventId++,
          subscriptionId: sub.id,
          portalId,
          appId: store.app.appId,
          occurredAt: e.occurredAt,
          subscriptionType,
          objectId: Number(e.objectId),
          changeSource: e.changeSource,
        };
        if (e.kind === 'creation') event.changeFlag = 'NEW';
        if (e.kind === 'deletion') event.changeFlag = 'DELETED';
        if (e.kind === 'propertyChange') {
          event.propertyName = e.propertyName ?? '';
          event.propertyValue = e.propertyValue ?? '';
        }
        deliverer.enqueue(event);
      }
    },

    listening: () => store.settings !== undefined && store.subscriptions.size > 0,

    reset: () => admin.resetAll(),

    close: () => deliverer.close(),
  };
}
