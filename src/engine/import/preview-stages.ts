// Stages the import will provision, as the preview sees them. The import (the batch's stage step,
// sync/batch/stage-step.ts) adds a missing HubSpot stage for a record's Salesforce stage when
// autoProvision is on and setup made the stage map; the preview writes nothing, so it asks the
// same pure planner (setup/pipelines.ts wantedPipelines) whether the stage would be provisioned,
// and maps the record against a placeholder target (`new:…` ids, as the dry run's placeholders).
// Reads Salesforce's stages and record types once per preview.
import { stageMapKeyOf } from '../mapping/index.js';
import { STAGE_MAP_SETTING, type StoredStageMap, type SyncContext } from '../mapping/sync-context.js';
import type { MappingContext, StageTarget } from '../mapping/types.js';
import type { SalesforcePort, SfOpportunityWithRoles } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { readSalesforceMetadata } from '../setup/metadata.js';
import { wantedPipelines } from '../setup/pipelines.js';
import type { Settings } from '../user-settings.js';

export class ProvisionableStages {
  private meta: Awaited<ReturnType<typeof readSalesforceMetadata>> | undefined;

  private constructor(
    private readonly salesforce: SalesforcePort,
    private readonly stored: StoredStageMap | undefined,
    private readonly mapping: MappingContext,
  ) {}

  /** undefined when the import would provision nothing (autoProvision off, or the user's own map). */
  static async of(
    deps: { salesforce: SalesforcePort; store: StateStore },
    ctx: SyncContext,
    settings: Settings,
  ): Promise<ProvisionableStages | undefined> {
    if (!settings.autoProvision || ctx.stageMapSource !== 'setup') return undefined;
    const stored = await deps.store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
    return new ProvisionableStages(deps.salesforce, stored, ctx.mapping);
  }

  /**
   * A mapping context in which these opportunities' missing stages that the import would add have
   * placeholder targets, and a note per opportunity saying so. Opportunities whose stage the
   * import would not add are left out (they fail STAGE_NOT_MAPPED there too).
   */
  async placeholders(
    opps: SfOpportunityWithRoles[],
  ): Promise<{ mapping: MappingContext; notes: Map<string, string> }> {
    const demand = new Map<string, Set<string>>();
    for (const o of opps) {
      const key = stageMapKeyOf(o, this.mapping);
      if (this.mapping.stageMap.get(key)?.has(o.StageName)) continue;
      demand.set(key, (demand.get(key) ?? new Set()).add(o.StageName));
    }
    const notes = new Map<string, string>();
    if (demand.size === 0) return { mapping: this.mapping, notes };
    const recordTypes = [...demand.keys(), ...Object.keys(this.stored?.map ?? {})].filter(
      (k) => k !== 'default',
    );
    this.meta ??= await readSalesforceMetadata(this.salesforce, recordTypes);
    const wanted = wantedPipelines(this.meta, {
      hasMaster: demand.has('default'),
      ...(this.stored ? { previous: this.stored } : {}),
      demand,
    });
    const stageMap = new Map([...this.mapping.stageMap].map(([k, m]) => [k, new Map(m)]));
    for (const [key, stages] of demand) {
      const w = wanted.find((x) => x.key === key);
      if (!w) continue;
      const existingPipeline = [...(stageMap.get(key)?.values() ?? [])][0]?.pipelineId;
      const targets = stageMap.get(key) ?? new Map<string, StageTarget>();
      for (const stage of stages) {
        if (!w.required.includes(stage) && !w.extra.includes(stage)) continue;
        targets.set(stage, { pipelineId: existingPipeline ?? `new:${w.label}`, stageId: `new:${stage}` });
      }
      stageMap.set(key, targets);
    }
    for (const o of opps) {
      const key = stageMapKeyOf(o, this.mapping);
      if (!this.mapping.stageMap.get(key)?.has(o.StageName) && stageMap.get(key)?.has(o.StageName))
        notes.set(o.Id, `stage ${JSON.stringify(o.StageName)} is added to its pipeline by the import`);
    }
    return { mapping: { ...this.mapping, stageMap }, notes };
  }
}
