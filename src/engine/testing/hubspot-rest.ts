// A few HubSpot CRM calls for end-to-end tests: look at the portal the way a user would (through
// the public API), independent of the connector's adapter.
export interface RestObject {
  id: string;
  properties: Record<string, string | null>;
  archived?: boolean;
}

export class HubspotRest {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      // Tests share the portal's rate limit with the connector: wait it out rather than fail.
      if (res.status === 429 && attempt < 20) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    }
  }

  async createContact(email: string, properties: Record<string, string> = {}): Promise<string> {
    const r = (await this.call('POST', '/crm/v3/objects/contacts', {
      properties: { email, ...properties },
    })) as RestObject;
    return r.id;
  }

  async get(type: string, id: string, properties: string[]): Promise<RestObject | undefined> {
    try {
      return (await this.call(
        'GET',
        `/crm/v3/objects/${type}/${id}?properties=${properties.join(',')}`,
      )) as RestObject;
    } catch (err) {
      if (String(err).includes(': 404')) return undefined;
      throw err;
    }
  }

  /** The live deal of an opportunity, by the unique salesforce_opportunity_id. */
  async dealOf(oppId: string, properties: string[] = []): Promise<RestObject | undefined> {
    const r = (await this.call('POST', '/crm/v3/objects/deals/batch/read', {
      idProperty: 'salesforce_opportunity_id',
      inputs: [{ id: oppId }],
      properties: ['dealname', 'salesforce_opportunity_id', ...properties],
    })) as { results: RestObject[] };
    return r.results[0];
  }

  /** Every live deal (paged list). */
  async allDeals(): Promise<RestObject[]> {
    const out: RestObject[] = [];
    let after: string | undefined;
    do {
      const r = (await this.call(
        'GET',
        `/crm/v3/objects/deals?limit=100&properties=salesforce_opportunity_id${after ? `&after=${after}` : ''}`,
      )) as { results: RestObject[]; paging?: { next?: { after: string } } };
      out.push(...r.results);
      after = r.paging?.next?.after;
    } while (after);
    return out;
  }

  async associated(dealId: string, toType: 'contacts' | 'companies'): Promise<string[]> {
    const r = (await this.call('GET', `/crm/v4/objects/deals/${dealId}/associations/${toType}`)) as {
      results: { toObjectId: string | number }[];
    };
    return r.results.map((x) => String(x.toObjectId)).sort();
  }
}
