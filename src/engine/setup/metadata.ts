// What Salesforce says about opportunity record types, stages and sales processes, read as API
// clients read it: RecordType and OpportunityStage by SOQL, each record type's stages from the
// User Interface API's picklist values (describe gives only the master picklist). Two queries and
// one call per record type read; the fingerprint tells whether any of it changed since the stage
// map was provisioned.
import { createHash } from 'node:crypto';
import type { SalesforcePort } from '../ports/remote.js';
import type { SalesforceMetadata } from './pipelines.js';

/** When the metadata was last read (by setup or the sync's check): the check counts from it. */
export const METADATA_CHECKED_SETTING = 'sync.metadataCheckedAt';

/**
 * Record types, stages, and the sales process of every active record type and of the inactive
 * ones in `alsoRecordTypes` (those the stage map holds, or records need).
 */
export async function readSalesforceMetadata(
  salesforce: SalesforcePort,
  alsoRecordTypes: Iterable<string> = [],
): Promise<SalesforceMetadata> {
  const [recordTypes, stages] = await Promise.all([
    salesforce.opportunityRecordTypes(),
    salesforce.opportunityStages(),
  ]);
  const also = new Set(alsoRecordTypes);
  const read = recordTypes.filter((r) => r.IsActive || also.has(r.Id));
  const processes = new Map<string, string[]>();
  for (const r of read) processes.set(r.Id, await salesforce.salesProcessStages(r.Id));
  return { recordTypes, stages, processes };
}

/** A hash of everything pipelines are made from; equal metadata, equal fingerprint. */
export function metadataFingerprint(meta: SalesforceMetadata): string {
  const recordTypes = [...meta.recordTypes]
    .sort((a, b) => a.Id.localeCompare(b.Id))
    .map((r) => [r.Id, r.Name, r.IsActive, meta.processes.get(r.Id) ?? null]);
  const stages = [...meta.stages]
    .sort((a, b) => a.Id.localeCompare(b.Id))
    .map((s) => [
      s.Id,
      s.ApiName,
      s.MasterLabel,
      s.SortOrder,
      s.DefaultProbability,
      s.IsClosed,
      s.IsWon,
      s.IsActive,
    ]);
  return createHash('sha256').update(JSON.stringify({ recordTypes, stages })).digest('hex');
}
