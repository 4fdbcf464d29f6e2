// Verify's reads: Salesforce and HubSpot afresh, never the state store. HubSpot objects are listed
// page by page (the port has no list call, so the CLI passes one built on the adapter's transport),
// which also finds deals and rollup values that should not be there.
import type { HsObject, HsObjectType } from '../domain/hubspot.js';
import type { HubspotPort } from '../engine/ports/remote.js';

/** Every live object of a type, with these properties, in pages. */
export type ObjectLister = (type: HsObjectType, properties: string[]) => AsyncIterable<HsObject[]>;

interface Transport {
  request(
    method: 'GET',
    path: string,
    body: undefined,
    o: { qs: Record<string, string> },
  ): Promise<{ body: unknown }>;
}

/** A lister over HubSpot's `GET /crm/v3/objects/{type}` paging (100 per page). */
export function transportLister(transport: Transport): ObjectLister {
  return async function* list(type, properties) {
    let after: string | undefined;
    do {
      const res = await transport.request('GET', `/crm/v3/objects/${type}`, undefined, {
        qs: { limit: '100', properties: properties.join(','), ...(after ? { after } : {}) },
      });
      const body = res.body as {
        results?: { id: string; properties?: Record<string, string | null> }[];
        paging?: { next?: { after?: string } };
      };
      yield (body.results ?? []).map((r) => ({ id: String(r.id), properties: r.properties ?? {} }));
      after = body.paging?.next?.after;
    } while (after);
  };
}

/** The lister of an adapter that exposes its transport (src/hubspot's HubspotAdapter). */
export function listerFor(hubspot: HubspotPort): ObjectLister | undefined {
  const t = (hubspot as { transport?: Transport }).transport;
  return t && typeof t.request === 'function' ? transportLister(t) : undefined;
}

export async function listAll(
  list: ObjectLister,
  type: HsObjectType,
  properties: string[],
): Promise<HsObject[]> {
  const out: HsObject[] = [];
  for await (const page of list(type, properties)) out.push(...page);
  return out;
}
