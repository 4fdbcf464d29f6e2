// Step 8: what the store keeps of each written deal: the link with its hashes and last values, the
// audit entries of what changed, the counts, and the warnings (or the cleared error).
import { auditEntries, type AuditReason } from '../../audit.js';
import { opportunityKey, toErrorRecords } from '../../record-errors.js';
import { associationsHash, associationValues } from '../associations.js';
import type { DealAssociations } from './association-writes.js';
import { decide } from './outcome.js';
import type { WrittenDeals } from './deal-writes.js';
import type { PlannedDeal } from './plan.js';
import { syncedIssue, type BatchRun } from './run-state.js';

export function recordDealResults(
  run: BatchRun,
  planned: PlannedDeal[],
  written: WrittenDeals,
  assoc: DealAssociations,
): void {
  const { out } = run;
  for (const p of planned) {
    if (written.failed.has(p.opp.Id)) {
      decide(out, p.opp.Id, 'fail');
      continue;
    }
    const n = assoc.next.get(p.opp.Id);
    if (!n) continue;
    const key = opportunityKey(p.opp.Id);
    const sameDeal = p.link?.dealId === n.dealId && !p.link.archived;
    const assocFailure = assoc.failedByDeal.get(n.dealId);
    const assocState = assocFailure ? n.prev : n.state;
    const assocChanged = !assocFailure && associationsHash(n.state) !== associationsHash(n.prev);
    if (assocFailure) {
      p.warnings.push(
        syncedIssue(p.opp.Id, {
          code: 'ASSOCIATION_FAILED',
          message: `${p.opp.Id}: deal ${n.dealId} ↔ ${assocFailure.input.toId}: ${assocFailure.message}`,
          field: null,
        }),
      );
    }
    // The link now lists what was written, so the note can go; after a failed association write
    // (which may have been applied in part) it stays, and the next sync removes what is unwanted.
    if (!assocFailure) out.associationsRecorded.push(p.opp.Id);
    const oldValues = sameDeal ? (p.link?.lastValues ?? {}) : {};
    const values = { ...oldValues, ...p.properties, ...associationValues(assocState) };
    out.links.push({
      opportunityId: p.opp.Id,
      dealId: n.dealId,
      propertiesHash: p.hash,
      associationsHash: associationsHash(assocState),
      lastValues: values,
      archived: false,
      lastSyncedAt: run.at,
    });
    const deleted = written.recreated.get(p.opp.Id);
    const reason: AuditReason =
      deleted !== undefined ? 'recreate' : p.link?.archived ? 'restore' : run.mode.reason;
    if (deleted !== undefined) {
      // Why every value of this deal is new: the deal it replaces was deleted in HubSpot.
      out.audit.push(
        ...auditEntries({
          target: `deal:${n.dealId}`,
          sourceKey: key,
          oldValues: { '@deal': deleted },
          newValues: { '@deal': n.dealId },
          reason,
          at: run.at,
          runId: run.mode.runId ?? null,
        }),
      );
    }
    if (p.write || assocChanged) {
      out.audit.push(
        ...auditEntries({
          target: `deal:${n.dealId}`,
          sourceKey: key,
          oldValues,
          newValues: {
            ...(p.write ? p.properties : {}),
            ...(assocChanged ? associationValues(n.state) : {}),
          },
          reason,
          at: run.at,
          runId: run.mode.runId ?? null,
        }),
      );
    }
    if (p.write && written.upserted.get(p.opp.Id)?.created) decide(out, p.opp.Id, 'create');
    // A repair (plan.ts) writes what the store says HubSpot holds already: unchanged as far as
    // the store knows, so counted so (and planned so by a dry run).
    else if ((p.write && !p.repair) || assocChanged) decide(out, p.opp.Id, 'update');
    else decide(out, p.opp.Id, 'unchanged');
    if (p.warnings.length > 0) run.failures.push(...p.warnings);
    else out.cleared.push(key);
  }
}

/** Last step: failures become stored errors (attempts, next retry); errors of records that synced clear. */
export function settleErrors(run: BatchRun): void {
  const { out } = run;
  out.errors = toErrorRecords(run.failures, run.errs, run.env.now);
  const failedKeys = new Set(out.errors.map((e) => e.recordKey));
  out.cleared = [...new Set(out.cleared)].filter((k) => !failedKeys.has(k) && run.errs.has(k));
}
