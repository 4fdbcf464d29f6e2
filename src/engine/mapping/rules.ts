// The field mappings and their sync rules as the CLI and the web UI list and change them (issue
// #13: `dealbridge mappings list|set`). Stored as one setting (CUSTOM_MAPPINGS_SETTING): a default
// mapping appears there only when its rule is not "Always use Salesforce", a custom one always.
import type { FieldMapping, SyncRule } from './types.js';
import { overridableDefaults } from './deal.js';

/** DESIGN §2.1, in the order the CLI and the settings page list it. */
export const defaultFieldMappings: { salesforceField: string; hubspotProperty: string; note: string }[] = [
  { salesforceField: 'Id', hubspotProperty: 'salesforce_opportunity_id', note: 'identity (upsert key)' },
  { salesforceField: 'Name', hubspotProperty: 'dealname', note: 'required' },
  { salesforceField: 'Amount', hubspotProperty: 'amount', note: 'number; empty clears' },
  { salesforceField: 'CloseDate', hubspotProperty: 'closedate', note: 'midnight UTC of the date' },
  { salesforceField: 'CreatedDate', hubspotProperty: 'createdate', note: 'set on create' },
  { salesforceField: 'StageName', hubspotProperty: 'dealstage', note: 'through the stage map' },
  { salesforceField: 'RecordTypeId', hubspotProperty: 'pipeline', note: 'through the stage map' },
  { salesforceField: 'Type', hubspotProperty: 'dealtype', note: 'picklist → enumeration' },
  { salesforceField: 'Description', hubspotProperty: 'description', note: 'multi-line text' },
  { salesforceField: 'OwnerId', hubspotProperty: 'hubspot_owner_id', note: 'by user email' },
  { salesforceField: 'CurrencyIsoCode', hubspotProperty: 'deal_currency_code', note: 'multi-currency orgs' },
];

/** The rules' names on the command line (issue #13) and in the store. */
export const RULE_NAMES: Readonly<Record<string, SyncRule>> = {
  'prefer-salesforce': 'prefer_salesforce_unless_blank',
  'always-salesforce': 'always_salesforce',
  'two-way': 'two_way',
  none: 'dont_sync',
};

export function ruleName(rule: SyncRule): string {
  return Object.entries(RULE_NAMES).find(([, r]) => r === rule)?.[0] ?? rule;
}

export interface MappingRow {
  hubspotProperty: string;
  salesforceField: string;
  /** The rule's CLI name (`prefer-salesforce`, `always-salesforce`, `two-way`, `none`). */
  rule: string;
  kind: 'default' | 'custom';
  /** Whether `mappings set` may change the rule (identity, stage, pipeline and currency may not). */
  editable: boolean;
  note: string;
}

/** Every mapping with the rule in force, defaults first in DESIGN order, then the custom ones. */
export function listMappings(stored: readonly FieldMapping[]): MappingRow[] {
  const defaults = defaultFieldMappings.map((d) => {
    const own = stored.find((m) => !m.custom && m.hubspotProperty === d.hubspotProperty);
    return {
      hubspotProperty: d.hubspotProperty,
      salesforceField: d.salesforceField,
      rule: ruleName(own?.rule ?? 'always_salesforce'),
      kind: 'default' as const,
      editable: Object.hasOwn(overridableDefaults, d.hubspotProperty),
      note: d.note,
    };
  });
  const custom = stored
    .filter((m) => m.custom)
    .map((m) => ({
      hubspotProperty: m.hubspotProperty,
      salesforceField: m.salesforceField,
      rule: ruleName(m.rule),
      kind: 'custom' as const,
      editable: true,
      note: 'custom mapping',
    }));
  return [...defaults, ...custom];
}

/**
 * The stored list with `property`'s rule set, or why it cannot be: a property that is not a
 * default mapping whose rule may change nor a custom mapping.
 */
export function withRule(
  stored: readonly FieldMapping[],
  property: string,
  rule: SyncRule,
): { ok: true; mappings: FieldMapping[] } | { ok: false; reason: string } {
  const customOne = stored.find((m) => m.custom && m.hubspotProperty === property);
  if (customOne) return { ok: true, mappings: stored.map((m) => (m === customOne ? { ...m, rule } : m)) };
  const salesforceField = overridableDefaults[property];
  if (property === 'dealstage' && rule !== 'two_way' && rule !== 'always_salesforce') {
    return {
      ok: false,
      reason: `"dealstage" (with its pipeline) takes two-way or always-salesforce only: a deal needs a stage, and an opportunity always has one`,
    };
  }
  if (!salesforceField) {
    const fixed = defaultFieldMappings.some((d) => d.hubspotProperty === property);
    const editable = [
      ...Object.keys(overridableDefaults),
      ...stored.filter((m) => m.custom).map((m) => m.hubspotProperty),
    ];
    return {
      ok: false,
      reason: fixed
        ? `"${property}" is written by the default mapping with a fixed rule (identity, stage, pipeline, currency and create date stay one-way); the rules that can change: ${editable.join(', ')}`
        : `"${property}" is not mapped; map it first (the web UI's field mappings), or set one of: ${editable.join(', ')}`,
    };
  }
  const rest = stored.filter((m) => m.custom || m.hubspotProperty !== property);
  return {
    ok: true,
    mappings:
      rule === 'always_salesforce'
        ? rest
        : [...rest, { salesforceField, hubspotProperty: property, rule, custom: false }],
  };
}
