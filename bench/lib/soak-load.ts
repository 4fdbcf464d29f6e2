// The soak's load: Salesforce changing at about `perSecond` changes a second through its public
// REST API, the way users and tools change an org — plain creates (name, stage, close date and one
// contact role: the fewest fields), updates, stage moves, deletes, undeletes, contact roles added
// and removed, accounts changed — and contacts appearing in HubSpot (created through its CRM API).
// Every call retries what the soak's own faults do to it (503s, expired tokens, the spent
// allocation), so a change counts as made only once Salesforce accepted it.
import { prng } from './dataset.js';

const API = '/services/data/v62.0';
const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Proposal/Price Quote',
  'Closed Won',
  'Closed Lost',
];

export interface LoadTargets {
  salesforceUrl: string;
  hubspotUrl: string;
  hubspotToken: string;
  seed: number;
}

export type ChangeKind =
  | 'create'
  | 'update'
  | 'stage'
  | 'delete'
  | 'undelete'
  | 'role_added'
  | 'role_removed'
  | 'account_changed'
  | 'contact_in_hubspot';

const WEIGHTS: [ChangeKind, number][] = [
  ['create', 24],
  ['update', 20],
  ['stage', 14],
  ['delete', 9],
  ['undelete', 4],
  ['role_added', 9],
  ['role_removed', 6],
  ['account_changed', 8],
  ['contact_in_hubspot', 6],
];

interface Opp {
  id: string;
  deleted: boolean;
  roles: { id: string; contactId: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SoakLoad {
  readonly made = new Map<ChangeKind, number>();
  /** Changes given up after every retry (faults that outlasted them). */
  failed = 0;
  /** HubSpot requests the driver itself made, and its 429s: the connector's share excludes them. */
  hubspotRequests = 0;
  hubspot429 = 0;
  private token: string | undefined;
  private readonly random: () => number;
  private readonly opps: Opp[] = [];
  private readonly contacts: { id: string; email: string; inHubspot: boolean }[] = [];
  private readonly accounts: string[] = [];
  private seq = 0;

  constructor(private readonly t: LoadTargets) {
    this.random = prng(t.seed);
  }

  get opportunityIds(): string[] {
    return this.opps.map((o) => o.id);
  }

  private pick<T>(list: T[]): T | undefined {
    return list.length === 0 ? undefined : list[Math.floor(this.random() * list.length)];
  }

  private async login(): Promise<string> {
    const res = await fetch(`${this.t.salesforceUrl}/__emulator/tokens`, { method: 'POST' });
    const j = (await res.json()) as { accessToken: string };
    return j.accessToken;
  }

  /** One Salesforce REST call, retried through the faults (401 → new token; 503, 5xx, limit → wait). */
  async sf(method: string, path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      this.token ??= await this.login();
      const res = await fetch(`${this.t.salesforceUrl}${API}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }).catch(() => undefined);
      const text = res ? await res.text() : '';
      if (res?.ok) return text ? JSON.parse(text) : undefined;
      if (res?.status === 401) this.token = undefined;
      else if (res && res.status < 500 && res.status !== 403)
        throw new Error(`${method} ${path}: ${res.status} ${text}`);
      if (attempt >= 120) throw new Error(`${method} ${path}: gave up (${res?.status ?? 'no answer'})`);
      await sleep(res?.status === 403 ? 1000 : 200);
    }
  }

  async hs(method: string, path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      this.hubspotRequests++;
      const res = await fetch(`${this.t.hubspotUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.t.hubspotToken}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }).catch(() => undefined);
      const text = res ? await res.text() : '';
      if (res?.ok) return text ? JSON.parse(text) : undefined;
      if (res?.status === 429) this.hubspot429++;
      else if (res && res.status < 500) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      if (attempt >= 60) throw new Error(`${method} ${path}: gave up (${res?.status ?? 'no answer'})`);
      await sleep(500);
    }
  }

  private async create(type: string, fields: Record<string, unknown>): Promise<string> {
    return ((await this.sf('POST', `/sobjects/${type}`, fields)) as { id: string }).id;
  }

  /** Accounts and contacts to hang opportunities on; most contacts are in HubSpot from the start. */
  async prepare(accounts: number, contacts: number, inHubspotShare: number): Promise<void> {
    for (let i = 0; i < accounts; i++) {
      this.accounts.push(await this.create('Account', { Name: `Soak account ${i}` }));
    }
    for (let i = 0; i < contacts; i++) await this.newContact(this.random() < inHubspotShare);
  }

  private async newContact(inHubspot: boolean): Promise<void> {
    const email = `soak${this.seq++}@soak.example`;
    const id = await this.create('Contact', { LastName: `Soak ${this.seq}`, Email: email });
    if (inHubspot) await this.hs('POST', '/crm/v3/objects/contacts', { properties: { email } });
    this.contacts.push({ id, email, inHubspot });
  }

