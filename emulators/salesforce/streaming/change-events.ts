// Change Data Capture's event bus: a transaction's record writes become change events (one per
// record, or one for many records that got the same change), on the entities the org selected,
// with replay ids kept 72 hours. Gap and overflow events as Salesforce documents them; the event
// delivery allocation (`DailyDeliveredPlatformEvents` in /limits). docs/emulators/salesforce.md.
import { randomUUID } from 'node:crypto';
import { ApiUsage } from '../limits.js';
import type { Clock } from '../clock.js';
import type { OrgStore } from '../store.js';
import type { SoqlValue } from '../soql/catalog.js';
import type { RecordChange } from './record-change.js';

export const RETENTION_MS = 72 * 3_600_000;
/** "The first 100,000 changes generate change events", beyond that one GAP_OVERFLOW per entity. */
export const OVERFLOW_THRESHOLD = 100_000;

export type ChangeType =
  | 'CREATE'
  | 'UPDATE'
  | 'DELETE'
  | 'UNDELETE'
  | 'GAP_CREATE'
  | 'GAP_UPDATE'
  | 'GAP_DELETE'
  | 'GAP_UNDELETE'
  | 'GAP_OVERFLOW';

export interface StoredEvent {
  replayId: number;
  /** Emulator-clock time of publishing (retention counts from it). */
  at: number;
  entity: string;
  payload: Record<string, unknown>;
}

interface Pending {
  entity: string;
  changeType: ChangeType;
  recordIds: string[];
  fields: Record<string, unknown>;
  changedFields: string[];
  userId: string;
}

/** Delivered events per rolling 24 hours against the org's allocation (Enterprise: 25,000). */
/** The daily event delivery allocation: the same 24-hour window and counting as the REST one. */
export class DeliveryUsage extends ApiUsage {
  constructor(clock: Clock, allocation = 25_000) {
    super(clock, allocation);
  }
}

export class ChangeEventBus {
  private log: StoredEvent[] = [];
  private lastReplayId = 0;
  /** Replay ids up to this one have left the retention window. */
  private purgedThrough = 0;
  private commitNumber = 10_000_000_000;
  private tx: { changes: RecordChange[]; origin: string } | undefined;
  private readonly listeners = new Set<(e: StoredEvent) => void>();
  /** Entity → how many of its next writes become gap events instead (admin: force gap). */
  readonly gapNext = new Map<string, number>();
  overflowThreshold = OVERFLOW_THRESHOLD;
  readonly deliveries: DeliveryUsage;

  constructor(
    private readonly clock: Clock,
    private readonly store: () => OrgStore,
  ) {
    this.deliveries = new DeliveryUsage(clock);
  }

