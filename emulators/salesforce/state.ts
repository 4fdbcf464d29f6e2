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
import { ChangeEventBus } from './streaming/change-events.js';
import { StreamingServer } from './streaming/bayeux.js';

export interface Cursor {
  id: string;
  query: PreparedQuery;
  rows: SoqlRow[];
  includeDeleted: boolean;
  batchSize: number;
  /** Creation time on the emulator clock. */
  lastUsed: number;
}

/**
 * Open query locators. Since API 56.0 Salesforce keeps cursors for 2 days with no limit on how
 * many are open (it used to be 10 per user and 15 idle minutes). The emulator keeps them 2 days on
 * its clock and, to bound memory, releases the oldest once open cursors hold more than `maxRows`
 * rows in total; a released or expired locator is INVALID_QUERY_LOCATOR.
 */
export class Cursors {
  private readonly open = new Map<string, Cursor>();
  private seq = 0;
  private rows = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxRows = 20_000_000,
    private readonly lifetimeMs = 2 * 86_400_000,
  ) {}

  create(c: Omit<Cursor, 'id' | 'lastUsed'>): Cursor {
    const id = makeId('01g', ++this.seq);
    const cursor = { ...c, id, lastUsed: this.clock.now() };
    this.open.set(id, cursor);
    this.rows += cursor.rows.length;
    for (const oldId of [...this.open.keys()]) {
      if (this.rows <= this.maxRows || oldId === id) break;
      this.close(oldId);
    }
    return cursor;
  }

  get(id: string): Cursor | undefined {
    const c = this.open.get(id);
    if (!c) return undefined;
    const now = this.clock.now();
    // `lastUsed` starts as the creation time and is not moved: the lifetime counts from creation.
    if (now - c.lastUsed > this.lifetimeMs) {
      this.close(id);
      return undefined;
    }
    return c;
  }

  close(id: string): void {
    const c = this.open.get(id);
    if (!c) return;
    this.rows -= c.rows.length;
    this.open.delete(id);
  }

  clear(): void {
    this.open.clear();
    this.rows = 0;
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
  /** Change Data Capture: the event bus and the CometD endpoint that delivers it. */
  readonly events: ChangeEventBus;
  readonly streaming: StreamingServer;
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
    this.events = new ChangeEventBus(clock, () => this.store);
    store.changeSink = (c) => this.events.record(c);
    this.streaming = new StreamingServer(this);
  }

  /** Swaps in a new org (reset/seed). Tokens stay valid: seeded user ids are deterministic. */
  replaceStore(store: OrgStore): void {
    this.store.changeSink = undefined;
    this.store = store;
    store.changeSink = (c) => this.events.record(c);
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
