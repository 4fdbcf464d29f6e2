// What `dealbridge setup` should create or change on HubSpot, decided from what both sides have:
// pipelines and stages (DESIGN §2.5), the stage map and its won/lost invariant, the owner map,
// the default Type → dealtype map. Pure: the engine's setup does the calls.
import type { HsOwner, HsPipeline, HsPipelineStage } from '../../domain/hubspot.js';
import type { SfStage, SfUser } from '../../domain/salesforce.js';
import type { StageMap } from '../mapping/types.js';

export interface PlannedStage {
  /** Salesforce stage API name. */
  sfStage: string;
  label: string;
  displayOrder: number;
  /** 0.0–1.0: won stages 1.0, lost stages 0.0, open ones DefaultProbability / 100. */
  probability: number;
  isClosed: boolean;
}

export const DEFAULT_PIPELINE_LABEL = 'Salesforce - Default pipeline';
/** Opportunities of the Master record type (RecordTypeId null) in an org that has record types. */
export const MASTER_PIPELINE_LABEL = 'Salesforce - Master';

/** Stage-map key of a record type (or of the single pipeline). */
export const stageMapKey = (recordTypeId: string | null) => recordTypeId ?? 'default';

const EPSILON = 1e-9;

/** A Salesforce stage as its HubSpot stage should be: won 1.0, lost 0.0, open DefaultProbability / 100. */
export function plannedStage(s: SfStage): PlannedStage {
  return {
    sfStage: s.ApiName,
    label: s.MasterLabel,
    displayOrder: s.SortOrder,
    probability: s.IsWon
      ? 1
      : s.IsClosed
        ? 0
        : Math.min(1, Math.max(0, Math.round(s.DefaultProbability) / 100)),
    isClosed: s.IsClosed,
  };
}

/** The active stages in Salesforce order, with the probabilities the won/lost invariant demands. */
export function plannedStages(stages: SfStage[]): PlannedStage[] {
  return [...stages]
    .filter((s) => s.IsActive)
    .sort((a, b) => a.SortOrder - b.SortOrder || a.ApiName.localeCompare(b.ApiName))
    .map(plannedStage);
}

/** Labels of the stage map's pipelines by stage-map key, for messages (MappingContext.pipelineLabels). */
export function pipelineLabelsOf(map: StageMap, pipelines: HsPipeline[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const [key, targets] of map) {
    const first = targets.values().next();
    const p = first.done ? undefined : pipelines.find((x) => x.id === first.value.pipelineId);
    if (p) labels.set(key, p.label);
  }
  return labels;
}

function invariantProblem(sf: SfStage, hs: HsPipelineStage): string | null {
  const got = `HubSpot stage "${hs.label}" is ${hs.isClosed ? 'closed' : 'open'} with probability ${hs.probability}`;
  if (sf.IsWon) {
    return hs.isClosed && Math.abs(hs.probability - 1) <= EPSILON
      ? null
      : `won stage "${sf.MasterLabel}" must map to a closed stage with probability 1.0; ${got}`;
  }
  if (sf.IsClosed) {
    return hs.isClosed && Math.abs(hs.probability) <= EPSILON
      ? null
      : `lost stage "${sf.MasterLabel}" must map to a closed stage with probability 0.0; ${got}`;
  }
  return hs.isClosed ? `open stage "${sf.MasterLabel}" must map to an open stage; ${got}` : null;
}

/**
 * Checks a stage map (made by setup or by the user) against what exists: every active stage a
 * key must hold mapped (its sales process's, as `required` remembers them; else every active
 * stage), targets that exist, and the won/lost invariant.
 */
export function validateStageMap(
  map: StageMap,
  stages: SfStage[],
  pipelines: HsPipeline[],
  required?: Readonly<Record<string, readonly string[]>>,
): { recordType: string; stage: string; problem: string }[] {
  const problems: { recordType: string; stage: string; problem: string }[] = [];
  if (map.size === 0) problems.push({ recordType: '*', stage: '*', problem: 'the stage map is empty' });
  const active = stages.filter((s) => s.IsActive);
  for (const [recordType, targets] of map) {
    const needed = required?.[recordType];
    for (const sf of active.filter((s) => !needed || needed.includes(s.ApiName))) {
      const t = targets.get(sf.ApiName);
      if (!t) {
        problems.push({
          recordType,
          stage: sf.ApiName,
          problem: `stage "${sf.MasterLabel}" is not mapped to a HubSpot stage`,
        });
        continue;
      }
      const pipeline = pipelines.find((p) => p.id === t.pipelineId);
      const hs = pipeline?.stages.find((s) => s.id === t.stageId);
      if (!pipeline || !hs) {
        problems.push({
          recordType,
          stage: sf.ApiName,
          problem: pipeline
            ? `HubSpot stage ${t.stageId} does not exist in pipeline "${pipeline.label}"`
            : `HubSpot pipeline ${t.pipelineId} does not exist`,
        });
        continue;
      }
      const problem = invariantProblem(sf, hs);
      if (problem) problems.push({ recordType, stage: sf.ApiName, problem });
    }
  }
  return problems;
}

/**
 * Salesforce users ↔ HubSpot owners by email, case-insensitive (DESIGN §2.1). Archived owners are
 * not candidates; inactive Salesforce users are matched too, since their opportunities still sync.
 */
export function matchOwners(
  users: SfUser[],
  owners: HsOwner[],
): { map: Map<string, string>; unmatched: SfUser[] } {
  const byEmail = new Map<string, string>();
  for (const o of owners) {
    const email = o.email.trim().toLowerCase();
    if (!o.archived && email !== '' && !byEmail.has(email)) byEmail.set(email, o.id);
  }
  const map = new Map<string, string>();
  const unmatched: SfUser[] = [];
  for (const u of users) {
    const id = byEmail.get(u.Email.trim().toLowerCase());
    if (id === undefined || u.Email.trim() === '') unmatched.push(u);
    else map.set(u.Id, id);
  }
  return { map, unmatched };
}

/**
 * Salesforce's standard Opportunity Type values → HubSpot's default dealtype options
 * (`newbusiness` "New Business", `existingbusiness` "Existing Business").
 */
export const defaultTypeValueMap: ReadonlyMap<string, string> = new Map([
  ['New Customer', 'newbusiness'],
  ['New Business', 'newbusiness'],
  ['Existing Customer - Upgrade', 'existingbusiness'],
  ['Existing Customer - Replacement', 'existingbusiness'],
  ['Existing Customer - Downgrade', 'existingbusiness'],
  ['Existing Business', 'existingbusiness'],
]);
