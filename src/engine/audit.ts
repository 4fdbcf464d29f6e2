// The audit log: every value dealbridge writes to HubSpot, old → new, with the reason. Old values
// come from what dealbridge itself last wrote (DealLink.lastValues), not from a HubSpot read: the
// log answers "what did the connector change", at no API cost.
import type { HsProperties } from '../domain/hubspot.js';
import type { AuditEntry } from './ports/store.js';

/**
 * `relink`: associations moved to the record a HubSpot merge created, or to the record matched
 * after a delete (sync/relink.ts); `recreate`: a deal deleted in HubSpot created again; `hubspot`:
 * a HubSpot change written to the opportunity (two-way/); `conflict`: both sides changed a field;
 * `delete`: the opportunity deleted because its deal was (setting hubspotDealDeletes).
 */
export type AuditReason =
  | 'sync'
  | 'import'
  | 'resync'
  | 'archive'
  | 'restore'
  | 'rollup'
  | 'lifecycle'
  | 'relink'
  | 'recreate'
  | 'hubspot'
  | 'conflict'
  | 'delete';

export function auditEntries(input: {
  target: string;
  sourceKey: string;
  oldValues: Record<string, string | null>;
  newValues: HsProperties;
  reason: AuditReason;
  at: string;
  runId?: string | null;
}): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const field of Object.keys(input.newValues).sort()) {
    const newValue = input.newValues[field] ?? null;
    const oldValue = input.oldValues[field] ?? null;
    if (oldValue === newValue) continue;
    out.push({
      at: input.at,
      target: input.target,
      sourceKey: input.sourceKey,
      field,
      oldValue,
      newValue,
      reason: input.reason,
      runId: input.runId ?? null,
    });
  }
  return out;
}
