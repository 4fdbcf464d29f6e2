// The StateStore on Kysely: each method delegates to its area (areas/*.ts); all share one
// StoreContext, so a method called inside `transaction(fn)` runs on fn's transaction.
import type { ChangeCursor, IsoDateTime, SfAccount, SfContactRole } from '../domain/salesforce.js';
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
} from '../engine/ports/store.js';
import type { ErrorFilter } from '../engine/ports/store/errors.js';
import type { ImportRunCounts } from '../engine/ports/store/runs.js';
import type { ErrorCode, Severity } from '../errors/index.js';
import * as audit from './areas/audit.js';
import * as errors from './areas/errors.js';
import * as links from './areas/links.js';
import * as mirror from './areas/mirror.js';
import * as runs from './areas/runs.js';
import * as settings from './areas/settings.js';
import * as usage from './areas/usage.js';
import * as cdc from './areas/cdc.js';
import * as connections from './areas/connections.js';
import type { ConnectionRow, ConnectionSide, ConnectionStore } from '../engine/ports/store/connections.js';
import * as registry from './areas/connection-registry.js';
import type { ConnectionRow as RegistryRow } from './areas/connection-registry.js';
import type { CdcState, CdcStatus } from '../engine/ports/store/cdc.js';
import type { Backend, DialectName } from './backend.js';
import { StoreContext } from './context.js';
import { copyState } from './scratch-copy.js';
import { openSqliteBackend } from './sqlite/backend.js';
import { migrateToLatest, migrationStatus, type MigrationStatus } from './migrations/index.js';

export class KyselyStateStore implements StateStore, ConnectionStore {
  readonly #ctx: StoreContext;
  readonly #backend: Backend;
  #closed = false;

  constructor(backend: Backend) {
    this.#backend = backend;
    this.#ctx = new StoreContext(backend);
  }

  get dialect(): DialectName {
    return this.#backend.dialect;
  }

