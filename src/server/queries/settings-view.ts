// The "Salesforce integration settings" page as data: the settings, the stage map per record type
// with each row's won/lost-invariant problem (the engine's own validateStageMap), the pipelines to
// choose from, field mappings (defaults with their rules, custom ones), the owner map with the
// unmatched users, and the API budgets. Reads the store and the cached remote facts only.
import {
  CUSTOM_MAPPINGS_SETTING,
  OWNER_MAP_SETTING,
  SETUP_DONE_SETTING,
  STAGE_MAP_SETTING,
  stageMapFromJson,
  type StoredStageMap,
} from '../../engine/mapping/sync-context.js';
import { overridableDefaults, protectedProperties } from '../../engine/mapping/deal.js';
import type { FieldMapping, SyncRule } from '../../engine/mapping/types.js';
import { readSettings, type Settings } from '../../engine/user-settings.js';
import { validateStageMap } from '../../engine/setup/plan.js';
import type { ServerContext } from '../context.js';
import { defaultFieldMappings } from '../../engine/mapping/rules.js';

export const HUBSPOT_ALLOCATION_SETTING = 'budget.hubspotDailyAllocation';

export interface StageRow {
  apiName: string;
  label: string;
  kind: 'open' | 'won' | 'lost';
  pipelineId: string | null;
  stageId: string | null;
  problem: string | null;
}

export interface SettingsView {
  settings: Settings;
  setupCompletedAt: string | null;
  stageMap: {
    source: 'setup' | 'user' | 'none';
    recordTypes: { key: string; name: string; rows: StageRow[] }[];
    problems: number;
  };
  pipelines: {
    id: string;
    label: string;
    stages: { id: string; label: string; isClosed: boolean; probability: number }[];
  }[];
  fieldMappings: {
    defaults: {
      salesforceField: string;
      hubspotProperty: string;
      note: string;
      rule: SyncRule;
      ruleEditable: boolean;
    }[];
    custom: FieldMapping[];
    salesforceFields: { name: string; label: string; type: string }[];
    hubspotProperties: { name: string; label: string; type: string; readOnly: boolean }[];
  };
  owners: {
    matched: { userId: string; name: string; email: string; ownerId: string; ownerEmail: string }[];
    unmatched: { userId: string; name: string; email: string }[];
    hubspotOwners: { id: string; name: string; email: string }[];
  };
  budgets: {
    salesforceBudgetPercent: number;
    salesforceUsage: { used: number; max: number } | null;
    hubspotDailyAllocation: number | null;
    hubspotDailyMax: number | null;
  };
}

/**
 * HubSpot calls per day dealbridge may use: the UI's setting, else the configuration's
 * `sync.hubspotDailyAllocation`, else none (paced by the rate-limit headers only).
 */
export async function hubspotAllocation(ctx: ServerContext): Promise<number | null> {
  return (
    (await ctx.runtime.store.getSetting<number | null>(HUBSPOT_ALLOCATION_SETTING)) ??
    ctx.runtime.config.hubspotDailyAllocation ??
    null
  );
}

export async function settingsView(ctx: ServerContext): Promise<SettingsView> {
  const { store } = ctx.runtime;
  const facts = await ctx.facts.get();
  const settings = await readSettings(store);
  const stored = await store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
  const ownerMap = (await store.getSetting<Record<string, string>>(OWNER_MAP_SETTING)) ?? {};
  const custom = (await store.getSetting<FieldMapping[]>(CUSTOM_MAPPINGS_SETTING)) ?? [];

  const active = [...facts.stages].filter((s) => s.IsActive).sort((a, b) => a.SortOrder - b.SortOrder);
  const problems = stored
    ? validateStageMap(stageMapFromJson(stored.map), facts.stages, facts.pipelines, stored.required)
    : [];
  const problemOf = (rt: string, stage: string) =>
    problems.find((p) => p.recordType === rt && p.stage === stage)?.problem ?? null;
  const rtName = (key: string) =>
    key === 'default'
      ? 'Default (opportunities without a record type)'
      : (facts.recordTypes.find((r) => r.Id === key)?.Name ?? key);
  const keys = Object.keys(stored?.map ?? {});
  const recordTypes = keys.map((key) => ({
    key,
    name: rtName(key),
    // A record type's rows are its sales process's stages, as setup last provisioned them.
    rows: active
      .filter((s) => !stored?.required?.[key] || stored.required[key]!.includes(s.ApiName))
      .map((s): StageRow => {
        const t = stored?.map[key]?.[s.ApiName];
        return {
          apiName: s.ApiName,
          label: s.MasterLabel,
          kind: s.IsWon ? 'won' : s.IsClosed ? 'lost' : 'open',
          pipelineId: t?.pipelineId ?? null,
          stageId: t?.stageId ?? null,
          problem: problemOf(key, s.ApiName),
        };
      }),
  }));

  const ownerById = new Map(facts.owners.map((o) => [o.id, o]));
  const matched = [];
  const unmatched = [];
  for (const u of facts.users) {
    const ownerId = ownerMap[u.Id];
    if (ownerId) {
      matched.push({
        userId: u.Id,
        name: u.Name,
        email: u.Email,
        ownerId,
        ownerEmail: ownerById.get(ownerId)?.email ?? '',
      });
    } else unmatched.push({ userId: u.Id, name: u.Name, email: u.Email });
  }

  const hs = await ctx.runtime.hubspot();
  const sf = await ctx.runtime.salesforce();
  const sfUsage = sf.usage();
  const hsUsage = hs.usage();
  const ruleOf = (p: string): SyncRule =>
    custom.find((m) => !m.custom && m.hubspotProperty === p)?.rule ?? 'always_salesforce';
  return {
    settings,
    setupCompletedAt: (await store.getSetting<string>(SETUP_DONE_SETTING)) ?? null,
    stageMap: {
      source: stored?.source ?? 'none',
      recordTypes,
      problems: problems.length,
    },
    pipelines: facts.pipelines.map((p) => ({
      id: p.id,
      label: p.label,
      stages: [...p.stages]
        .sort((a, b) => a.displayOrder - b.displayOrder)
        .map((s) => ({ id: s.id, label: s.label, isClosed: s.isClosed, probability: s.probability })),
    })),
    fieldMappings: {
      defaults: defaultFieldMappings.map((d) => ({
        ...d,
        rule: ruleOf(d.hubspotProperty),
        ruleEditable: Object.hasOwn(overridableDefaults, d.hubspotProperty),
      })),
      custom: custom.filter((m) => m.custom),
      salesforceFields: facts.opportunityFields
        .map((f) => ({ name: f.name, label: f.label, type: f.type }))
        .sort((a, b) => a.label.localeCompare(b.label)),
      hubspotProperties: facts.dealProperties
        .filter((p) => !protectedProperties.has(p.name))
        .map((p) => ({ name: p.name, label: p.label, type: p.type, readOnly: p.readOnlyValue === true }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    },
    owners: {
      matched,
      unmatched,
      hubspotOwners: facts.owners
        .filter((o) => !o.archived)
        .map((o) => ({
          id: o.id,
          name: [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email,
          email: o.email,
        })),
    },
    budgets: {
      salesforceBudgetPercent: settings.salesforceBudgetPercent,
      salesforceUsage: sfUsage ? { used: sfUsage.used, max: sfUsage.max } : null,
      hubspotDailyAllocation: await hubspotAllocation(ctx),
      hubspotDailyMax: hsUsage.dailyMax ?? null,
    },
  };
}
