// Salesforce returns a query's rows in pages: `done: false` and a `nextRecordsUrl` (queryMore)
// for the rest. A child relationship's subquery (an opportunity's OpportunityContactRoles) pages
// the same way inside its parent row. One walker for both, with one guard: a page that says
// `done: false` without a next URL is refused, because the rows after it would silently be missing.
import { DealbridgeError } from '../errors/index.js';
import { queryPageSchema } from './schemas.js';

/** A page as Salesforce describes it: a query's, or a child relationship's inside a row. */
export interface PageInfo {
  done?: boolean;
  nextRecordsUrl?: string;
}

/** The URL of the page after `page`, or undefined when `page` is the last one. */
export function nextPageUrl(page: PageInfo, what: string): string | undefined {
  if (page.done !== false) return undefined;
  if (!page.nextRecordsUrl)
    throw new DealbridgeError(
      'SALESFORCE_QUERY_FAILED',
      `${what}: a page has done:false but no nextRecordsUrl, so the rest of its rows cannot be read`,
    );
  return page.nextRecordsUrl;
}

/** Each page's records from `url` on (nothing when `url` is undefined), one page held at a time. */
export async function* followPages(
  get: (url: string) => Promise<unknown>,
  url: string | undefined,
  what: string,
): AsyncGenerator<Record<string, unknown>[]> {
  let next = url;
  while (next !== undefined) {
    const page = queryPageSchema.parse(await get(next));
    yield page.records;
    next = nextPageUrl(page, what);
  }
}

/** The same, when the first page has already been read (FirstPages: several feeds in one call). */
export async function* followPagesFrom(
  first: unknown,
  get: (url: string) => Promise<unknown>,
  what: string,
): AsyncGenerator<Record<string, unknown>[]> {
  const page = queryPageSchema.parse(first);
  yield page.records;
  yield* followPages(get, nextPageUrl(page, what), what);
}
