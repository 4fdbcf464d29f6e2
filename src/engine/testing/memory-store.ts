// An in-memory StateStore for the engine's unit tests: the same contract as src/store, no SQL.
// It runs through the store's own suites beside SQLite and Postgres (src/store/testing/dialects.ts),
// so an answer's order, an upsert's rules and a transaction's isolation are theirs.
// Transactions snapshot the maps and roll back on a throw, so crash-style tests see real atomicity;
// as on SQLite's one connection, calls from outside an open transaction wait until it ends, so
// they never see its uncommitted writes and never lose theirs to its rollback.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChangeCursor, IsoDateTime, SfAccount, SfContactRole } from '../../domain/salesforce.js';
import type {
  AuditEntry,
  DealLink,
  ImportRun,
  OpportunityMirror,
  PassSummary,
  PendingAssociations,
  RecordLink,
  Side,
  StateStore,
  SyncErrorRecord,
} from '../ports/store.js';
import type { ErrorFilter } from '../ports/store/errors.js';
import type { ImportRunCounts } from '../ports/store/runs.js';
import type { CdcState, CdcStatus } from '../ports/store/cdc.js';
import type { ErrorCode, Severity } from '../../errors/index.js';

interface Data {
  settings: Map<string, unknown>;
  cursors: Map<string, ChangeCursor & { updatedAt: IsoDateTime }>;
  deals: Map<string, DealLink>;
  pending: Map<string, PendingAssociations>;
  contacts: Map<string, RecordLink>;
  companies: Map<string, RecordLink>;
  opps: Map<string, OpportunityMirror>;
  roles: Map<string, SfContactRole>;
  accounts: Map<string, SfAccount>;
  errors: Map<string, SyncErrorRecord>;
  audit: AuditEntry[];
  /** Calls by `side|hour` (the start of the UTC hour), as src/store buckets them. */
  calls: Map<string, number>;
  passes: PassSummary[];
  runs: Map<string, ImportRun>;
  cdc: Map<string, CdcState>;
}

