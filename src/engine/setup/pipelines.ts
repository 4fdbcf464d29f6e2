// Which deal pipelines and stages the org needs, and how the ones HubSpot has must change to get
// there (DESIGN §2.5). Pure: setup, the sync's stage step and its metadata check do the calls
// (provision.ts). A HubSpot stage, once it holds a Salesforce stage, is remembered by its id per
// (record type, stage API name): a stage renamed in Salesforce renames that HubSpot stage rather
// than adding a second one, so its deals stay put; a stage deactivated or dropped from a sales
// process keeps its HubSpot stage for the deals still in it.
import type { HsPipeline, HsPipelineStage } from '../../domain/hubspot.js';
import type { SfRecordType, SfStage } from '../../domain/salesforce.js';
import type { StoredStageMap } from '../mapping/sync-context.js';
import type { StageTarget } from '../mapping/types.js';
import { DEFAULT_PIPELINE_LABEL, MASTER_PIPELINE_LABEL, plannedStage, type PlannedStage } from './plan.js';

/** What Salesforce says about record types and stages: what pipelines are made from. */
export interface SalesforceMetadata {
  /** Every Opportunity record type, active or not. */
  recordTypes: SfRecordType[];
  /** Every OpportunityStage row, active or not. */
  stages: SfStage[];
  /** Active stage API names of each record type's sales process (UI API picklist values). */
  processes: ReadonlyMap<string, readonly string[]>;
}

/** Stage-map key → stage API names that records hold and that have no HubSpot stage yet. */
export type StageDemand = ReadonlyMap<string, ReadonlySet<string>>;

export interface WantedPipeline {
  /** Stage-map key: the record type id, or `default` (Master, or the org's only pipeline). */
  key: string;
  label: string;
  /** Stage API names the pipeline must hold: its sales process's active stages. */
  required: string[];
  /** Further stages records hold (inactive ones, say), provisioned on demand. */
  extra: string[];
}

export interface StagePlan extends PlannedStage {
  /** The HubSpot stage to update in place; absent: it is created. */
  hubspotId?: string;
  /** Older API names of the same Salesforce stage (an API-name edit) that point here too. */
  aliases: string[];
}

