// Brings HubSpot's deal pipelines to what Salesforce's metadata says (pipelines.ts decides) and
// saves the stage map that results. Setup runs it for everything; the sync runs it when a record
// needs a pipeline or stage that does not exist yet, and when its metadata check sees a change.
import type { HsPipeline } from '../../domain/hubspot.js';
import { STAGE_MAP_SETTING, type StoredStageMap } from '../mapping/sync-context.js';
import type { StageTarget } from '../mapping/types.js';
import type { HubspotPort, PipelineStageInput } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { metadataFingerprint } from './metadata.js';
import {
  needsWrite,
  reconcilePipelines,
  targetsAfter,
  wantedPipelines,
  type PipelineChange,
  type SalesforceMetadata,
  type StageDemand,
  type StagePlan,
} from './pipelines.js';

export interface ProvisionResult {
  stored: StoredStageMap;
  /** Each pipeline dealbridge keeps, and what this run did to it. */
  pipelines: { label: string; id: string; status: 'created' | 'updated' | 'exists' }[];
  changes: PipelineChange[];
  /** HubSpot's deal pipelines after the run. */
  pipelinesNow: HsPipeline[];
}

const stageInput = (s: StagePlan): PipelineStageInput => ({
  label: s.label,
  displayOrder: s.displayOrder,
  probability: s.probability,
  isClosed: s.isClosed,
  ...(s.hubspotId !== undefined ? { id: s.hubspotId } : {}),
});

export async function provisionPipelines(
  deps: { hubspot: HubspotPort; store: StateStore },
  input: {
    meta: SalesforceMetadata;
    /** The org has Master opportunities (RecordTypeId null): `Salesforce - Master` is needed. */
    hasMaster: boolean;
    previous: StoredStageMap | undefined;
    demand?: StageDemand;
  },
): Promise<ProvisionResult> {
  const { hubspot, store } = deps;
  const { meta, previous } = input;
  const existing = await hubspot.dealPipelines();
  const wanted = wantedPipelines(meta, {
    hasMaster: input.hasMaster,
    ...(previous ? { previous } : {}),
    ...(input.demand ? { demand: input.demand } : {}),
  });
  const changes = reconcilePipelines(meta, wanted, existing, previous);
  const map: Record<string, Record<string, StageTarget>> = { ...previous?.map };
  const required: Record<string, string[]> = { ...previous?.required };
  const pipelines: ProvisionResult['pipelines'] = [];
  let created = 0;
  for (const change of changes) {
    let result: HsPipeline;
    let status: 'created' | 'updated' | 'exists';
    if (change.pipelineId === null) {
      result = await hubspot.createDealPipeline({
        label: change.label,
        displayOrder: existing.length + created++,
        stages: change.stages.map(stageInput),
      });
      status = 'created';
    } else if (needsWrite(change, existing)) {
      result = await hubspot.updateDealPipeline(change.pipelineId, {
        label: change.label,
        stages: change.stages.map(stageInput),
      });
      status = 'updated';
    } else {
      result = existing.find((e) => e.id === change.pipelineId)!;
      status = 'exists';
    }
    map[change.key] = targetsAfter(change, result);
    required[change.key] = change.required;
    pipelines.push({ label: result.label, id: result.id, status });
  }
  const stored: StoredStageMap = {
    source: 'setup',
    map,
    required,
    // Older API names stay: records may still hold them after an API-name edit.
    stageIds: { ...previous?.stageIds, ...Object.fromEntries(meta.stages.map((s) => [s.ApiName, s.Id])) },
    fingerprint: metadataFingerprint(meta),
  };
  await store.setSetting(STAGE_MAP_SETTING, stored);
  const wrote = pipelines.some((p) => p.status !== 'exists');
  return { stored, pipelines, changes, pipelinesNow: wrote ? await hubspot.dealPipelines() : existing };
}
