// The app's webhook settings and subscriptions (one app per emulated portal). Validation follows
// the webhooks v3 spec (`SettingsChangeRequest`, `SubscriptionCreateRequest`) and the Webhooks
// API guide: new subscriptions are paused unless `active: true`; property-change subscriptions
// need a `propertyName`, and `num_unique_conversion_events` / `hs_lastmodifieddate` are not
// available; at most 1,000 subscriptions per app.

export const MAX_SUBSCRIPTIONS = 1000;
export const UNAVAILABLE_PROPERTIES: ReadonlySet<string> = new Set([
  'num_unique_conversion_events',
  'hs_lastmodifieddate',
]);

export interface AppConfig {
  appId: number;
  clientSecret: string;
  developerApiKey: string;
}

export interface Settings {
  targetUrl: string;
  maxConcurrentRequests: number;
  period?: string;
  createdAt: number;
  updatedAt: number;
}

export interface Subscription {
  id: number;
  eventType: string;
  propertyName?: string;
  objectTypeId?: string;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export class WebhookStore {
  app: AppConfig;
  settings: Settings | undefined;
  readonly subscriptions = new Map<number, Subscription>();
  private nextSubscriptionId = 1;

  constructor(app: AppConfig) {
    this.app = { ...app };
  }

  reset(): void {
    this.settings = undefined;
    this.subscriptions.clear();
    this.nextSubscriptionId = 1;
  }

  putSettings(
    targetUrl: string,
    maxConcurrentRequests: number,
    period: string | undefined,
    at: number,
  ): Settings {
    const createdAt = this.settings?.createdAt ?? at;
    this.settings = { targetUrl, maxConcurrentRequests, createdAt, updatedAt: at };
    if (period !== undefined) this.settings.period = period;
    return this.settings;
  }

  addSubscription(
    input: { eventType: string; propertyName?: string; objectTypeId?: string; active?: boolean },
    at: number,
  ): Subscription {
    const sub: Subscription = {
      id: this.nextSubscriptionId++,
      eventType: input.eventType,
      active: input.active ?? false,
      createdAt: at,
      updatedAt: at,
    };
    if (input.propertyName !== undefined) sub.propertyName = input.propertyName;
    if (input.objectTypeId !== undefined) sub.objectTypeId = input.objectTypeId;
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  /** Active subscriptions an event of `eventType` (and property) triggers. */
  matching(eventType: string, propertyName: string | undefined): Subscription[] {
    const out: Subscription[] = [];
    for (const sub of this.subscriptions.values()) {
      if (!sub.active || sub.eventType !== eventType) continue;
      if (eventType.endsWith('.propertyChange') && sub.propertyName !== propertyName) continue;
      out.push(sub);
    }
    return out;
  }
}

/** Why a subscription request is invalid, or undefined when it is fine. */
export function subscriptionProblem(
  store: WebhookStore,
  eventType: unknown,
  propertyName: unknown,
  active: unknown,
): string | undefined {
  if (typeof eventType !== 'string' || !/^[a-z_]+\.[A-Za-z]+$/.test(eventType)) {
    return 'eventType is required and must be a subscription type such as "deal.creation"';
  }
  if (active !== undefined && typeof active !== 'boolean') return 'active must be a boolean';
  if (propertyName !== undefined && typeof propertyName !== 'string') return 'propertyName must be a string';
  const isPropertyChange = eventType.endsWith('.propertyChange');
  if (isPropertyChange && !propertyName) return `propertyName is required for ${eventType} subscriptions`;
  if (!isPropertyChange && propertyName)
    return `propertyName is only allowed on propertyChange subscriptions`;
  if (typeof propertyName === 'string' && UNAVAILABLE_PROPERTIES.has(propertyName)) {
    return `${propertyName} is not available for property change subscriptions`;
  }
  if (!EVENT_TYPES.has(eventType)) return `Unknown subscription type ${eventType}`;
  for (const sub of store.subscriptions.values()) {
    if (sub.eventType === eventType && sub.propertyName === propertyName) {
      return `A subscription for ${eventType}${propertyName ? ` (${propertyName})` : ''} already exists (id ${sub.id})`;
    }
  }
  return undefined;
}

// The subscription types HubSpot's webhooks v3 API accepts (its `eventType` enum). The portal
// only emits contact/company/deal events; the rest are accepted and stay silent.
const CRM_KINDS = ['associationChange', 'creation', 'deletion', 'merge', 'propertyChange', 'restore'];
export const EVENT_TYPES: ReadonlySet<string> = new Set([
  ...['contact', 'company', 'deal', 'ticket', 'line_item', 'object'].flatMap((o) =>
    CRM_KINDS.map((k) => `${o}.${k}`),
  ),
  ...['creation', 'deletion', 'merge', 'propertyChange', 'restore'].map((k) => `product.${k}`),
  'contact.privacyDeletion',
  ...['creation', 'deletion', 'newMessage', 'privacyDeletion', 'propertyChange'].map(
    (k) => `conversation.${k}`,
  ),
  'event.completed',
]);

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function subscriptionBody(sub: Subscription): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: String(sub.id),
    eventType: sub.eventType,
    active: sub.active,
    createdAt: iso(sub.createdAt),
    updatedAt: iso(sub.updatedAt),
  };
  if (sub.propertyName !== undefined) body.propertyName = sub.propertyName;
  if (sub.objectTypeId !== undefined) body.objectTypeId = sub.objectTypeId;
  return body;
}

export function settingsBody(s: Settings): Record<string, unknown> {
  const throttling: Record<string, unknown> = { maxConcurrentRequests: s.maxConcurrentRequests };
  if (s.period !== undefined) throttling.period = s.period;
  return { targetUrl: s.targetUrl, throttling, createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) };
}