export interface PipelineChange {
  key: string;
  label: string;
  /** null: the pipeline is created. */
  pipelineId: string | null;
  /** Every stage dealbridge keeps in the pipeline, in display order. */
  stages: StagePlan[];
  required: string[];
  /** Labels, for the report: stages to create, to rename (`old → new`) and to change otherwise. */
  added: string[];
  renamed: string[];
  changed: string[];
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const EPSILON = 1e-9;

function byOrder(stages: SfStage[]): SfStage[] {
  return [...stages].sort((a, b) => a.SortOrder - b.SortOrder || a.ApiName.localeCompare(b.ApiName));
}

/**
 * The pipelines the org needs: one per active record type (`Salesforce - <name>`, its sales
 * process's stages), `Salesforce - Master` (every active stage) when the org has Master
 * opportunities, and whatever was provisioned before or is demanded now (an inactive record
 * type's opportunities keep their pipeline). An org without active record types has one pipeline.
 */
export function wantedPipelines(
  meta: SalesforceMetadata,
  opts: { hasMaster: boolean; previous?: StoredStageMap; demand?: StageDemand },
): WantedPipeline[] {
  const active = byOrder(meta.stages.filter((s) => s.IsActive)).map((s) => s.ApiName);
  const known = new Set(meta.stages.map((s) => s.ApiName));
  const previous = new Set(Object.keys(opts.previous?.map ?? {}));
  const demanded = (key: string) => [...(opts.demand?.get(key) ?? [])].filter((s) => known.has(s));
  const want = (key: string, label: string, required: string[]): WantedPipeline => ({
    key,
    label,
    required,
    extra: demanded(key).filter((s) => !required.includes(s)),
  });
  const activeTypes = meta.recordTypes.filter((r) => r.IsActive);
  if (activeTypes.length === 0 && ![...previous].some((k) => k !== 'default'))
    return [want('default', DEFAULT_PIPELINE_LABEL, active)];
  const out: WantedPipeline[] = [];
  const sorted = [...meta.recordTypes].sort(
    (a, b) => a.Name.localeCompare(b.Name) || a.Id.localeCompare(b.Id),
  );
  for (const r of sorted) {
    if (!r.IsActive && !previous.has(r.Id) && demanded(r.Id).length === 0) continue;
    const process = meta.processes.get(r.Id);
    out.push(want(r.Id, `Salesforce - ${r.Name}`, process ? [...process] : r.IsActive ? active : []));
  }
  if (opts.hasMaster || previous.has('default') || demanded('default').length > 0)
    out.push(want('default', MASTER_PIPELINE_LABEL, active));
  return out;
}

/** The HubSpot pipeline that holds a key: the one its stored targets point at, else by label. */
function pipelineOf(
  key: string,
  label: string,
  previous: StoredStageMap | undefined,
  existing: HsPipeline[],
): HsPipeline | undefined {
  for (const t of Object.values(previous?.map[key] ?? {})) {
    const p = existing.find((e) => e.id === t.pipelineId);
    if (p) return p;
  }
  return existing.find((e) => same(e.label, label));
}

function differs(hs: HsPipelineStage, s: PlannedStage): boolean {
  return (
    hs.displayOrder !== s.displayOrder ||
    hs.isClosed !== s.isClosed ||
    Math.abs(hs.probability - s.probability) > EPSILON
  );
}

/** How each wanted pipeline gets from what HubSpot has to what Salesforce says. */
export function reconcilePipelines(
  meta: SalesforceMetadata,
  wanted: WantedPipeline[],
  existing: HsPipeline[],
  previous: StoredStageMap | undefined,
): PipelineChange[] {
  const sfByApi = new Map(meta.stages.map((s) => [s.ApiName, s]));
  const changes: PipelineChange[] = [];
  for (const w of wanted) {
    const pipeline = pipelineOf(w.key, w.label, previous, existing);
    const hsById = new Map((pipeline?.stages ?? []).map((s) => [s.id, s]));
    const before = new Map<string, StageTarget>(Object.entries(previous?.map[w.key] ?? {}));
    const live = (t: StageTarget | undefined) =>
      t !== undefined && pipeline !== undefined && t.pipelineId === pipeline.id && hsById.has(t.stageId);
    // HubSpot stages already holding a Salesforce stage of this key: never matched by label to another.
    const held = new Set([...before.values()].filter(live).map((t) => t.stageId));
    const apis = byOrder(
      [...new Set([...w.required, ...w.extra])].flatMap((a) => {
        const s = sfByApi.get(a);
        return s ? [s] : [];
      }),
    );
    const plans = new Map<string, StagePlan>(); // by API name
    const claimed = new Map<string, StagePlan>(); // by HubSpot stage id
    const claim = (sf: SfStage, hubspotId: string | undefined, aliases: string[] = []) => {
      const plan: StagePlan = { ...plannedStage(sf), aliases, ...(hubspotId ? { hubspotId } : {}) };
      plans.set(sf.ApiName, plan);
      if (hubspotId) claimed.set(hubspotId, plan);
    };
    // 1. By what was remembered: the same API name, or an older API name of the same row.
    for (const sf of apis) {
      const t = before.get(sf.ApiName);
      if (live(t) && !claimed.has(t!.stageId)) {
        claim(sf, t!.stageId);
        continue;
      }
      const renamed = [...before].find(
        ([old, ot]) =>
          old !== sf.ApiName &&
          !sfByApi.has(old) &&
          previous?.stageIds?.[old] === sf.Id &&
          live(ot) &&
          !claimed.has(ot.stageId),
      );
      if (renamed) claim(sf, renamed[1].stageId, [renamed[0]]);
    }
    // 2. By label, for stages seen for the first time (a pipeline made before, or by hand).
    for (const sf of apis) {
      if (plans.has(sf.ApiName)) continue;
      const hs = pipeline?.stages.find(
        (h) => same(h.label, sf.MasterLabel) && !claimed.has(h.id) && !held.has(h.id),
      );
      claim(sf, hs?.id);
    }
    // 3. What was mapped before and is no longer wanted (deactivated, dropped from the process,
    //    its API name edited) keeps its HubSpot stage for the deals in it.
    const kept: StagePlan[] = [];
    for (const [api, t] of before) {
      if (plans.has(api) || !live(t)) continue;
      const owner = claimed.get(t.stageId);
      if (owner) {
        if (!owner.aliases.includes(api)) owner.aliases.push(api);
        continue;
      }
      const sf = sfByApi.get(api);
      const hs = hsById.get(t.stageId)!;
      const plan: StagePlan = sf
        ? { ...plannedStage(sf), hubspotId: hs.id, aliases: [] }
        : {
            sfStage: api,
            label: hs.label,
            displayOrder: hs.displayOrder,
            probability: hs.probability,
            isClosed: hs.isClosed,
            hubspotId: hs.id,
            aliases: [],
          };
      claimed.set(hs.id, plan);
      kept.push(plan);
    }
    const stages = [...plans.values(), ...kept].sort(
      (a, b) => a.displayOrder - b.displayOrder || a.sfStage.localeCompare(b.sfStage),
    );
    const change: PipelineChange = {
      key: w.key,
      label: w.label,
      pipelineId: pipeline?.id ?? null,
      stages,
      required: w.required.filter((a) => sfByApi.has(a)),
      added: [],
      renamed: [],
      changed: [],
    };
    for (const s of stages) {
      const hs = s.hubspotId ? hsById.get(s.hubspotId) : undefined;
      if (!hs) change.added.push(s.label);
      else if (hs.label !== s.label) change.renamed.push(`${hs.label} → ${s.label}`);
      else if (differs(hs, s)) change.changed.push(s.label);
    }
    changes.push(change);
  }
  return changes;
}

/** Whether applying the change calls HubSpot at all. */
export function needsWrite(change: PipelineChange, existing: HsPipeline[]): boolean {
  if (change.pipelineId === null) return true;
  const p = existing.find((e) => e.id === change.pipelineId);
  return (
    p?.label !== change.label ||
    change.added.length > 0 ||
    change.renamed.length > 0 ||
    change.changed.length > 0
  );
}

/** Stage API name → HubSpot target, once the pipeline exists as `result` (created or updated). */
export function targetsAfter(change: PipelineChange, result: HsPipeline): Record<string, StageTarget> {
  const out: Record<string, StageTarget> = {};
  for (const s of change.stages) {
    const hs =
      (s.hubspotId !== undefined ? result.stages.find((h) => h.id === s.hubspotId) : undefined) ??
      result.stages.find((h) => same(h.label, s.label));
    if (!hs) continue;
    for (const api of [s.sfStage, ...s.aliases]) out[api] = { pipelineId: result.id, stageId: hs.id };
  }
  return out;
}
