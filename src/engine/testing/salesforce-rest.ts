// A few Salesforce REST calls for end-to-end tests: change the org the way a user would (create,
// update, delete records through the public API), independent of the connector's adapter.
export class SalesforceRest {
  private accessToken: string | undefined;

  /** `login` issues a fresh access token (tests expire tokens on purpose). */
  constructor(
    private readonly instanceUrl: string,
    private readonly login: () => Promise<string>,
    private readonly version = '62.0',
  ) {}

  private async call(method: string, path: string, body?: unknown, retried = false): Promise<unknown> {
    this.accessToken ??= await this.login();
    const res = await fetch(`${this.instanceUrl}/services/data/v${this.version}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.accessToken}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status === 401 && !retried) {
      this.accessToken = undefined;
      return this.call(method, path, body, true);
    }
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  async create(type: string, fields: Record<string, unknown>): Promise<string> {
    const r = (await this.call('POST', `/sobjects/${type}`, fields)) as { id: string };
    return r.id;
  }
  async update(type: string, id: string, fields: Record<string, unknown>): Promise<void> {
    await this.call('PATCH', `/sobjects/${type}/${id}`, fields);
  }
  async delete(type: string, id: string): Promise<void> {
    await this.call('DELETE', `/sobjects/${type}/${id}`);
  }
  async query<T = Record<string, unknown>>(soql: string): Promise<T[]> {
    const r = (await this.call('GET', `/query?q=${encodeURIComponent(soql)}`)) as { records: T[] };
    return r.records;
  }
  /** `queryAll`: deleted (recycle bin) and merged records too. */
  async queryAll<T = Record<string, unknown>>(soql: string): Promise<T[]> {
    const r = (await this.call('GET', `/queryAll?q=${encodeURIComponent(soql)}`)) as { records: T[] };
    return r.records;
  }
}
