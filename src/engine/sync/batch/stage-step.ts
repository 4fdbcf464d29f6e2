// Step 4b: opportunities whose record type has no pipeline yet, or whose stage has no HubSpot stage
// in it (the first Master opportunity, a record type or stage added after setup, an inactive stage
// old records hold), get one before they are mapped, when `autoProvision` is on and setup made the
// stage map. Otherwise, or when HubSpot refuses, they fail STAGE_NOT_MAPPED with the reason: no
// deal is written half-mapped (mapping/deal.ts never falls back to another record type's pipeline).
import { DealbridgeError } from '../../../errors/index.js';
import { stageDemandKey, stageMapKeyOf } from '../../mapping/index.js';
import { adoptStageMap, STAGE_MAP_SETTING, type StoredStageMap } from '../../mapping/sync-context.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import { readSalesforceMetadata } from '../../setup/metadata.js';
import { provisionPipelines } from '../../setup/provision.js';
import type { BatchRun } from './run-state.js';

export async function provisionMissingStages(
  run: BatchRun,
  inScope: SfOpportunityWithRoles[],
): Promise<void> {
  const { ctx, settings, salesforce, hubspot, store } = run.env;
  const mapping = ctx.mapping;
  if (ctx.stageMapSource !== 'setup') return; // the user's map: mapped by them, only reported
  const demand = new Map<string, Set<string>>();
  for (const o of inScope) {
    const key = stageMapKeyOf(o, mapping);
    if (mapping.stageMap.get(key)?.has(o.StageName)) continue;
    if (ctx.provisionFailures.has(stageDemandKey(key, o.StageName))) continue;
    const stages = demand.get(key) ?? new Set<string>();
    stages.add(o.StageName);
    demand.set(key, stages);
  }
  if (demand.size === 0) return;
  const remember = (why: (key: string, stage: string) => string | undefined) => {
    for (const [key, stages] of demand) {
      for (const stage of stages) {
        const reason = why(key, stage);
        if (reason !== undefined) ctx.provisionFailures.set(stageDemandKey(key, stage), reason);
      }
    }
    mapping.unmappedReasons = new Map(ctx.provisionFailures);
  };
  if (!settings.autoProvision) {
    remember(() => 'autoProvision is off');
    return;
  }
  try {
    const previous = await store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
    const recordTypes = [...demand.keys(), ...Object.keys(previous?.map ?? {})].filter(
      (k) => k !== 'default',
    );
    const meta = await readSalesforceMetadata(salesforce, recordTypes);
    const result = await provisionPipelines(
      { hubspot, store },
      { meta, hasMaster: demand.has('default'), previous, demand },
    );
    adoptStageMap(ctx, result.stored, result.pipelinesNow);
    remember((key, stage) =>
      mapping.stageMap.get(key)?.has(stage)
        ? undefined
        : `Salesforce lists no stage ${JSON.stringify(stage)} for ${key === 'default' ? 'the Master record type' : `record type ${key}`}`,
    );
  } catch (err) {
    // An outage or a spent budget stops the pass as always; a refusal (a pipeline limit) is the
    // records' problem, remembered so that later batches do not ask again.
    if (!(err instanceof DealbridgeError) || err.info.scope !== 'record') throw err;
    remember(() => `HubSpot refused to add it: ${err.message}`);
  }
}
