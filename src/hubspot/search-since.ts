// Search "everything at or after a time", oldest first, past search's 10,000-result cap: one
// query reaches 10,000 results (paging past them is refused), so at the cap the query starts
// again from the last timestamp seen, the records it read already dropped by id. The time window
// is split where the results fill it, however many records a window holds. Search calls go
// through the transport's search pacer (HubSpot's 4 requests a second for search).
import type { HsObject, HsObjectType } from '../domain/hubspot.js';
import { readAnswer } from './answers.js';
import { objectSchema, pagingSchema } from './schemas.js';
import type { HubspotTransport } from './transport.js';
import { toObject } from './wire.js';

/** Search: 200 results per call at most, 10,000 per query. */
export const SEARCH_PAGE = 200;
export const SEARCH_CAP = 10_000;

export interface SearchSince {
  objectType: HsObjectType;
  /** A datetime property, filtered by epoch milliseconds (GTE) and sorted ascending. */
  property: string;
  since: string;
  properties: string[];
  /** What the answer is called in errors (`search contacts by createdate`). */
  what: string;
}

export async function* searchSince(
  t: Pick<HubspotTransport, 'request'>,
  guard: <T>(what: string, fn: () => Promise<T>) => Promise<T>,
  q: SearchSince,
  cap = SEARCH_CAP,
): AsyncIterable<HsObject[]> {
  let from = Date.parse(q.since);
  let before = new Set<string>();
  const properties = [...new Set([...q.properties, q.property])];
  for (;;) {
    const read = new Set<string>();
    let last = from;
    let after: string | undefined;
    do {
      const body = await guard(q.what, async () => {
        const res = await t.request(
          'POST',
          `/crm/v3/objects/${q.objectType}/search`,
          {
            filterGroups: [{ filters: [{ propertyName: q.property, operator: 'GTE', value: String(from) }] }],
            sorts: [{ propertyName: q.property, direction: 'ASCENDING' }],
            properties,
            limit: SEARCH_PAGE,
            ...(after ? { after } : {}),
          },
          { search: true },
        );
        return res.body as { results?: unknown[]; paging?: unknown };
      });
      const page = readAnswer(q.what, () => (body.results ?? []).map((r) => toObject(objectSchema.parse(r))));
      for (const o of page) {
        read.add(o.id);
        const at = Date.parse(o.properties[q.property] ?? '');
        if (Number.isFinite(at)) last = Math.max(last, at);
      }
      const fresh = page.filter((o) => !before.has(o.id));
      if (fresh.length > 0) yield fresh;
      after = readAnswer(q.what, () => pagingSchema.parse(body.paging))?.next?.after;
      if (after !== undefined && Number(after) + SEARCH_PAGE > cap) after = undefined;
    } while (after);
    // Fewer than the cap: all read. At the cap with no later timestamp: nothing more to reach.
    if (read.size + SEARCH_PAGE <= cap || last === from) return;
    from = last;
    before = read;
  }
}