function empty(): Data {
  return {
    settings: new Map(),
    cursors: new Map(),
    cdc: new Map(),
    deals: new Map(),
    pending: new Map(),
    contacts: new Map(),
    companies: new Map(),
    opps: new Map(),
    roles: new Map(),
    accounts: new Map(),
    errors: new Map(),
    audit: [],
    calls: new Map(),
    passes: [],
    runs: new Map(),
  };
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

type StoreMethod = (...args: unknown[]) => Promise<unknown>;

export class MemoryStore implements StateStore {
  data: Data = empty();
  /** Marks the async context of the open transaction (its calls run at once, nested ones join). */
  readonly #inside = new AsyncLocalStorage<MemoryStore>();
  /** The open transaction, settled when it ends; calls from outside it wait for this. */
  #open: Promise<unknown> | undefined;

  constructor() {
    // Every method, those added later included, waits for an open transaction when called from
    // outside it: one gate here instead of one in each method.
    const methods = this as unknown as Record<string, StoreMethod>;
    for (const name of Object.getOwnPropertyNames(MemoryStore.prototype)) {
      const method = methods[name];
      if (name === 'constructor' || name === 'transaction' || typeof method !== 'function') continue;
      methods[name] = (...args: unknown[]) =>
        this.#open === undefined || this.#inTransaction()
          ? method.apply(this, args)
          : this.#whenFree(() => method.apply(this, args));
    }
  }

  #inTransaction(): boolean {
    return this.#inside.getStore() === this;
  }

  /** Runs fn once no transaction is open; the check and the start of fn are one synchronous step. */
  async #whenFree<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#open !== undefined) await this.#open.catch(() => undefined);
    return fn();
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#inTransaction()) return fn();
    return this.#whenFree(() => {
      const snapshot = clone(this.data);
      const open = this.#inside
        .run(this, async () => {
          try {
            return await fn();
          } catch (err) {
            this.data = snapshot;
            throw err;
          }
        })
        .finally(() => {
          this.#open = undefined;
        });
      this.#open = open;
      return open;
    });
  }

  /** As src/store's: a copy without the audit log, API calls and pass summaries (sync --dry-run). */
  async scratchCopy(): Promise<MemoryStore> {
    const copy = new MemoryStore();
    copy.data = { ...clone(this.data), audit: [], calls: new Map(), passes: [] };
    return copy;
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return clone(this.data.settings.get(key)) as T | undefined;
  }
  /** `undefined` removes the setting, as src/store does. */
  async setSetting(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.settings.delete(key);
    else this.data.settings.set(key, clone(value));
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
  async getCdcState(channel: string): Promise<CdcState | undefined> {
    const s = this.data.cdc.get(channel);
    return s && clone(s);
  }
  async saveReplayId(channel: string, replayId: string, lastEventAt: IsoDateTime): Promise<void> {
    const old = this.data.cdc.get(channel);
    const base = old ?? { channel, status: 'live' as const, reason: null, code: null };
    this.data.cdc.set(channel, { ...base, replayId, lastEventAt, updatedAt: new Date().toISOString() });
  }
  async saveCdcStatus(
    channel: string,
    status: CdcStatus,
    reason: string | null,
    code: ErrorCode | null = null,
  ): Promise<void> {
    const old = this.data.cdc.get(channel) ?? { channel, replayId: null, lastEventAt: null };
    this.data.cdc.set(channel, { ...old, status, reason, code, updatedAt: new Date().toISOString() });
  }
  async clearReplayId(channel: string): Promise<void> {
    const old = this.data.cdc.get(channel);
    if (old) this.data.cdc.set(channel, { ...old, replayId: null, updatedAt: new Date().toISOString() });
  }

  async getDealLinks(ids: string[]): Promise<Map<string, DealLink>> {
    return pick(this.data.deals, ids);
  }
  async saveDealLinks(links: DealLink[]): Promise<void> {
    for (const l of links) this.data.deals.set(l.opportunityId, clone(l));
  }
  async getPendingAssociations(ids: string[]): Promise<Map<string, PendingAssociations>> {
    return pick(this.data.pending, ids);
  }
  async savePendingAssociations(pending: PendingAssociations[]): Promise<void> {
    for (const p of pending) this.data.pending.set(p.opportunityId, clone(p));
  }
  async clearPendingAssociations(ids: string[]): Promise<void> {
    for (const id of ids) this.data.pending.delete(id);
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
  /** Sorted and distinct. */
  async opportunityIdsForContacts(contactIds: string[]): Promise<string[]> {
    const set = new Set(contactIds);
    const ids = this.liveRoles()
      .filter((r) => set.has(r.ContactId))
      .map((r) => r.OpportunityId);
    return [...new Set(ids)].sort(compare);
  }
  async opportunityIdsOfRoles(roleIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of roleIds) {
      const r = this.data.roles.get(id);
      if (r) out.set(id, r.OpportunityId);
    }
    return out;
  }
  /** Every requested opportunity is a key; its value is the sorted, distinct live contact ids. */
  async contactIdsForOpportunities(oppIds: string[]): Promise<Map<string, string[]>> {
    const sets = new Map(oppIds.map((id) => [id, new Set<string>()]));
    for (const r of this.liveRoles()) sets.get(r.OpportunityId)?.add(r.ContactId);
    return new Map([...sets].map(([id, set]) => [id, [...set].sort(compare)]));
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
  /** Every requested contact is a key (an empty list clears its rollups); opportunities by id. */
  async opportunitiesOfContacts(contactIds: string[]): Promise<Map<string, OpportunityMirror[]>> {
    const oppIds = new Map(contactIds.map((id) => [id, new Set<string>()]));
    for (const r of this.liveRoles()) oppIds.get(r.ContactId)?.add(r.OpportunityId);
    return new Map(
      [...oppIds].map(([c, ids]) => [
        c,
        [...ids]
          .sort(compare)
          .map((id) => this.data.opps.get(id))
          .filter(isLiveInScope)
          .map(clone),
      ]),
    );
  }
  /** Every requested account is a key; its in-scope, live opportunities by id. */
  async opportunitiesOfAccounts(accountIds: string[]): Promise<Map<string, OpportunityMirror[]>> {
    const out = new Map(accountIds.map((id) => [id, [] as OpportunityMirror[]]));
    const opps = [...this.data.opps.values()].sort((a, b) => compare(a.id, b.id));
    for (const o of opps) if (o.accountId !== null && isLiveInScope(o)) out.get(o.accountId)?.push(clone(o));
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

  /** Upserts by record key, stored as given (the engine keeps the first sighting). */
  async recordErrors(errors: SyncErrorRecord[]): Promise<void> {
    for (const e of errors) this.data.errors.set(e.recordKey, clone(e));
  }
  async clearErrors(keys: string[]): Promise<number> {
    let n = 0;
    for (const k of keys) if (this.data.errors.delete(k)) n++;
    return n;
  }
  /** Ordered by code, then record key. */
  async listErrors(filter?: ErrorFilter): Promise<SyncErrorRecord[]> {
    const keys = filter?.recordKeys ? new Set(filter.recordKeys) : null;
    return [...this.data.errors.values()]
      .filter(
        (e) =>
          (!filter?.code || e.code === filter.code) &&
          (!filter?.severity || e.severity === filter.severity) &&
          (filter?.deadLetter === undefined || (e.deadLetteredAt !== null) === filter.deadLetter) &&
          (!keys || keys.has(e.recordKey)),
      )
      .sort((a, b) => compare(a.code, b.code) || compare(a.recordKey, b.recordKey))
      .map(clone);
  }
  /** The longest-waiting first (ties by record key). */
  async dueRetries(now: IsoDateTime, limit: number): Promise<SyncErrorRecord[]> {
    return [...this.data.errors.values()]
      .filter((e) => e.nextRetryAt !== null && e.nextRetryAt <= now && e.deadLetteredAt === null)
      .sort((a, b) => compare(a.nextRetryAt ?? '', b.nextRetryAt ?? '') || compare(a.recordKey, b.recordKey))
      .slice(0, limit)
      .map(clone);
  }
  async scheduleRetryNow(keys: string[], now: IsoDateTime): Promise<void> {
    for (const k of keys) {
      const e = this.data.errors.get(k);
      if (e && e.deadLetteredAt === null) e.nextRetryAt = now;
    }
  }
  async retryByHand(keys: string[], now: IsoDateTime): Promise<number> {
    let revived = 0;
    for (const k of new Set(keys)) {
      const e = this.data.errors.get(k);
      if (!e) continue;
      if (e.deadLetteredAt !== null) {
        Object.assign(e, { deadLetteredAt: null, attempts: 0, firstSeenAt: now });
        revived++;
      }
      e.nextRetryAt = now;
    }
    return revived;
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
  /** A target's entries newest first (by time, then the later written), at most `limit`. */
  async auditFor(target: string, limit: number): Promise<AuditEntry[]> {
    return this.data.audit
      .map((entry, seq) => ({ entry, seq }))
      .filter(({ entry }) => entry.target === target)
      .sort((a, b) => compare(b.entry.at, a.entry.at) || b.seq - a.seq)
      .slice(0, limit)
      .map(({ entry }) => clone(entry));
  }

  /** Adds `count` to the UTC hour of `at` (any offset). */
  async recordApiCalls(side: Side, count: number, at: IsoDateTime): Promise<void> {
    if (count === 0) return;
    const key = `${side}|${hourOf(at)}`;
    this.data.calls.set(key, (this.data.calls.get(key) ?? 0) + count);
  }
  /** Calls per hour from the hour containing `since` on, oldest first. */
  async apiCalls(side: Side, since: IsoDateTime): Promise<{ hour: IsoDateTime; count: number }[]> {
    const from = hourOf(since);
    return [...this.data.calls]
      .map(([key, count]) => ({
        side: key.slice(0, key.indexOf('|')),
        hour: key.slice(key.indexOf('|') + 1),
        count,
      }))
      .filter((c) => c.side === side && c.hour >= from)
      .sort((a, b) => compare(a.hour, b.hour))
      .map(({ hour, count }) => ({ hour, count }));
  }

  async savePassSummary(summary: PassSummary): Promise<void> {
    this.data.passes.push(clone(summary));
  }
  /** The latest finished pass of its kind (of two finished at once, the later saved). */
  async lastPassSummary(kind: PassSummary['kind']): Promise<PassSummary | undefined> {
    let last: PassSummary | undefined;
    for (const p of this.data.passes)
      if (p.kind === kind && (last === undefined || p.finishedAt >= last.finishedAt)) last = p;
    return clone(last);
  }

  async createImportRun(run: ImportRun): Promise<void> {
    this.data.runs.set(run.id, clone(run));
  }
  /** Sets the given fields only; an unknown id is an error (a lost run must not pass silently). */
  async updateImportRun(id: string, patch: Partial<Omit<ImportRun, 'id'>>): Promise<void> {
    const run = this.data.runs.get(id);
    if (!run) throw new Error(`import run not found: ${id}`);
    const set = Object.fromEntries(Object.entries(clone(patch)).filter(([, v]) => v !== undefined));
    this.data.runs.set(id, { ...run, ...set });
  }
  async addImportRunCounts(id: string, d: ImportRunCounts): Promise<void> {
    const run = this.data.runs.get(id);
    if (!run) throw new Error(`import run not found: ${id}`);
    for (const k of Object.keys(d) as (keyof ImportRunCounts)[]) run[k] += d[k];
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

/** The start of the UTC hour containing `at`, as src/store buckets API calls. */
function hourOf(at: IsoDateTime): IsoDateTime {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date-time: ${at}`);
  return new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();
}

/** Code-unit order, as the databases' byte/"C" collation orders ids and keys. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