  migrate(): Promise<void> {
    return migrateToLatest(this.#backend.db, this.#backend.ddl, this.#backend.schema);
  }

  migrationStatus(): Promise<MigrationStatus> {
    return migrationStatus(this.#backend.db, this.#backend.ddl, this.#backend.schema);
  }

  /**
   * Runs fn in one transaction; the store's methods called from fn's async context join it, and
   * a nested call joins the outer transaction. Keep fn short and free of network calls: on SQLite
   * the transaction holds the only connection (other calls of this process wait for it) and the
   * database's write lock (other processes wait up to the 5 s busy timeout). A call that fn
   * awaits but that was started outside fn's context (a timer set up earlier) would wait for fn:
   * a deadlock on SQLite.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.#ctx.atomic(fn);
  }

  getCdcState(channel: string): Promise<CdcState | undefined> {
    return cdc.getCdcState(this.#ctx, channel);
  }
  saveReplayId(channel: string, replayId: string, lastEventAt: IsoDateTime): Promise<void> {
    return cdc.saveReplayId(this.#ctx, channel, replayId, lastEventAt);
  }
  saveCdcStatus(
    channel: string,
    status: CdcStatus,
    reason: string | null,
    code: ErrorCode | null = null,
  ): Promise<void> {
    return cdc.saveCdcStatus(this.#ctx, channel, status, reason, code);
  }
  clearReplayId(channel: string): Promise<void> {
    return cdc.clearReplayId(this.#ctx, channel);
  }

  getConnectionRow(connection: string, side: ConnectionSide): Promise<ConnectionRow | undefined> {
    return connections.getConnectionRow(this.#ctx, connection, side);
  }
  saveConnectionRow(row: ConnectionRow): Promise<void> {
    return connections.saveConnectionRow(this.#ctx, row);
  }
  deleteConnectionRow(connection: string, side: ConnectionSide): Promise<void> {
    return connections.deleteConnectionRow(this.#ctx, connection, side);
  }
  listConnectionRows(): Promise<ConnectionRow[]> {
    return connections.listConnectionRows(this.#ctx);
  }

  getSetting<T>(key: string): Promise<T | undefined> {
    return settings.getSetting<T>(this.#ctx, key);
  }
  setSetting(key: string, value: unknown): Promise<void> {
    return settings.setSetting(this.#ctx, key, value);
  }
  /** Every setting, by key (for the settings page). */
  listSettings(): Promise<Record<string, unknown>> {
    return settings.listSettings(this.#ctx);
  }

  getCursor(name: string): Promise<ChangeCursor | undefined> {
    return settings.getCursor(this.#ctx, name);
  }
  setCursor(name: string, cursor: ChangeCursor): Promise<void> {
    return settings.setCursor(this.#ctx, name, cursor);
  }
  listCursors(): Promise<Map<string, ChangeCursor & { updatedAt: IsoDateTime }>> {
    return settings.listCursors(this.#ctx);
  }
  deleteCursor(name: string): Promise<void> {
    return settings.deleteCursor(this.#ctx, name);
  }

  getDealLinks(opportunityIds: string[]): Promise<Map<string, DealLink>> {
    return links.getDealLinks(this.#ctx, opportunityIds);
  }
  saveDealLinks(dealLinks: DealLink[]): Promise<void> {
    return links.saveDealLinks(this.#ctx, dealLinks);
  }
  getPendingAssociations(opportunityIds: string[]): Promise<Map<string, PendingAssociations>> {
    return links.getPendingAssociations(this.#ctx, opportunityIds);
  }
  savePendingAssociations(pending: PendingAssociations[]): Promise<void> {
    return links.savePendingAssociations(this.#ctx, pending);
  }
  clearPendingAssociations(opportunityIds: string[]): Promise<void> {
    return links.clearPendingAssociations(this.#ctx, opportunityIds);
  }
  liveDealOpportunityIds(afterId: string | null, limit: number): Promise<string[]> {
    return links.liveDealOpportunityIds(this.#ctx, afterId, limit);
  }
  /** Deal links keyed by HubSpot deal id. */
  dealLinksByDealIds(dealIds: string[]): Promise<Map<string, DealLink>> {
    return links.dealLinksByDealIds(this.#ctx, dealIds);
  }
  getContactLinks(salesforceIds: string[]): Promise<Map<string, RecordLink>> {
    return links.getRecordLinks(this.#ctx, 'contact_links', salesforceIds);
  }
  saveContactLinks(recordLinks: RecordLink[]): Promise<void> {
    return links.saveRecordLinks(this.#ctx, 'contact_links', recordLinks);
  }
  contactLinksToHubspot(hubspotIds: string[]): Promise<RecordLink[]> {
    return links.recordLinksToHubspot(this.#ctx, 'contact_links', hubspotIds);
  }
  dropContactLinks(salesforceIds: string[]): Promise<void> {
    return links.dropRecordLinks(this.#ctx, 'contact_links', salesforceIds);
  }
  saveContactStages(stages: { hubspotId: string; value: string | null; readAt: string }[]): Promise<void> {
    return links.saveContactStages(this.#ctx, stages);
  }
  getCompanyLinks(salesforceIds: string[]): Promise<Map<string, RecordLink>> {
    return links.getRecordLinks(this.#ctx, 'company_links', salesforceIds);
  }
  saveCompanyLinks(recordLinks: RecordLink[]): Promise<void> {
    return links.saveRecordLinks(this.#ctx, 'company_links', recordLinks);
  }
  companyLinksToHubspot(hubspotIds: string[]): Promise<RecordLink[]> {
    return links.recordLinksToHubspot(this.#ctx, 'company_links', hubspotIds);
  }
  dropCompanyLinks(salesforceIds: string[]): Promise<void> {
    return links.dropRecordLinks(this.#ctx, 'company_links', salesforceIds);
  }

  saveOpportunities(opps: OpportunityMirror[]): Promise<void> {
    return mirror.saveOpportunities(this.#ctx, opps);
  }
  saveContactRoles(roles: SfContactRole[]): Promise<void> {
    return mirror.saveContactRoles(this.#ctx, roles);
  }
  replaceContactRoles(opportunityIds: string[], roles: SfContactRole[]): Promise<void> {
    return mirror.replaceContactRoles(this.#ctx, opportunityIds, roles);
  }
  saveAccounts(accounts: SfAccount[]): Promise<void> {
    return mirror.saveAccounts(this.#ctx, accounts);
  }
  getAccounts(ids: string[]): Promise<Map<string, SfAccount>> {
    return mirror.getAccounts(this.#ctx, ids);
  }
  opportunityIdsForContacts(contactIds: string[]): Promise<string[]> {
    return mirror.opportunityIdsForContacts(this.#ctx, contactIds);
  }
  opportunityIdsOfRoles(roleIds: string[]): Promise<Map<string, string>> {
    return mirror.opportunityIdsOfRoles(this.#ctx, roleIds);
  }
  contactIdsForOpportunities(opportunityIds: string[]): Promise<Map<string, string[]>> {
    return mirror.contactIdsForOpportunities(this.#ctx, opportunityIds);
  }
  /** Distinct contacts with a live role on an opportunity with id ≤ upTo, after `after`, ascending. */
  contactIdsUpTo(upTo: string, after: string, limit: number): Promise<string[]> {
    return mirror.contactIdsUpTo(this.#ctx, upTo, after, limit);
  }
  /** Distinct accounts of opportunities with id ≤ upTo, after `after`, ascending. */
  accountIdsUpTo(upTo: string, after: string, limit: number): Promise<string[]> {
    return mirror.accountIdsUpTo(this.#ctx, upTo, after, limit);
  }
  opportunitiesOfContacts(contactIds: string[]): Promise<Map<string, OpportunityMirror[]>> {
    return mirror.opportunitiesOfContacts(this.#ctx, contactIds);
  }
  opportunitiesOfAccounts(accountIds: string[]): Promise<Map<string, OpportunityMirror[]>> {
    return mirror.opportunitiesOfAccounts(this.#ctx, accountIds);
  }
  getOpportunities(ids: string[]): Promise<Map<string, OpportunityMirror>> {
    return mirror.getOpportunities(this.#ctx, ids);
  }
  /** Opportunities whose name contains `query` (case-insensitive), by name: the Records page. */
  searchOpportunities(query: string, limit: number): Promise<OpportunityMirror[]> {
    return mirror.searchOpportunities(this.#ctx, query, limit);
  }

  recordErrors(records: SyncErrorRecord[]): Promise<void> {
    return errors.recordErrors(this.#ctx, records);
  }
  clearErrors(recordKeys: string[]): Promise<number> {
    return errors.clearErrors(this.#ctx, recordKeys);
  }
  listErrors(filter?: ErrorFilter): Promise<SyncErrorRecord[]> {
    return errors.listErrors(this.#ctx, filter);
  }
  dueRetries(now: IsoDateTime, limit: number): Promise<SyncErrorRecord[]> {
    return errors.dueRetries(this.#ctx, now, limit);
  }
  scheduleRetryNow(recordKeys: string[], now: IsoDateTime): Promise<void> {
    return errors.scheduleRetryNow(this.#ctx, recordKeys, now);
  }
  retryByHand(recordKeys: string[], now: IsoDateTime): Promise<number> {
    return errors.retryByHand(this.#ctx, recordKeys, now);
  }
  errorCountsByCode(severity?: Severity): Promise<Record<string, number>> {
    return errors.errorCountsByCode(this.#ctx, severity);
  }

  appendAudit(entries: AuditEntry[]): Promise<void> {
    return audit.appendAudit(this.#ctx, entries);
  }
  auditFor(target: string, limit: number): Promise<AuditEntry[]> {
    return audit.auditFor(this.#ctx, target, limit);
  }

  recordApiCalls(side: Side, count: number, at: IsoDateTime): Promise<void> {
    return usage.recordApiCalls(this.#ctx, side, count, at);
  }
  apiCalls(side: Side, since: IsoDateTime): Promise<{ hour: IsoDateTime; count: number }[]> {
    return usage.apiCalls(this.#ctx, side, since);
  }

  savePassSummary(summary: PassSummary): Promise<void> {
    return runs.savePassSummary(this.#ctx, summary);
  }
  lastPassSummary(kind: PassSummary['kind']): Promise<PassSummary | undefined> {
    return runs.lastPassSummary(this.#ctx, kind);
  }
  createImportRun(run: ImportRun): Promise<void> {
    return runs.createImportRun(this.#ctx, run);
  }
  updateImportRun(id: string, patch: Partial<Omit<ImportRun, 'id'>>): Promise<void> {
    return runs.updateImportRun(this.#ctx, id, patch);
  }
  /** The connections registry (not the engine's: only the `default` store holds it). */
  addConnection(row: RegistryRow): Promise<void> {
    return registry.addConnection(this.#ctx, row);
  }
  listConnections(): Promise<RegistryRow[]> {
    return registry.listConnections(this.#ctx);
  }
  removeConnection(name: string): Promise<boolean> {
    return registry.removeConnection(this.#ctx, name);
  }
  addImportRunCounts(id: string, delta: ImportRunCounts): Promise<void> {
    return runs.addImportRunCounts(this.#ctx, id, delta);
  }
  getImportRun(id: string): Promise<ImportRun | undefined> {
    return runs.getImportRun(this.#ctx, id);
  }
  listImportRuns(limit: number): Promise<ImportRun[]> {
    return runs.listImportRuns(this.#ctx, limit);
  }

  /**
   * A throwaway copy of this store, in memory, without the audit log, API calls and pass summaries
   * (scratch-copy.ts): what `sync --dry-run` runs on. The caller closes it, which discards it.
   */
  async scratchCopy(): Promise<KyselyStateStore> {
    const copy = new KyselyStateStore(openSqliteBackend(':memory:'));
    try {
      await copy.migrate();
      await copyState(this.#backend, copy.#backend);
    } catch (err) {
      await copy.close();
      throw err;
    }
    return copy;
  }

  /** Closes the connection(s); a second call does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#backend.close();
  }
}
