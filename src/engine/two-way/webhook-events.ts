// HubSpot webhook payloads (a JSON array of events) → what the HubSpot → Salesforce direction
// does with them. Subscriptions taken: `deal.creation`, `deal.propertyChange`, `deal.deletion`,
// `deal.associationChange` (HubSpot's changelog "New subscription types for Webhooks": an
// association added or removed between a deal and a contact, company, ticket, line item or
// product), and the generic `object.*` form of the same with objectTypeId `0-3` (deals).
import { z } from 'zod';

const eventSchema = z
  .object({
    subscriptionType: z.string(),
    objectId: z.union([z.number(), z.string()]).optional(),
    objectTypeId: z.string().optional(),
    fromObjectId: z.union([z.number(), z.string()]).optional(),
    propertyName: z.string().optional(),
  })
  .passthrough();

export const webhookPayloadSchema = z.array(eventSchema);

export type DealEventKind = 'creation' | 'propertyChange' | 'deletion' | 'associationChange';
const KINDS: ReadonlySet<string> = new Set(['creation', 'propertyChange', 'deletion', 'associationChange']);

export interface DealEvent {
  kind: DealEventKind;
  dealId: string;
  propertyName?: string;
}

/** The deal events of a payload; other objects' events and other kinds are dropped. */
export function dealEvents(payload: z.infer<typeof webhookPayloadSchema>): DealEvent[] {
  const out: DealEvent[] = [];
  for (const e of payload) {
    const [object, kind] = e.subscriptionType.split('.');
    const isDeal = object === 'deal' || (object === 'object' && e.objectTypeId === '0-3');
    if (!isDeal || kind === undefined || !KINDS.has(kind)) continue;
    const id = kind === 'associationChange' ? (e.fromObjectId ?? e.objectId) : e.objectId;
    if (id === undefined || String(id) === '') continue;
    out.push({
      kind: kind as DealEventKind,
      dealId: String(id),
      ...(e.propertyName !== undefined ? { propertyName: e.propertyName } : {}),
    });
  }
  return out;
}
