// HubSpot's one paging scheme (`paging.next.after`), for GET listings, searches and a record's
// association pages alike: one loop, so every listing stops the same way on the last page.
import { pagingSchema } from './schemas.js';
import type { HubspotTransport } from './transport.js';

type PageAsker = (after: string | undefined) => Promise<unknown>;

/** The `results` of each page in turn; `page(after)` asks for one, `from` starts part-way. */
export async function* pages(page: PageAsker, from?: string): AsyncIterable<unknown[]> {
  let after = from;
  do {
    const body = (await page(after)) as { results?: unknown[]; paging?: unknown };
    yield body.results ?? [];
    after = pagingSchema.parse(body.paging)?.next?.after;
  } while (after);
}

/** Every result of a listing, each mapped by `item`. */
export async function listAll<T>(page: PageAsker, item: (raw: unknown) => T, from?: string): Promise<T[]> {
  const out: T[] = [];
  for await (const results of pages(page, from)) for (const r of results) out.push(item(r));
  return out;
}

/** The page asker of a GET listing, `after` in its query string. */
export const getPageOf =
  (t: HubspotTransport) =>
  (path: string, qs: Record<string, string> = {}) =>
  async (after: string | undefined) =>
    (await t.request('GET', path, undefined, { qs: { ...qs, ...(after ? { after } : {}) } })).body;
