// What a pass needs besides the records: the mapping context (stage map and owner map saved by
// setup, portal currencies, deal property definitions) and a few facts about the HubSpot schema.
// Built once and reused for a while: reading it costs four API calls, a pass should cost none.
import type { HsPipeline, HsPropertyDefinition } from '../../domain/hubspot.js';
import { DealbridgeError } from '../../errors/index.js';
import type { FieldMapping, MappingContext, StageMap, StageTarget } from './types.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import { defaultTypeValueMap, pipelineLabelsOf } from '../setup/plan.js';
import type { Settings } from '../user-settings.js';
import type { StateStore } from '../ports/store.js';

export const STAGE_MAP_SETTING = 'setup.stageMap';
export const OWNER_MAP_SETTING = 'setup.ownerMap';
export const CUSTOM_MAPPINGS_SETTING = 'mapping.customMappings';
export const SETUP_DONE_SETTING = 'setup.completedAt';

/** The stage map as JSON: record-type key → Salesforce stage API name → HubSpot target. */
export interface StoredStageMap {
  /** 'setup': derived from the pipelines setup created; 'user': configured, only validated. */
  source: 'setup' | 'user';
  map: Record<string, Record<string, StageTarget>>;
  /**
   * Key → the stage API names its pipeline must hold (its sales process's active stages when they
   * were last provisioned). Absent: every active stage, as for a map the user made.
   */
  required?: Record<string, string[]>;
  /** Stage API name → OpportunityStage Id: an API-name edit keeps the row, so it keeps its stage. */
  stageIds?: Record<string, string>;
  /** The Salesforce metadata (record types, stages, sales processes) the map was provisioned from. */
  fingerprint?: string;
}

export function stageMapToJson(map: StageMap): Record<string, Record<string, StageTarget>> {
  const out: Record<string, Record<string, StageTarget>> = {};
  for (const [rt, stages] of map) out[rt] = Object.fromEntries(stages);
  return out;
}

export function stageMapFromJson(json: Record<string, Record<string, StageTarget>>): StageMap {
  return new Map(Object.entries(json).map(([rt, stages]) => [rt, new Map(Object.entries(stages))]));
}

/** The defaults for Salesforce's standard Type values, with the user's typeValueMap over them. */
export function typeValueMapOf(settings: Pick<Settings, 'typeValueMap'>): Map<string, string> {
  return new Map([...defaultTypeValueMap, ...Object.entries(settings.typeValueMap)]);
}

export interface SyncContext {
  mapping: MappingContext;
  /** Who made the stage map: only one setup made is provisioned further by the sync. */
  stageMapSource: StoredStageMap['source'];
  /**
   * Stages the sync could not provision (key + stage API name → why), so that one refusal (a
   * pipeline limit, say) is not asked again for every batch while this context lives.
   */
  provisionFailures: Map<string, string>;
  /** Custom-mapped Opportunity fields to select along with the standard ones. */
  extraFields: string[];
  /** `salesforce_contact_id` is unique on contacts, so contacts can be batch-read by it. */
  contactIdIsUnique: boolean;
  portalCurrency: string;
  loadedAt: number;
}

export async function loadSyncContext(
  deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
  settings: Settings,
  nowMs: number,
): Promise<SyncContext> {
  const stored = await deps.store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
  const ownerMap = await deps.store.getSetting<Record<string, string>>(OWNER_MAP_SETTING);
  if (!stored || !ownerMap) {
    throw new DealbridgeError(
      'SETUP_REQUIRED',
      'the stage map and owner map are missing: run `dealbridge setup` first',
    );
  }
  const customMappings = (await deps.store.getSetting<FieldMapping[]>(CUSTOM_MAPPINGS_SETTING)) ?? [];

  const [dealProps, contactProps, account, org] = await Promise.all([
    deps.hubspot.properties('deals'),
    deps.hubspot.properties('contacts'),
    deps.hubspot.accountInfo(),
    deps.salesforce.orgInfo(),
  ]);
  const idProp = dealProps.find((p) => p.name === 'salesforce_opportunity_id');
  if (!idProp?.hasUniqueValue) {
    throw new DealbridgeError(
      'SETUP_REQUIRED',
      'the unique deal property salesforce_opportunity_id is missing: run `dealbridge setup`',
      { field: 'salesforce_opportunity_id' },
    );
  }
  const dealType = dealProps.find((p) => p.name === 'dealtype');
  const mapping: MappingContext = {
    ownerByUserId: new Map(Object.entries(ownerMap)),
    fallbackOwnerId: settings.fallbackOwnerId,
    stageMap: stageMapFromJson(stored.map),
    // A map setup made has a key per record type; falling back to `default` (the Master pipeline)
    // would put a record type's deals in the wrong pipeline, half-mapped.
    recordTypeKeysOnly: stored.source === 'setup',
    multiCurrency: org.multiCurrency,
    enabledCurrencies: new Set(account.currencies.map((c) => c.toUpperCase())),
    dealTypeOptions: new Set((dealType?.options ?? []).map((o) => o.value)),
    typeValueMap: typeValueMapOf(settings),
    customMappings,
    hubspotProperties: new Map<string, HsPropertyDefinition>(dealProps.map((p) => [p.name, p])),
  };
  return {
    mapping,
    stageMapSource: stored.source,
    provisionFailures: new Map(),
    extraFields: customMappings
      .filter((m) => m.custom && m.rule !== 'dont_sync')
      .map((m) => m.salesforceField),
    contactIdIsUnique: contactProps.some(
      (p) => p.name === 'salesforce_contact_id' && p.hasUniqueValue === true,
    ),
    portalCurrency: account.companyCurrency,
    loadedAt: nowMs,
  };
}

/** Puts a stage map that setup or the sync just provisioned to use in a live context. */
export function adoptStageMap(ctx: SyncContext, stored: StoredStageMap, pipelines: HsPipeline[]): void {
  ctx.stageMapSource = stored.source;
  ctx.mapping.stageMap = stageMapFromJson(stored.map);
  ctx.mapping.recordTypeKeysOnly = stored.source === 'setup';
  ctx.mapping.pipelineLabels = pipelineLabelsOf(ctx.mapping.stageMap, pipelines);
}

/**
 * Settings may change between passes (the CLI in another process, the UI) without a reload of the
 * rest of the context: the fallback owner, the Type value map and the field mappings' rules.
 */
export async function refreshFromSettings(
  store: StateStore,
  mapping: MappingContext,
  settings: Settings,
): Promise<void> {
  mapping.fallbackOwnerId = settings.fallbackOwnerId;
  mapping.typeValueMap = typeValueMapOf(settings);
  mapping.customMappings = (await store.getSetting<FieldMapping[]>(CUSTOM_MAPPINGS_SETTING)) ?? [];
}
