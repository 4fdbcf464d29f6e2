// Verify's reads: Salesforce and HubSpot afresh, never the state store. HubSpot objects are listed
// page by page (the port's listObjects), which also finds deals and rollup values that should not be there.
import type { HsObject, HsObjectType } from '../domain/hubspot.js';
import type { HubspotPort } from '../engine/ports/remote.js';

/** Every live object of a type, with these properties, in pages. */
export type ObjectLister = (type: HsObjectType, properties: string[]) => AsyncIterable<HsObject[]>;

/** The lister over the port's own paging (`listObjects`). */
export function listerFor(hubspot: HubspotPort): ObjectLister {
  return (type, properties) => hubspot.listObjects(type, properties);
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