  onEvent(fn: (e: StoredEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Starts a transaction (one API request); its writes publish together at commit. */
  begin(origin: string): void {
    this.tx ??= { changes: [], origin };
  }

  /** The store's change sink: inside a transaction the write waits for commit, else it is its own. */
  record(change: RecordChange): void {
    if (this.tx) this.tx.changes.push(change);
    else this.publishTransaction([change], 'com/salesforce/api/soap/62.0');
  }

  commit(): void {
    const tx = this.tx;
    this.tx = undefined;
    if (tx && tx.changes.length > 0) this.publishTransaction(tx.changes, tx.origin);
  }

  /** A failed request's writes that did stay (allOrNone=false) still publish; rolled back ones never reached the sink. */
  rollback(): void {
    this.commit();
  }

  reset(): void {
    this.log = [];
    this.purgedThrough = this.lastReplayId;
    this.tx = undefined;
    this.gapNext.clear();
    this.overflowThreshold = OVERFLOW_THRESHOLD;
  }

  /** Publishes gap events for these records now (a change Salesforce could not turn into an event). */
  forceGap(entity: string, changeType: ChangeType, recordIds: string[], userId: string): StoredEvent[] {
    return this.publish(
      [{ entity, changeType, recordIds, fields: {}, changedFields: [], userId }],
      'com/salesforce/api/soap/62.0',
    );
  }

  /** Publishes one GAP_OVERFLOW event for an entity (as after a transaction of over 100,000 changes). */
  forceOverflow(entity: string, userId: string): StoredEvent[] {
    return this.publish(
      [{ entity, changeType: 'GAP_OVERFLOW', recordIds: [], fields: {}, changedFields: [], userId }],
      'com/salesforce/api/soap/62.0',
    );
  }

  /**
   * Retained events after `replayId` (-1: none, only new ones; -2: all retained), or undefined
   * when the id is not a retained event's (expired past 72 hours, or never issued).
   */
  after(replayId: number): StoredEvent[] | undefined {
    this.purge();
    if (replayId === -1) return [];
    if (replayId === -2) return [...this.log];
    if (!Number.isInteger(replayId) || replayId <= this.purgedThrough || replayId > this.lastReplayId)
      return undefined;
    return this.log.filter((e) => e.replayId > replayId);
  }

  get latestReplayId(): number {
    return this.lastReplayId;
  }

  get retained(): number {
    this.purge();
    return this.log.length;
  }

  private purge(): void {
    const before = this.clock.now() - RETENTION_MS;
    let n = 0;
    while (n < this.log.length && this.log[n]!.at < before) n++;
    if (n === 0) return;
    this.purgedThrough = this.log[n - 1]!.replayId;
    this.log = this.log.slice(n);
  }

  private publishTransaction(changes: RecordChange[], origin: string): void {
    const store = this.store();
    const groups: Pending[] = [];
    const byKey = new Map<string, Pending>();
    const overflowed = new Set<string>();
    let counted = 0;
    for (const c of changes) {
      if (!store.cdcSelected.has(c.entity)) continue;
      const id = c.row.Id as string;
      const gaps = this.gapNext.get(c.entity) ?? 0;
      if (gaps > 0) {
        this.gapNext.set(c.entity, gaps - 1);
        const g: Pending = {
          entity: c.entity,
          changeType: `GAP_${c.op}`,
          recordIds: [id],
          fields: {},
          changedFields: [],
          userId: c.userId,
        };
        groups.push(g);
        continue;
      }
      const fields = c.op === 'UPDATE' ? this.format(store, c.entity, c.changed ?? {}, false) : {};
      if (c.op === 'CREATE' || c.op === 'UNDELETE')
        Object.assign(fields, this.format(store, c.entity, c.row, true));
      // A create, delete or undelete counts one change toward the overflow threshold; an update one per field.
      counted += c.op === 'UPDATE' ? Object.keys(fields).length : 1;
      if (counted > this.overflowThreshold) {
        overflowed.add(c.entity);
        continue;
      }
      const changedFields = c.op === 'UPDATE' ? Object.keys(fields) : [];
      // Records that got the same change in one transaction share one event (DELETEs always do).
      const key =
        c.op === 'CREATE' || c.op === 'UNDELETE'
          ? undefined
          : `${c.entity}|${c.op}|${c.op === 'UPDATE' ? JSON.stringify(fields) : ''}`;
      const same = key === undefined ? undefined : byKey.get(key);
      if (same) {
        same.recordIds.push(id);
        continue;
      }
      const p: Pending = {
        entity: c.entity,
        changeType: c.op,
        recordIds: [id],
        fields,
        changedFields,
        userId: c.userId,
      };
      if (key !== undefined) byKey.set(key, p);
      groups.push(p);
    }
    const userId = changes[0]?.userId ?? '';
    for (const entity of overflowed)
      groups.push({
        entity,
        changeType: 'GAP_OVERFLOW',
        recordIds: [],
        fields: {},
        changedFields: [],
        userId,
      });
    if (groups.length > 0) this.publish(groups, origin);
  }

  private publish(groups: Pending[], origin: string): StoredEvent[] {
    this.purge();
    const commitTimestamp = this.clock.now();
    const commitNumber = ++this.commitNumber;
    const transactionKey = randomUUID();
    const out: StoredEvent[] = [];
    groups.forEach((g, i) => {
      const gap = g.changeType.startsWith('GAP_');
      const event: StoredEvent = {
        // Replay ids grow but are not contiguous (Salesforce says not to compute them).
        replayId: (this.lastReplayId += 1 + (this.commitNumber % 3 === 0 ? 1 : 0)),
        at: commitTimestamp,
        entity: g.entity,
        payload: {
          ChangeEventHeader: {
            entityName: g.entity,
            recordIds: g.recordIds,
            changeType: g.changeType,
            changedFields: g.changedFields,
            changeOrigin: gap ? '' : origin,
            transactionKey,
            // Gap events carry sequence number 1 (Salesforce's example says so).
            sequenceNumber: gap ? 1 : i + 1,
            commitTimestamp,
            commitNumber,
            commitUser: g.userId,
          },
          ...g.fields,
        },
      };
      this.log.push(event);
      out.push(event);
    });
    for (const e of out) for (const fn of this.listeners) fn(e);
    return out;
  }

  /** Field values as the CometD JSON carries them: datetimes ISO 8601 UTC; no Id, IsDeleted, SystemModstamp. */
  private format(
    store: OrgStore,
    entity: string,
    values: Record<string, SoqlValue>,
    nonNullOnly: boolean,
  ): Record<string, unknown> {
    const def = store.def(entity);
    const out: Record<string, unknown> = {};
    for (const k in values) {
      if (k === 'Id' || k === 'IsDeleted' || k === 'SystemModstamp') continue;
      const v = values[k];
      if (v === undefined || (nonNullOnly && v === null)) continue;
      const f = def?.fieldsByLower.get(k.toLowerCase());
      if (!f) continue;
      out[f.name] = f.type === 'datetime' && typeof v === 'number' ? new Date(v).toISOString() : v;
    }
    return out;
  }
}