  /** One change of a kind drawn by weight; counted when Salesforce (or HubSpot) accepted it. */
  async change(): Promise<void> {
    const total = WEIGHTS.reduce((a, [, w]) => a + w, 0);
    let r = this.random() * total;
    let kind: ChangeKind = 'create';
    for (const [k, w] of WEIGHTS) {
      if ((r -= w) < 0) {
        kind = k;
        break;
      }
    }
    try {
      if (await this.apply(kind)) this.made.set(kind, (this.made.get(kind) ?? 0) + 1);
    } catch {
      this.failed++;
    }
  }

  private live(): Opp[] {
    return this.opps.filter((o) => !o.deleted);
  }

  private async apply(kind: ChangeKind): Promise<boolean> {
    const opp = kind === 'undelete' ? this.pick(this.opps.filter((o) => o.deleted)) : this.pick(this.live());
    if (kind === 'create' || !opp) {
      const contact = this.pick(this.contacts);
      if (!contact) return false;
      const name = `Soak ${this.seq++}`;
      const id = await this.create('Opportunity', {
        Name: name,
        StageName: 'Prospecting',
        CloseDate: `2025-${String(1 + Math.floor(this.random() * 12)).padStart(2, '0')}-15`,
      });
      const role = await this.create('OpportunityContactRole', { OpportunityId: id, ContactId: contact.id });
      this.opps.push({ id, deleted: false, roles: [{ id: role, contactId: contact.id }] });
      return true;
    }
    switch (kind) {
      case 'update':
        await this.sf('PATCH', `/sobjects/Opportunity/${opp.id}`, {
          Amount: Math.round(this.random() * 100_000) / 100,
          Description: `changed ${this.seq++}`,
        });
        return true;
      case 'stage':
        await this.sf('PATCH', `/sobjects/Opportunity/${opp.id}`, { StageName: this.pick(STAGES) });
        return true;
      case 'delete':
        await this.sf('DELETE', `/sobjects/Opportunity/${opp.id}`);
        opp.deleted = true;
        return true;
      case 'undelete': {
        // The REST API has no undelete (SOAP's undelete() and the UI's recycle bin do): the
        // emulator's admin API plays the recycle bin.
        const res = await fetch(`${this.t.salesforceUrl}/__emulator/undelete`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ids: [opp.id] }),
        });
        const j = (await res.json()) as { results: { success: boolean }[] };
        if (!j.results[0]?.success) return false;
        opp.deleted = false;
        return true;
      }
      case 'role_added': {
        const contact = this.pick(this.contacts.filter((c) => !opp.roles.some((r) => r.contactId === c.id)));
        if (!contact) return false;
        const id = await this.create('OpportunityContactRole', {
          OpportunityId: opp.id,
          ContactId: contact.id,
        });
        opp.roles.push({ id, contactId: contact.id });
        return true;
      }
      case 'role_removed': {
        if (opp.roles.length < 2) return false;
        const role = opp.roles.pop()!;
        await this.sf('DELETE', `/sobjects/OpportunityContactRole/${role.id}`);
        return true;
      }
      case 'account_changed': {
        if (this.random() < 0.5) {
          await this.sf('PATCH', `/sobjects/Opportunity/${opp.id}`, { AccountId: this.pick(this.accounts) });
        } else {
          const acc = this.pick(this.accounts)!;
          await this.sf('PATCH', `/sobjects/Account/${acc}`, { Name: `Soak account renamed ${this.seq++}` });
        }
        return true;
      }
      case 'contact_in_hubspot': {
        const waiting = this.contacts.filter((c) => !c.inHubspot);
        const c = this.pick(waiting);
        if (!c) {
          await this.newContact(false);
          return false;
        }
        await this.hs('POST', '/crm/v3/objects/contacts', { properties: { email: c.email } });
        c.inHubspot = true;
        // A new Salesforce contact that will appear in HubSpot later, so there is always one waiting.
        await this.newContact(false);
        return true;
      }
      default:
        return false;
    }
  }

  /** Runs changes at `perSecond` (up to `concurrency` in flight) until the signal aborts. */
  async run(perSecond: number, signal: AbortSignal, concurrency = 6): Promise<void> {
    const gap = 1000 / perSecond;
    const inFlight = new Set<Promise<void>>();
    let next = Date.now();
    while (!signal.aborted) {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      const p = this.change().finally(() => inFlight.delete(p));
      inFlight.add(p);
      next += gap;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      else next = Date.now(); // behind: do not burst to catch up
    }
    await Promise.all(inFlight);
  }

  totalMade(): number {
    return [...this.made.values()].reduce((a, b) => a + b, 0);
  }
}
