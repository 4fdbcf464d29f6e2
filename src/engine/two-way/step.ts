// The HubSpot → Salesforce direction of a sync pass (issue #13), run before the Salesforce feeds
// so that a field both sides changed is decided here, by time, before the other direction writes.
// It polls HubSpot's search on `hs_lastmodifieddate` from its cursor (re-reading a short window:
// search shows a change a few seconds late), compares each linked deal with the base
// (decide.ts), reads the opportunities that HubSpot changed, dates the conflicts (property
// history against Salesforce's field history or LastModifiedDate), and writes the winners with
// sObject Collections. A refused record is stored with its coded error (retried with backoff) and
// the others are written; its base stays, so the next pass still sees the change.
import type { HsObject } from '../../domain/hubspot.js';
import type { SfUser } from '../../domain/salesforce.js';
import { auditEntries } from '../audit.js';
import type { MappingContext } from '../mapping/types.js';
import { stopIfPaused } from '../pause.js';
import type {
  HubspotPort,
  SalesforcePort,
  SfOpportunityUpdate,
  SfOpportunityWithRoles,
} from '../ports/remote.js';
import type { AuditEntry, DealLink, StateStore } from '../ports/store.js';
import { existingErrors, opportunityWriteKey, toErrorRecords, type RecordFailure } from '../record-errors.js';
import { chunk } from '../../lib/chunk.js';
import {
  decideFields,
  hubspotChanges,
  hubspotSendingRules,
  resolveConflict,
  type BackRule,
  type FieldDecision,
} from './decide.js';
import { linkAfter, withFields } from './link-after.js';
import { toSalesforce, type BackContext, type SfFieldValue } from './to-salesforce.js';
import { STAGE } from './values.js';

export const CURSOR_HUBSPOT_DEALS = 'hubspotDealsModified';
export { opportunityWriteKey };
const WRITE_KEY_PREFIX = 'opportunity-write:';

export interface TwoWayCounts {
  /** Linked deals the poll (or a retry) read. */
  read: number;
  /** Opportunities written with HubSpot values. */
  written: number;
  /** Fields both sides already agreed on (the base moved, nothing written). */
  settled: number;
  conflicts: number;
  failed: number;
}

export interface TwoWayRun {
  mapping: MappingContext;
  /** Custom-mapped Opportunity fields to read with the opportunity. */
  extraFields: string[];
  /** Throws to stop the pass when Salesforce's API budget is spent. */
  checkBudget: () => void;
}

/** What SyncEngine runs at the start of each pass (EngineDeps.twoWay). */
export interface TwoWayStep {
  run(r: TwoWayRun): Promise<TwoWayCounts>;
}

export interface TwoWayDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  now?: () => Date;
  /** How far before its cursor each poll reads again (HubSpot's search index lags a little). */
  lookbackSeconds?: number;
  retriesPerPass?: number;
}

const emptyCounts = (): TwoWayCounts => ({ read: 0, written: 0, settled: 0, conflicts: 0, failed: 0 });

export class HubspotToSalesforce implements TwoWayStep {
  private readonly now: () => Date;
  private users: SfUser[] | undefined;
  private typeValues: string[] | undefined;

