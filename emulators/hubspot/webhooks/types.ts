// The contract between the portal core and the webhooks module (the core calls `createWebhooks`).

export interface PortalEvent {
  objectType: 'deal' | 'contact' | 'company';
  kind: 'creation' | 'propertyChange' | 'deletion' | 'restore';
  objectId: string;
  propertyName?: string;
  propertyValue?: string;
  /** ms since epoch, emulator clock */
  occurredAt: number;
  changeSource: string;
}

export interface WebhookRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface WebhookResponse {
  status: number;
  body?: unknown;
}

/** One event object of a delivered JSON array, as HubSpot sends it. */
export interface WebhookPayloadEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  changeFlag?: 'NEW' | 'DELETED';
  propertyName?: string;
  propertyValue?: string;
}
