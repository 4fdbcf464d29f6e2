// Finding an opportunity for the Records page: by Salesforce id (15 or 18 characters, in any
// case), by HubSpot deal id, or by a substring of its name. Everything is asked of the store's
// ports (the mirror and the deal links): no second connection, no SQL of its own.
import { canonicalSalesforceId } from '../../domain/salesforce-id.js';
import type { LinkStore, MirrorStore, OpportunityMirror } from '../../engine/ports/store.js';

export interface OpportunityHit {
  id: string;
  name: string;
  amount: string | null;
  closeDate: string | null;
  isDeleted: boolean;
  inScope: boolean;
}

export type SearchStore = Pick<MirrorStore, 'getOpportunities' | 'searchOpportunities'> &
  Pick<LinkStore, 'dealLinksByDealIds'>;

const toHit = (m: OpportunityMirror): OpportunityHit => ({
  id: m.id,
  name: m.name,
  amount: m.amount,
  closeDate: m.closeDate,
  isDeleted: m.isDeleted,
  inScope: m.inScope,
});

/** Id matches first (the record asked for), then name matches, each once, at most `limit`. */
export async function searchOpportunities(
  store: SearchStore,
  query: string,
  limit = 25,
): Promise<OpportunityHit[]> {
  const q = query.trim();
  if (q === '') return [];
  const hits = new Map<string, OpportunityHit>();
  const ids: string[] = [];
  const sfId = canonicalSalesforceId(q);
  // As typed too: an id whose suffix is not Salesforce's checksum (hand-made test data) still finds.
  if (sfId !== undefined) ids.push(q, sfId);
  // HubSpot record ids are digits.
  if (/^\d+$/.test(q)) {
    for (const link of (await store.dealLinksByDealIds([q])).values()) ids.push(link.opportunityId);
  }
  if (ids.length > 0) for (const m of (await store.getOpportunities(ids)).values()) hits.set(m.id, toHit(m));
  for (const m of await store.searchOpportunities(q, limit)) if (!hits.has(m.id)) hits.set(m.id, toHit(m));
  return [...hits.values()].slice(0, limit);
}
