// Finding an opportunity by name for the Records page. The StateStore interface has no name
// search (the sync never needs one), so this reads the store's mirror table directly through a
// second, read-only Kysely connection on the same database URL — both backends, same schema.
// A store that offers `searchOpportunities` itself (asked of the store's owner) is used instead.
// By-id lookups go through the StateStore interface and work everywhere.
import { sql, type Kysely } from 'kysely';
import type { OpportunityMirror, StateStore } from '../../engine/ports/store.js';
import type { Backend } from '../../store/backend.js';
import { parseStoreLocation } from '../../store/location.js';
import type { Database } from '../../store/schema.js';

export interface OpportunityHit {
  id: string;
  name: string;
  amount: string | null;
  closeDate: string | null;
  isDeleted: boolean;
  inScope: boolean;
}

type Searching = StateStore & {
  searchOpportunities?: (q: string, limit: number) => Promise<OpportunityMirror[]>;
};
type MemoryLike = StateStore & { data?: { opps?: Map<string, OpportunityMirror> } };

const toHit = (m: OpportunityMirror): OpportunityHit => ({
  id: m.id,
  name: m.name,
  amount: m.amount,
  closeDate: m.closeDate,
  isDeleted: m.isDeleted,
  inScope: m.inScope,
});

/** Salesforce ids: 15 or 18 alphanumerics. */
export const looksLikeId = (q: string): boolean => /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(q);

export class OpportunitySearch {
  private backend: Promise<Backend | null> | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly databaseUrl: string,
  ) {}

  async search(query: string, limit = 25): Promise<OpportunityHit[]> {
    const q = query.trim();
    if (q === '') return [];
    const hits = new Map<string, OpportunityHit>();
    if (looksLikeId(q)) {
      for (const m of (await this.store.getOpportunities([q])).values()) hits.set(m.id, toHit(m));
      const byDeal = this.store as StateStore & {
        dealLinksByDealIds?: (ids: string[]) => Promise<Map<string, { opportunityId: string }>>;
      };
      if (byDeal.dealLinksByDealIds) {
        const links = await byDeal.dealLinksByDealIds([q]);
        const ids = [...links.values()].map((l) => l.opportunityId);
        for (const m of (await this.store.getOpportunities(ids)).values()) hits.set(m.id, toHit(m));
      }
    }
    if (/^\d+$/.test(q) && hits.size === 0) {
      // A HubSpot deal id without the store's reverse lookup: nothing more to try cheaply.
    }
    for (const m of await this.byName(q, limit)) if (!hits.has(m.id)) hits.set(m.id, toHit(m));
    return [...hits.values()].slice(0, limit);
  }

  private async byName(q: string, limit: number): Promise<OpportunityMirror[]> {
    const s = this.store as Searching;
    if (s.searchOpportunities) return s.searchOpportunities(q, limit);
    const mem = (this.store as MemoryLike).data?.opps;
    if (mem instanceof Map) {
      const needle = q.toLowerCase();
      return [...mem.values()].filter((m) => m.name.toLowerCase().includes(needle)).slice(0, limit);
    }
    const backend = await this.openBackend();
    if (!backend) return [];
    const db = backend.db as Kysely<Database>;
    const needle = q.toLowerCase();
    // A substring test rather than LIKE: the user's % and _ are plain characters.
    const contains =
      backend.dialect === 'postgres'
        ? sql<boolean>`strpos(lower(name), ${needle}) > 0`
        : sql<boolean>`instr(lower(name), ${needle}) > 0`;
    const rows = await db
      .selectFrom('opportunities')
      .selectAll()
      .where(contains)
      .orderBy('name')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      accountId: r.account_id,
      amount: r.amount,
      currencyIsoCode: r.currency_iso_code,
      closeDate: r.close_date,
      createdDate: r.created_date,
      isClosed: Boolean(r.is_closed),
      isWon: Boolean(r.is_won),
      isDeleted: Boolean(r.is_deleted),
      inScope: Boolean(r.in_scope),
      systemModstamp: r.system_modstamp,
    }));
  }

  private openBackend(): Promise<Backend | null> {
    this.backend ??= (async () => {
      let location;
      try {
        location = parseStoreLocation(this.databaseUrl);
      } catch {
        return null;
      }
      if (location.target === ':memory:') return null;
      if (location.dialect === 'postgres') {
        const { openPostgresBackend } = await import('../../store/postgres/backend.js');
        return openPostgresBackend(location.target);
      }
      const { openSqliteBackend } = await import('../../store/sqlite/backend.js');
      return openSqliteBackend(location.target);
    })();
    return this.backend;
  }

  async close(): Promise<void> {
    const b = await this.backend?.catch(() => null);
    await b?.close();
  }
}
