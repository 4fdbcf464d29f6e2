// What `sync --dry-run` prints, built from what the pass itself produced: each batch's decisions
// (create, update, unchanged, skip with reason, archive, fail) with the audit entries it would have
// stored (old → new per deal property and association, as the audit log would show them: "old" is
// what dealbridge last wrote) and the errors it would have recorded; plus every write the
// recording port took for HubSpot (recording-hubspot.ts), which covers what no opportunity owns:
// contact and company rollups and lifecycle stages, companies created, pipelines provisioned.
import type { AuditStore } from '../ports/store.js';
import type { BatchOutcome, OpportunityAction } from '../sync/batch.js';
import type { PassResult } from '../sync/engine-options.js';
import { isPlaceholder, type RecordedWrite } from './recording-hubspot.js';

export interface PlanChange {
  old: string | null;
  new: string | null;
}

export interface PlanIssue {
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface PlanEntry {
  opportunityId: string;
  name?: string;
  action: OpportunityAction;
  /** The deal written, archived or left alone; null for one the pass would create (or none). */
  dealId: string | null;
  /** Why it is skipped (`skippedByReason`'s key). */
  reason?: string;
  /** A failed one's error code (its message in `issues`). */
  code?: string;
  /** Deal properties, `@contacts` / `@company` (associations) and `archived`: old → new. */
  changes: Record<string, PlanChange>;
  /** Errors and warnings the pass would record for it. */
  issues: PlanIssue[];
}

/** A write to a HubSpot contact or company (rollups, lifecycle stage, our id properties). */
export interface PlanRecordWrite {
  objectType: string;
  /** Null for a company the pass would create. */
  id: string | null;
  action: 'create' | 'update';
  /** New values; `old` where the audit log knows what dealbridge wrote before. */
  changes: Record<string, { old?: string | null; new: string | null }>;
}

export interface PlanHubspot {
  /** Records per write, as the pass would send them (in batches of up to 100). */
  writes: Record<string, number>;
  records: PlanRecordWrite[];
  pipelines: { action: 'create' | 'update'; id: string | null; label: string | null }[];
}

export interface DryRunReport {
  dryRun: true;
  /** false when opportunity sync is off: nothing would be read or written. */
  ran: boolean;
  plan: PlanEntry[];
  hubspot: PlanHubspot;
  summary: Omit<PassResult, 'touched' | 'cursors' | 'ran'>;
}

/** Ranks what happens to a deal: an opportunity seen twice in a pass keeps the weightiest action. */
const RANK: Record<OpportunityAction, number> = {
  unchanged: 0,
  skip: 1,
  fail: 2,
  update: 3,
  archive: 4,
  create: 5,
};

const realId = (id: string | null | undefined): string | null =>
  id === null || id === undefined || isPlaceholder(id) ? null : id;

export class PlanCollector {
  private readonly entries = new Map<string, PlanEntry>();

  add(outcome: BatchOutcome): void {
    const name = new Map(outcome.mirrors.map((m) => [m.id, m.name]));
    const deal = new Map(outcome.links.map((l) => [l.opportunityId, l.dealId]));
    for (const d of outcome.decisions) {
      const key = `opportunity:${d.opportunityId}`;
      const entry = this.entries.get(d.opportunityId) ?? {
        opportunityId: d.opportunityId,
        action: d.action,
        dealId: null,
        changes: {},
        issues: [],
      };
      if (RANK[d.action] >= RANK[entry.action]) {
        entry.action = d.action;
        if (d.reason !== undefined) entry.reason = d.reason;
        else delete entry.reason;
      }
      const n = name.get(d.opportunityId);
      if (n !== undefined) entry.name = n;
      const dealId = deal.get(d.opportunityId);
      if (dealId !== undefined) entry.dealId = realId(dealId);
      for (const a of outcome.audit) {
        if (a.sourceKey !== key || !a.target.startsWith('deal:')) continue;
        const before = entry.changes[a.field];
        entry.changes[a.field] = { old: before ? before.old : a.oldValue, new: a.newValue };
        if (entry.dealId === null && a.field === 'archived') entry.dealId = realId(a.target.slice(5));
      }
      for (const e of outcome.errors) {
        if (e.recordKey !== key) continue;
        entry.issues.push({ code: e.code, severity: e.severity, message: e.message });
        if (entry.action === 'fail' && e.severity === 'error') entry.code ??= e.code;
      }
      this.entries.set(d.opportunityId, entry);
    }
  }

  /** The report, once the pass is over; `audit` is the scratch store (the rollups' old values). */
  async report(result: PassResult, writes: RecordedWrite[], audit: AuditStore): Promise<DryRunReport> {
    const { touched: _t, cursors: _c, ran, ...summary } = result;
    return {
      dryRun: true,
      ran,
      plan: [...this.entries.values()],
      hubspot: await hubspotSide(writes, audit),
      summary,
    };
  }
}

async function hubspotSide(writes: RecordedWrite[], audit: AuditStore): Promise<PlanHubspot> {
  const counts: Record<string, number> = {};
  const records: PlanRecordWrite[] = [];
  const pipelines: PlanHubspot['pipelines'] = [];
  for (const w of writes) {
    const what = `${w.method} ${w.objectType}`;
    counts[what] = (counts[what] ?? 0) + 1;
    if (w.method === 'createDealPipeline' || w.method === 'updateDealPipeline') {
      pipelines.push({
        action: w.method === 'createDealPipeline' ? 'create' : 'update',
        id: realId(w.id),
        label: w.properties?.label ?? null,
      });
      continue;
    }
    if (w.objectType !== 'contacts' && w.objectType !== 'companies') continue;
    if (w.method !== 'createObjects' && w.method !== 'updateObjects') continue;
    const kind = w.objectType === 'contacts' ? 'contact' : 'company';
    // The rollup pass audits what it writes, old → new (what it wrote before).
    const logged = w.id === null ? [] : await audit.auditFor(`${kind}:${w.id}`, 100);
    const changes: PlanRecordWrite['changes'] = {};
    for (const [field, value] of Object.entries(w.properties ?? {})) {
      const entry = logged.find((a) => a.field === field && a.newValue === value);
      changes[field] = entry ? { old: entry.oldValue, new: value } : { new: value };
    }
    records.push({
      objectType: w.objectType,
      id: realId(w.id),
      action: w.method === 'createObjects' ? 'create' : 'update',
      changes,
    });
  }
  return { writes: counts, records, pipelines };
}
