// An in-memory StateStore for the engine's unit tests: the same contract as src/store, no SQL.
// Transactions snapshot the maps and roll back on a throw, so crash-style tests see real atomicity.
import type { ChangeCursor, IsoDateTime, SfAccount, SfContactRole } from '../../domain/salesforce.js';
import type {
  AuditEntry,
  DealLink,
  ImportRun,
  OpportunityMirror,
  PassSummary,
  RecordLink,
  Side,
  StateStore,
  SyncErrorRecord,
} from '../ports/store.js';
import type { ErrorFilter } from '../ports/store/errors.js';
import type { Severity } from '../../errors/index.js';

interface Data {
  settings: Map<string, unknown>;
  cursors: Map<string, ChangeCursor & { updatedAt: IsoDateTime }>;
  deals: Map<string, DealLink>;
  contacts: Map<string, RecordLink>;
  companies: Map<string, RecordLink>;
  opps: Map<string, OpportunityMirror>;
  roles: Map<string, SfContactRole>;
  accounts: Map<string, SfAccount>;
  errors: Map<string, SyncErrorRecord>;
  audit: AuditEntry[];
  calls: { side: Side; count: number; at: IsoDateTime }[];
  passes: PassSummary[];
  runs: Map<string, ImportRun>;
}

function empty(): Data {
  return {
    settings: new Map(),
    cursors: new Map(),
    deals: new Map(),
    contacts: new Map(),
    companies: new Map(),
    opps: new Map(),
    roles: new Map(),
    accounts: new Map(),
    errors: new Map(),
    audit: [],
    calls: [],
    passes: [],
    runs: new Map(),
  };
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

export class MemoryStore implements StateStore {
  data: Data = empty();
  private depth = 0;

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn();
    const snapshot = clone(this.data);
    this.depth++;
    try {
      return await fn();
    } catch (err) {
      this.data = snapshot;
      throw err;
    } finally {
      this.depth--;
    }
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return clone(this.data.settings.get(key)) as T | undefined;
  }
  async setSetting(key: string, value: unknown): Promise<void> {
    this.data.settings.set(key, clone(value));
  }
  async listSettings(): Promise<Record<string, unknown>> {
    return Object.fromEntries([...this.data.settings].sort(([a], [b]) => compare(a, b)).map(clone));
  }
  async getCursor(name: string): Promise<ChangeCursor | undefined> {
    const c = this.data.cursors.get(name);
    return c === undefined ? undefined : { modstamp: c.modstamp, id: c.id };
  }
  async setCursor(name: string, cursor: ChangeCursor): Promise<void> {
    this.data.cursors.set(name, {
      modstamp: cursor.modstamp,
      id: cursor.id,
      updatedAt: new Date().toISOString(),
    });
  }
  async listCursors(): Promise<Map<string, ChangeCursor & { updatedAt: IsoDateTime }>> {
    return new Map([...this.data.cursors].sort(([a], [b]) => compare(a, b)).map(clone));
  }
  async deleteCursor(name: string): Promise<void> {
    this.data.cursors.delete(name);
  }

  async getDealLinks(ids: string[]): Promise<Map<string, DealLink>> {
    return pick(this.data.deals, ids);
  }
  async saveDealLinks(links: DealLink[]): Promise<void> {
    for (const l of links) this.data.deals.set(l.opportunityId, clone(l));
  }
  async liveDealOpportunityIds(afterId: string | null, limit: number): Promise<string[]> {
    return [...this.data.deals.values()]
      .filter((l) => l.dealId !== null && !l.archived && (afterId === null || l.opportunityId > afterId))
      .map((l) => l.opportunityId)
      .sort()
      .slice(0, limit);
  }
  async dealLinksByDealIds(dealIds: string[]): Promise<Map<string, DealLink>> {
    const wanted = new Set(dealIds);
    const out = new Map<string, DealLink>();
    for (const l of this.data.deals.values())
      if (l.dealId !== null && wanted.has(l.dealId)) out.set(l.dealId, clone(l));
    return out;
  }
  async getContactLinks(ids: string[]): Promise<Map<string, RecordLink>> {
    return pick(this.data.contacts, ids);
  }
  async saveContactLinks(links: RecordLink[]): Promise<void> {
    for (const l of links) this.data.contacts.set(l.salesforceId, clone(l));
  }
  async contactLinksToHubspot(hubspotIds: string[]): Promise<RecordLink[]> {
    const set = new Set(hubspotIds);
    return [...this.data.contacts.values()].filter((l) => set.has(l.hubspotId)).map(clone);
  }
  async dropContactLinks(ids: string[]): Promise<void> {
    for (const id of ids) this.data.contacts.delete(id);
  }
  async saveContactStages(stages: { hubspotId: string; value: string | null; readAt: string }[]) {
    const byHubspot = new Map(stages.map((s) => [s.hubspotId, { value: s.value, readAt: s.readAt }]));
    for (const link of this.data.contacts.values()) {
      const stage = byHubspot.get(link.hubspotId);
      if (stage) link.stage = { ...stage };
    }
  }
  async getCompanyLinks(ids: string[]): Promise<Map<string, RecordLink>> {
    return pick(this.data.companies, ids);
  }
  async saveCompanyLinks(links: RecordLink[]): Promise<void> {
    for (const l of links) this.data.companies.set(l.salesforceId, clone(l));
  }
  async companyLinksToHubspot(hubspotIds: string[]): Promise<RecordLink[]> {
    const set = new Set(hubspotIds);
    return [...this.data.companies.values()].filter((l) => set.has(l.hubspotId)).map(clone);
  }
  async dropCompanyLinks(ids: string[]): Promise<void> {
    for (const id of ids) this.data.companies.delete(id);
  }

  async saveOpportunities(opps: OpportunityMirror[]): Promise<void> {
    for (const o of opps) this.data.opps.set(o.id, clone(o));
  }
  /** Upserts roles by Id (a deleted role is kept with IsDeleted, as src/store does). */
  async saveContactRoles(roles: SfContactRole[]): Promise<void> {
    for (const r of roles) this.data.roles.set(r.Id, clone(r));
  }
  /** Makes `roles` the complete set of roles of these opportunities. */
  async replaceContactRoles(opportunityIds: string[], roles: SfContactRole[]): Promise<void> {
    const oppIds = new Set(opportunityIds);
    for (const [id, r] of this.data.roles) if (oppIds.has(r.OpportunityId)) this.data.roles.delete(id);
    for (const r of roles) this.data.roles.set(r.Id, clone(r));
  }
  async saveAccounts(accounts: SfAccount[]): Promise<void> {
    for (const a of accounts) this.data.accounts.set(a.Id, clone(a));
  }
  async getAccounts(ids: string[]): Promise<Map<string, SfAccount>> {
    return pick(this.data.accounts, ids);
  }
  private liveRoles(): SfContactRole[] {
    return [...this.data.roles.values()].filter((r) => !r.IsDeleted);
  }
  async opportunityIdsForContacts(contactIds: string[]): Promise<string[]> {
    const set = new Set(contactIds);
    return [
      ...new Set(
        this.liveRoles()
          .filter((r) => set.has(r.ContactId))
          .map((r) => r.OpportunityId),
      ),
    ];
  }
  async contactIdsForOpportunities(oppIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const set = new Set(oppIds);
    for (const r of this.liveRoles()) {
      if (!set.has(r.OpportunityId)) continue;
      const list = out.get(r.OpportunityId) ?? [];
      if (!list.includes(r.ContactId)) list.push(r.ContactId);
      out.set(r.OpportunityId, list);
    }
    return out;
  }
  async contactIdsUpTo(upTo: string, after: string, limit: number): Promise<string[]> {
    const ids = this.liveRoles()
      .filter((r) => r.OpportunityId <= upTo && r.ContactId > after)
      .map((r) => r.ContactId);
    return [...new Set(ids)].sort(compare).slice(0, limit);
  }
  async accountIdsUpTo(upTo: string, after: string, limit: number): Promise<string[]> {
    const ids = [...this.data.opps.values()]
      .filter((o) => o.id <= upTo && o.accountId !== null && o.accountId > after)
      .map((o) => o.accountId as string);
    return [...new Set(ids)].sort(compare).slice(0, limit);
  }
  async opportunitiesOfContacts(contactIds: string[]): Promise<Map<string, OpportunityMirror[]>> {
    const out = new Map<string, OpportunityMirror[]>();
    for (const c of contactIds) {
      const oppIds = new Set(
        this.liveRoles()
          .filter((r) => r.ContactId === c)
          .map((r) => r.OpportunityId),
      );
      out.set(
        c,
        [...oppIds]
          .map((id) => this.data.opps.get(id))
          .filter(isLiveInScope)
          .map(clone),
      );
    }
    return out;
  }
  async opportunitiesOfAccounts(accountIds: string[]): Promise<Map<string, OpportunityMirror[]>> {
    const out = new Map<string, OpportunityMirror[]>();
    for (const a of accountIds) {
      out.set(
        a,
        [...this.data.opps.values()].filter((o) => o.accountId === a && isLiveInScope(o)).map(clone),
      );
    }
    return out;
  }
  async getOpportunities(ids: string[]): Promise<Map<string, OpportunityMirror>> {
    return pick(this.data.opps, ids);
  }

  /** A substring test (no pattern), so the user's %, _, quotes and backslashes are plain characters. */
  async searchOpportunities(query: string, limit: number): Promise<OpportunityMirror[]> {
    const needle = query.trim().toLowerCase();
    if (needle === '') return [];
    return [...this.data.opps.values()]
      .filter((o) => o.name.toLowerCase().includes(needle))
      .sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id))
      .slice(0, limit)
      .map(clone);
  }

  async recordErrors(errors: SyncErrorRecord[]): Promise<void> {
    for (const e of errors) this.data.errors.set(e.recordKey, clone(e));
  }
  async clearErrors(keys: string[]): Promise<number> {
    let n = 0;
    for (const k of keys) if (this.data.errors.delete(k)) n++;
    return n;
  }
  async listErrors(filter?: ErrorFilter): Promise<SyncErrorRecord[]> {
    const keys = filter?.recordKeys ? new Set(filter.recordKeys) : null;
    return [...this.data.errors.values()]
      .filter(
        (e) =>
          (!filter?.code || e.code === filter.code) &&
          (!filter?.severity || e.severity === filter.severity) &&
          (!keys || keys.has(e.recordKey)),
      )
      .map(clone);
  }
  async dueRetries(now: IsoDateTime, limit: number): Promise<SyncErrorRecord[]> {
    return [...this.data.errors.values()]
      .filter((e) => e.nextRetryAt !== null && e.nextRetryAt <= now)
      .sort((a, b) => (a.nextRetryAt ?? '').localeCompare(b.nextRetryAt ?? ''))
      .slice(0, limit)
      .map(clone);
  }
  async scheduleRetryNow(keys: string[], now: IsoDateTime): Promise<void> {
    for (const k of keys) {
      const e = this.data.errors.get(k);
      if (e) e.nextRetryAt = now;
    }
  }

  async errorCountsByCode(severity: Severity = 'error'): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const e of [...this.data.errors.values()].sort((a, b) => compare(a.code, b.code)))
      if (e.severity === severity) counts[e.code] = (counts[e.code] ?? 0) + 1;
    return counts;
  }

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    this.data.audit.push(...entries.map(clone));
  }
  async auditFor(target: string, limit: number): Promise<AuditEntry[]> {
    return this.data.audit
      .filter((a) => a.target === target)
      .slice(-limit)
      .reverse()
      .map(clone);
  }

  async recordApiCalls(side: Side, count: number, at: IsoDateTime): Promise<void> {
    this.data.calls.push({ side, count, at });
  }
  async apiCalls(side: Side, since: IsoDateTime): Promise<{ hour: IsoDateTime; count: number }[]> {
    const byHour = new Map<string, number>();
    for (const c of this.data.calls) {
      if (c.side !== side || c.at < since) continue;
      const hour = c.at.slice(0, 13) + ':00:00.000Z';
      byHour.set(hour, (byHour.get(hour) ?? 0) + c.count);
    }
    return [...byHour].map(([hour, count]) => ({ hour, count }));
  }

  async savePassSummary(summary: PassSummary): Promise<void> {
    this.data.passes.push(clone(summary));
  }
  async lastPassSummary(kind: PassSummary['kind']): Promise<PassSummary | undefined> {
    return clone([...this.data.passes].reverse().find((p) => p.kind === kind));
  }

  async createImportRun(run: ImportRun): Promise<void> {
    this.data.runs.set(run.id, clone(run));
  }
  async updateImportRun(id: string, patch: Partial<Omit<ImportRun, 'id'>>): Promise<void> {
    const run = this.data.runs.get(id);
    if (run) this.data.runs.set(id, { ...run, ...clone(patch) });
  }
  async getImportRun(id: string): Promise<ImportRun | undefined> {
    return clone(this.data.runs.get(id));
  }
  /** The newest runs first (by start, then id, as src/store orders them). */
  async listImportRuns(limit: number): Promise<ImportRun[]> {
    return [...this.data.runs.values()]
      .sort((a, b) => compare(b.startedAt, a.startedAt) || compare(b.id, a.id))
      .slice(0, limit)
      .map(clone);
  }

  async close(): Promise<void> {}
}

function pick<V>(map: Map<string, V>, ids: string[]): Map<string, V> {
  const out = new Map<string, V>();
  for (const id of ids) {
    const v = map.get(id);
    if (v !== undefined) out.set(id, clone(v));
  }
  return out;
}

function isLiveInScope(o: OpportunityMirror | undefined): o is OpportunityMirror {
  return o !== undefined && !o.isDeleted && o.inScope;
}

/** Code-unit order, as the databases' byte/"C" collation orders ids and keys. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
