// Everything one emulator instance holds: the org (replaced on reset/seed), the clock, tokens,
// API usage, faults, statistics and open query cursors.
import type { Clock } from './clock.js';
import type { OrgStore } from './store.js';
import { TokenStore } from './oauth.js';
import type { OAuthConfig } from './oauth.js';
import { ApiUsage } from './limits.js';
import { Faults, Stats } from './faults.js';
import type { PreparedQuery } from './soql/index.js';
import type { SoqlRow } from './soql/catalog.js';
import { makeId } from './ids.js';

export interface Cursor {
  id: string;
  query: PreparedQuery;
  rows: SoqlRow[];
  includeDeleted: boolean;
  batchSize: number;
  lastUsed: number;
}

/** Open query locators; like Salesforce, idle ones expire (15 minutes) and only so many stay open. */
export class Cursors {
  private readonly open = new Map<string, Cursor>();
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly max = 200,
    private readonly idleMs = 15 * 60_000,
  ) {}

  create(c: Omit<Cursor, 'id' | 'lastUsed'>): Cursor {
    const id = makeId('01g', ++this.seq);
    const cursor = { ...c, id, lastUsed: this.clock.now() };
    this.open.set(id, cursor);
    if (this.open.size > this.max) this.open.delete(this.open.keys().next().value!);
    return cursor;
  }

  get(id: string): Cursor | undefined {
    const c = this.open.get(id);
    if (!c) return undefined;
    const now = this.clock.now();
    if (now - c.lastUsed > this.idleMs) {
      this.open.delete(id);
      return undefined;
    }
    c.lastUsed = now;
    return c;
  }

  close(id: string): void {
    this.open.delete(id);
  }

  clear(): void {
    this.open.clear();
  }

  get size(): number {
    return this.open.size;
  }
}

export class EmulatorState {
  readonly tokens: TokenStore;
  readonly usage: ApiUsage;
  readonly faults = new Faults();
  readonly stats = new Stats();
  readonly cursors: Cursors;
  baseUrl = '';

  constructor(
    readonly clock: Clock,
    public store: OrgStore,
    oauth: OAuthConfig,
    dailyApiAllocation: number,
  ) {
    this.tokens = new TokenStore(clock, oauth);
    this.usage = new ApiUsage(clock, dailyApiAllocation);
    this.cursors = new Cursors(clock);
  }

  /** Swaps in a new org (reset/seed). Tokens stay valid: seeded user ids are deterministic. */
  replaceStore(store: OrgStore): void {
    this.store = store;
    this.cursors.clear();
  }

  userByUsername(username: string): string | undefined {
    const lower = username.toLowerCase();
    for (const u of this.store.scan('User', { includeDeleted: false })) {
      if (u.IsActive && typeof u.Username === 'string' && u.Username.toLowerCase() === lower)
        return u.Id as string;
    }
    return undefined;
  }
}
