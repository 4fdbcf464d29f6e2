// The first pages of several queries in ONE call: a composite request (POST /composite, up to 5
// query subrequests) counts as a single call toward the org's API allocation (REST API Developer
// Guide, "Send Multiple Requests Using Composite"). A sync pass reads its change feeds this way
// (the opportunity, contact-role and account feeds), so a pass that finds nothing new costs one
// call instead of one per feed; with Change Data Capture live, that pass is the whole REST cost.
//
// A subrequest that failed leaves its query to be read the normal way, with the normal retries and
// coded errors; a composite call that failed fails the pass as the feeds' own reads would. A page
// is handed out once, and only within `maxAgeMs` of its reading.
import type { SalesforceClient } from './client.js';
import { queryPageSchema } from './schemas.js';
import { DealbridgeError } from '../errors/index.js';

/** At most 5 of a composite request's subrequests may be queries. */
export const MAX_QUERIES_PER_COMPOSITE = 5;

interface Held {
  page: unknown;
  at: number;
}

export class FirstPages {
  private held = new Map<string, Held>();
  private unavailable = false;

  constructor(
    private readonly client: SalesforceClient,
    private readonly compositeUrl: string,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = 60_000,
  ) {}

  /**
   * Reads the first page of each query url (`/services/data/vXX.X/queryAll?q=…`) with these
   * headers, in one call. Earlier pages not taken are dropped: they were read for another pass.
   */
  async read(urls: string[], headers: Record<string, string>): Promise<void> {
    this.held.clear();
    const unique = [...new Set(urls)].slice(0, MAX_QUERIES_PER_COMPOSITE);
    if (this.unavailable || unique.length < 2) return; // one query is one call either way
    let data: unknown;
    try {
      const res = await this.client.request('POST', this.compositeUrl, {
        allOrNone: false,
        compositeRequest: unique.map((url, i) => ({
          method: 'GET',
          url,
          referenceId: `feed${i}`,
          httpHeaders: headers,
        })),
      });
      data = res.data;
    } catch (err) {
      // Where the instance has no /composite (a proxy that refuses it), each feed reads its own
      // first page from now on. Any other failure, after the client's retries, is what the feeds'
      // own reads would meet too: the pass stops with its code, as it would without this call.
      if (!notOffered(err)) throw err;
      this.unavailable = true;
      return;
    }
    const results = (data as { compositeResponse?: unknown } | undefined)?.compositeResponse;
    if (!Array.isArray(results)) return;
    const at = this.now();
    for (const r of results as { referenceId?: unknown; httpStatusCode?: unknown; body?: unknown }[]) {
      const i = typeof r.referenceId === 'string' ? Number(r.referenceId.slice(4)) : NaN;
      const url = unique[i];
      // Numbers arrive as text: the body is read as money is, digit for digit (client.ts).
      if (url === undefined || Number(r.httpStatusCode) !== 200) continue;
      // A page that does not parse is left to the feed's own read, which reports it with its code.
      if (!queryPageSchema.safeParse(r.body).success) continue;
      this.held.set(url, { page: r.body, at });
    }
  }

  /** The page read for `url`, once, if it is fresh. */
  take(url: string): unknown {
    const h = this.held.get(url);
    if (!h) return undefined;
    this.held.delete(url);
    return this.now() - h.at <= this.maxAgeMs ? h.page : undefined;
  }
}

/** 404/405 for /composite itself: the instance (or a proxy before it) does not offer it. */
function notOffered(err: unknown): boolean {
  return (
    err instanceof DealbridgeError &&
    err.code === 'SALESFORCE_QUERY_FAILED' &&
    /HTTP 40[45]\b/.test(err.message)
  );
}