  constructor(private readonly deps: TwoWayDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async run(r: TwoWayRun): Promise<TwoWayCounts> {
    const { store, hubspot } = this.deps;
    const counts = emptyCounts();
    const rules = hubspotSendingRules(r.mapping.customMappings);
    const cursor = await store.getCursor(CURSOR_HUBSPOT_DEALS);
    if (rules.length === 0) {
      // "Existing values in a newly created mapping will not retroactively sync" (HubSpot): a rule
      // turned on later starts from then, not from an old cursor.
      if (cursor) await store.deleteCursor(CURSOR_HUBSPOT_DEALS);
      return counts;
    }
    this.users = undefined;
    this.typeValues = undefined;
    const nowIso = this.now().toISOString();
    if (!cursor) {
      await store.setCursor(CURSOR_HUBSPOT_DEALS, { modstamp: nowIso, id: '' });
      return counts;
    }
    const props = pollProperties(rules);
    await this.retries(r, rules, props, counts);
    const since = new Date(Date.parse(cursor.modstamp) - (this.deps.lookbackSeconds ?? 15) * 1000);
    let reached = Date.parse(cursor.modstamp);
    for await (const page of hubspot.dealsModifiedSince(since.toISOString(), props)) {
      for (const d of page) {
        const at = Date.parse(d.properties.hs_lastmodifieddate ?? '');
        if (Number.isFinite(at)) reached = Math.max(reached, at);
      }
      // Never past our own clock: a deal stamped "in the future" is read again next time.
      const next = new Date(Math.min(reached, Date.parse(nowIso))).toISOString();
      await this.process(r, rules, page, counts, () =>
        store.setCursor(CURSOR_HUBSPOT_DEALS, { modstamp: next, id: '' }),
      );
    }
    return counts;
  }

  /**
   * Deals a webhook named (changed, or their associations): read by id and handled as the poll
   * handles them; the poll finds them again later, and then they are no change (their base moved).
   */
  async runDeals(r: TwoWayRun, dealIds: string[]): Promise<TwoWayCounts> {
    const counts = emptyCounts();
    const rules = hubspotSendingRules(r.mapping.customMappings);
    if (rules.length === 0 || dealIds.length === 0) return counts;
    const props = pollProperties(rules);
    for (const part of chunk([...new Set(dealIds)], 100)) {
      const deals = await this.deps.hubspot.readByIds('deals', part, props);
      await this.process(r, rules, deals, counts);
    }
    return counts;
  }

  /** Records whose write Salesforce refused, due again: their deals read afresh. */
  private async retries(
    r: TwoWayRun,
    rules: BackRule[],
    props: string[],
    counts: TwoWayCounts,
  ): Promise<void> {
    const { store, hubspot } = this.deps;
    const due = (await store.dueRetries(this.now().toISOString(), this.deps.retriesPerPass ?? 200))
      .filter((e) => e.recordKey.startsWith(WRITE_KEY_PREFIX))
      .map((e) => e.recordKey.slice(WRITE_KEY_PREFIX.length));
    if (due.length === 0) return;
    const links = await store.getDealLinks(due);
    const dealIds = [...links.values()].flatMap((l) => (l.dealId && !l.archived ? [l.dealId] : []));
    for (const part of chunk(dealIds, 100)) {
      const deals = await hubspot.readByIds('deals', part, props);
      await this.process(r, rules, deals, counts);
    }
  }

  private async process(
    r: TwoWayRun,
    rules: BackRule[],
    deals: HsObject[],
    counts: TwoWayCounts,
    inTransaction?: () => Promise<void>,
  ): Promise<void> {
    const { store, salesforce } = this.deps;
    const at = this.now().toISOString();
    const byOpp = new Map<string, HsObject>();
    for (const d of deals) {
      const id = d.properties.salesforce_opportunity_id;
      if (id) byOpp.set(id, d);
    }
    const links = await store.getDealLinks([...byOpp.keys()]);
    const changed = new Map<string, { deal: HsObject; link: DealLink; rules: BackRule[] }>();
    for (const [oppId, deal] of byOpp) {
      const link = links.get(oppId);
      // Deals dealbridge does not link (made in HubSpot, or another opportunity's) are not changes.
      if (!link || link.dealId !== deal.id || link.archived) continue;
      counts.read++;
      const c = hubspotChanges(deal.properties, link.lastValues, rules, r.mapping);
      if (c.length > 0) changed.set(oppId, { deal, link, rules: c });
    }
    if (changed.size === 0) {
      if (inTransaction) await inTransaction();
      return;
    }
    r.checkBudget();
    const opps = new Map(
      (await salesforce.opportunitiesByIds([...changed.keys()], { extraFields: r.extraFields })).map((o) => [
        o.Id,
        o,
      ]),
    );
    const decided = new Map<string, FieldDecision[]>();
    for (const [oppId, c] of changed) {
      const opp = opps.get(oppId);
      if (opp && !opp.IsDeleted)
        decided.set(oppId, decideFields(c.deal.properties, c.link.lastValues, c.rules, opp, r.mapping));
    }
    const audit: AuditEntry[] = [];
    await this.decideConflicts(decided, changed, opps, audit, at, counts);
    const ctx = await this.backContext(r.mapping, decided);
    const failures: RecordFailure[] = [];
    const updates: SfOpportunityUpdate[] = [];
    const planned = new Map<string, { fields: Record<string, SfFieldValue>; writes: FieldDecision[] }>();
    for (const [oppId, list] of decided) {
      const opp = opps.get(oppId)!;
      const deal = changed.get(oppId)!.deal;
      const fields: Record<string, SfFieldValue> = {};
      const writes: FieldDecision[] = [];
      let held = false;
      for (const d of list.filter((x) => x.state === 'write')) {
        const back = toSalesforce(opp, d.property, d.salesforceField, deal.properties, ctx);
        if (back.ok === true) {
          Object.assign(fields, back.fields);
          writes.push(d);
        } else if (back.ok === 'skip') {
          failures.push({ ...issue(oppId, back.warning), severity: 'warning' });
        } else {
          failures.push({ ...issue(oppId, back.error), severity: 'error' });
          held = true;
        }
      }
      if (!held && writes.length > 0) {
        updates.push({ id: oppId, fields });
        planned.set(oppId, { fields, writes });
      }
    }
    await stopIfPaused(store);
    const results = updates.length > 0 ? await salesforce.updateOpportunities(updates) : [];
    const written = new Map<string, boolean>();
    for (const res of results) {
      written.set(res.id, res.ok);
      if (!res.ok)
        failures.push({
          recordKey: opportunityWriteKey(res.id),
          code: res.code,
          message: res.message,
          field: res.fields[0] ?? null,
          severity: 'error',
        });
    }
    const nextLinks: DealLink[] = [];
    const cleared: string[] = [];
    for (const [oppId, list] of decided) {
      const c = changed.get(oppId)!;
      const opp = opps.get(oppId)!;
      const plan = planned.get(oppId);
      const ok = plan ? written.get(oppId) === true : false;
      const settled = list.filter((d) => d.state === 'settle');
      counts.settled += settled.length;
      const moved = [...settled, ...(ok && plan ? plan.writes : [])];
      if (moved.length === 0) continue;
      const after = ok && plan ? withFields(opp, plan.fields) : opp;
      nextLinks.push(linkAfter(c.link, after, moved, r.mapping, at));
      if (ok && plan) {
        counts.written++;
        audit.push(...writeAudit(oppId, c.deal.id, opp, after, plan.writes, r.mapping, at));
        if (!failures.some((f) => f.recordKey === opportunityWriteKey(oppId)))
          cleared.push(opportunityWriteKey(oppId));
      }
    }
    counts.failed += new Set(failures.filter((f) => f.severity === 'error').map((f) => f.recordKey)).size;
    const errs = await existingErrors(
      store,
      failures.map((f) => f.recordKey),
    );
    const errors = toErrorRecords(failures, errs, this.now());
    await store.transaction(async () => {
      if (nextLinks.length > 0) await store.saveDealLinks(nextLinks);
      if (audit.length > 0) await store.appendAudit(audit);
      if (errors.length > 0) await store.recordErrors(errors);
      if (cleared.length > 0) await store.clearErrors(cleared);
      if (inTransaction) await inTransaction();
    });
  }

  /** Dates each conflict on both sides and settles it: HubSpot's winner is written, Salesforce's stays. */
  private async decideConflicts(
    decided: Map<string, FieldDecision[]>,
    changed: Map<string, { deal: HsObject }>,
    opps: Map<string, SfOpportunityWithRoles>,
    audit: AuditEntry[],
    at: string,
    counts: TwoWayCounts,
  ): Promise<void> {
    const ids = [...decided].filter(([, l]) => l.some((d) => d.state === 'conflict')).map(([id]) => id);
    if (ids.length === 0) return;
    const properties = [
      ...new Set(
        ids.flatMap((id) =>
          decided
            .get(id)!
            .filter((d) => d.state === 'conflict')
            .flatMap((d) => (d.property === STAGE ? ['dealstage', 'pipeline'] : [d.property])),
        ),
      ),
    ];
    const fields = [...new Set(ids.flatMap((id) => decided.get(id)!.map((d) => d.salesforceField)))];
    const dealIds = ids.map((id) => changed.get(id)!.deal.id);
    const [history, times] = await Promise.all([
      this.deps.hubspot.readDealHistory(dealIds, properties),
      this.deps.salesforce.opportunityChangeTimes(ids, fields),
    ]);
    const historyByDeal = new Map(history.map((h) => [h.id, h.history]));
    for (const oppId of ids) {
      const hist = historyByDeal.get(changed.get(oppId)!.deal.id) ?? {};
      const t = times.get(oppId);
      for (const d of decided.get(oppId)!) {
        if (d.state !== 'conflict') continue;
        counts.conflicts++;
        const hsAt = newest(
          d.property === STAGE
            ? [hist.dealstage?.[0]?.timestamp, hist.pipeline?.[0]?.timestamp]
            : [hist[d.property]?.[0]?.timestamp],
        );
        const sfAt = t?.fields[d.salesforceField]?.at ?? t?.lastModifiedDate ?? null;
        const winner = resolveConflict(sfAt, hsAt);
        d.state = winner === 'hubspot' ? 'write' : 'kept';
        const opp = opps.get(oppId)!;
        audit.push({
          at,
          target: `opportunity:${oppId}`,
          sourceKey: `deal:${changed.get(oppId)!.deal.id}`,
          field: d.salesforceField,
          oldValue:
            winner === 'hubspot' ? (d.salesforce ?? describeValue(opp, d.salesforceField)) : d.hubspot,
          newValue:
            winner === 'hubspot' ? d.hubspot : (d.salesforce ?? describeValue(opp, d.salesforceField)),
          reason: 'conflict',
          runId: null,
          salesforceAt: sfAt,
          hubspotAt: hsAt,
        });
      }
    }
  }

  /** The reverse maps' extra facts, read only when a change needs them (one call each per pass). */
  private async backContext(
    mapping: MappingContext,
    decided: Map<string, FieldDecision[]>,
  ): Promise<BackContext> {
    const needs = (p: string) =>
      [...decided.values()].some((l) => l.some((d) => d.state === 'write' && d.property === p));
    if (needs('hubspot_owner_id'))
      this.users ??= (await this.deps.salesforce.users()).filter((u) => u.IsActive);
    if (needs('dealtype')) this.typeValues ??= await this.deps.salesforce.opportunityTypeValues();
    return {
      mapping,
      ...(this.users ? { activeUsers: this.users } : {}),
      ...(this.typeValues ? { typeValues: this.typeValues } : {}),
    };
  }
}

/** What the poll reads of each deal. */
export function pollProperties(rules: readonly BackRule[]): string[] {
  const own = rules.flatMap((r) => (r.property === STAGE ? ['dealstage', 'pipeline'] : [r.property]));
  return [...new Set(['salesforce_opportunity_id', 'hs_lastmodifieddate', 'deal_currency_code', ...own])];
}

function newest(stamps: (string | undefined)[]): string | null {
  const ok = stamps.filter((s): s is string => s !== undefined && Number.isFinite(Date.parse(s)));
  return ok.length === 0 ? null : ok.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

function describeValue(opp: SfOpportunityWithRoles, field: string): string | null {
  const v = (opp as unknown as Record<string, unknown>)[field] ?? opp.extra[field];
  return v === null || v === undefined ? null : String(v);
}

function issue(
  oppId: string,
  i: { code: string; field: string; message: string },
): Omit<RecordFailure, 'severity'> {
  return { recordKey: opportunityWriteKey(oppId), code: i.code, message: i.message, field: i.field };
}

/** Audit entries of a write to the opportunity: its fields, Salesforce's old value → HubSpot's. */
function writeAudit(
  oppId: string,
  dealId: string,
  before: SfOpportunityWithRoles,
  after: SfOpportunityWithRoles | ReturnType<typeof withFields>,
  writes: FieldDecision[],
  mapping: MappingContext,
  at: string,
): AuditEntry[] {
  void mapping;
  const fields = [
    ...new Set(
      writes.flatMap((d) => (d.property === STAGE ? ['StageName', 'RecordTypeId'] : [d.salesforceField])),
    ),
  ];
  const value = (o: object, f: string) => {
    const v = (o as Record<string, unknown>)[f] ?? (o as { extra: Record<string, unknown> }).extra[f];
    return v === null || v === undefined ? null : String(v);
  };
  return auditEntries({
    target: `opportunity:${oppId}`,
    sourceKey: `deal:${dealId}`,
    oldValues: Object.fromEntries(fields.map((f) => [f, value(before, f)])),
    newValues: Object.fromEntries(fields.map((f) => [f, value(after, f)])),
    reason: 'hubspot',
    at,
  });
}
