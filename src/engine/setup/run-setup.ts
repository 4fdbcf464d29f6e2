// `dealbridge setup`: creates on HubSpot what the sync needs and saves the maps the sync reads.
// Idempotent: every step looks first and creates or updates only what is missing or different,
// so running it twice changes nothing the second time (the report says "exists" everywhere).
import type { HsObjectType, HsPipeline, HsPropertyDefinition } from '../../domain/hubspot.js';
import type { SfUser } from '../../domain/salesforce.js';
import {
  CUSTOM_MAPPINGS_SETTING,
  SETUP_DONE_SETTING,
  STAGE_MAP_SETTING,
  stageMapFromJson,
  typeValueMapOf,
  type StoredStageMap,
} from '../mapping/sync-context.js';
import type { FieldMapping } from '../mapping/types.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import { defaultRollupPropertyNames, type RollupPropertyNames } from '../rollups/index.js';
import { readSettings, type PropertyLabelLanguage } from '../user-settings.js';
import { checkDealtypeOptions, type DealtypeOptionsReport } from './dealtype-options.js';
import { refreshOwnerMap, sharedOwners, type SharedOwner } from './owners.js';
import { METADATA_CHECKED_SETTING, readSalesforceMetadata } from './metadata.js';
import { validateStageMap } from './plan.js';
import { provisionPipelines } from './provision.js';
import { propertyLabels, relabelTo, type LabelledProperty } from './property-labels.js';
import type { StateStore } from '../ports/store.js';

/** The group's name; its label follows the `language` setting (property-labels.ts). */
export const PROPERTY_GROUP = { name: 'salesforce_opportunity_sync', label: propertyLabels.en.group };
export const ROLLUP_NAMES_SETTING = 'rollups.propertyNames';
/**
 * The org's corporate currency, as setup last read it: the currency of every amount of a
 * single-currency org (no CurrencyIsoCode), for showing amounts as money (the Records page).
 */
export const CORPORATE_CURRENCY_SETTING = 'salesforce.corporateCurrency';

export type StepStatus = 'created' | 'updated' | 'exists' | 'problem';

export interface SetupReport {
  ok: boolean;
  properties: {
    objectType: HsObjectType;
    name: string;
    status: StepStatus;
    problem?: string;
    /** Set when this run changed the label (the `language` setting changed since it was made). */
    label?: string;
  }[];
  pipelines: { label: string; id: string | null; status: StepStatus }[];
  stageMap: { source: 'setup' | 'user'; problems: { recordType: string; stage: string; problem: string }[] };
  owners: {
    matched: number;
    unmatched: { id: string; email: string; name: string }[];
    /** HubSpot owners several Salesforce users map to (a warning: their deals share one owner). */
    shared: SharedOwner[];
  };
  /** Type picklist values without a dealtype option, and those added (--add-dealtype-options). */
  dealtype: DealtypeOptionsReport;
  currency: {
    multiCurrency: boolean;
    portalCurrency: string;
    corporateCurrency: string;
    notEnabled: string[];
    problem: string | null;
  };
  problems: string[];
  /** Worth knowing, nothing blocks the sync (setup still exits 0). */
  warnings: string[];
}

type Def = Omit<HsPropertyDefinition, 'readOnlyValue' | 'groupName'> & { key: LabelledProperty };

function requiredProperties(
  names: RollupPropertyNames,
  language: PropertyLabelLanguage,
): Record<HsObjectType, Def[]> {
  const labels = propertyLabels[language];
  const def = (key: LabelledProperty, d: Omit<Def, 'key' | 'label'>): Def => ({
    key,
    label: labels[key],
    ...d,
  });
  const rollups: Def[] = [
    def('numAssociatedDeals', { name: names.numAssociatedDeals, type: 'number', fieldType: 'number' }),
    def('firstDealCreatedDate', { name: names.firstDealCreatedDate, type: 'datetime', fieldType: 'date' }),
    def('recentDealCloseDate', { name: names.recentDealCloseDate, type: 'date', fieldType: 'date' }),
    def('recentDealAmount', { name: names.recentDealAmount, type: 'number', fieldType: 'number' }),
    def('totalRevenue', { name: names.totalRevenue, type: 'number', fieldType: 'number' }),
  ];
  return {
    deals: [
      {
        key: 'salesforceOpportunityId',
        name: 'salesforce_opportunity_id',
        label: labels.salesforceOpportunityId,
        type: 'string',
        fieldType: 'text',
        hasUniqueValue: true,
      },
    ],
    // Unique, so the sync can batch-read contacts by it (HubSpot only batch-reads by unique values).
    contacts: [
      {
        key: 'salesforceContactId',
        name: 'salesforce_contact_id',
        label: labels.salesforceContactId,
        type: 'string',
        fieldType: 'text',
        hasUniqueValue: true,
      },
      ...rollups,
    ],
    companies: [
      {
        key: 'salesforceAccountId',
        name: 'salesforce_account_id',
        label: labels.salesforceAccountId,
        type: 'string',
        fieldType: 'text',
        hasUniqueValue: true,
      },
      ...rollups,
    ],
  };
}

export async function runSetup(deps: {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  now?: () => Date;
  /** Rollup property names from the configuration; the store's setting overrides them. */
  rollupNames?: Partial<RollupPropertyNames>;
  /** Add the Type values HubSpot's dealtype has no option for as options (--add-dealtype-options). */
  addDealtypeOptions?: boolean;
}): Promise<SetupReport> {
  const { salesforce, hubspot, store } = deps;
  const problems: string[] = [];
  const warnings: string[] = [];
  const report: SetupReport = {
    ok: true,
    properties: [],
    pipelines: [],
    stageMap: { source: 'setup', problems: [] },
    owners: { matched: 0, unmatched: [], shared: [] },
    dealtype: { missing: [], added: [] },
    currency: {
      multiCurrency: false,
      portalCurrency: '',
      corporateCurrency: '',
      notEnabled: [],
      problem: null,
    },
    problems,
    warnings,
  };

  // Properties, in our group, on the three objects.
  const names = {
    ...defaultRollupPropertyNames,
    ...deps.rollupNames,
    ...(await store.getSetting<Partial<RollupPropertyNames>>(ROLLUP_NAMES_SETTING)),
  };
  const { language } = await readSettings(store);
  const required = requiredProperties(names, language);
  for (const [objectType, defs] of Object.entries(required) as [HsObjectType, Def[]][]) {
    await hubspot.ensurePropertyGroup(
      objectType,
      PROPERTY_GROUP.name,
      propertyLabels[language].group,
      Object.values(propertyLabels).map((l) => l.group),
    );
    const existing = new Map((await hubspot.properties(objectType)).map((p) => [p.name, p]));
    for (const { key, ...def } of defs) {
      const found = existing.get(def.name);
      if (!found) {
        await hubspot.createProperty(objectType, { ...def, groupName: PROPERTY_GROUP.name });
        report.properties.push({ objectType, name: def.name, status: 'created' });
        continue;
      }
      const problem =
        found.type !== def.type
          ? `${objectType}.${def.name} exists with type ${found.type}, expected ${def.type}`
          : def.hasUniqueValue && !found.hasUniqueValue && objectType !== 'contacts'
            ? `${objectType}.${def.name} exists but is not unique; delete it and run setup again`
            : undefined;
      if (problem) problems.push(problem);
      // The language setting changed since setup made it: its label follows (a label someone
      // gave it in HubSpot is left alone).
      const label = problem ? null : relabelTo(found.label, key, language);
      if (label) await hubspot.setPropertyLabel(objectType, def.name, label);
      report.properties.push({
        objectType,
        name: def.name,
        status: problem ? 'problem' : label ? 'updated' : 'exists',
        ...(problem ? { problem } : {}),
        ...(label ? { label } : {}),
      });
    }
  }

  // Pipelines and the stage map.
  const stored = await store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
  const [meta, org, account] = await Promise.all([
    readSalesforceMetadata(salesforce, Object.keys(stored?.map ?? {})),
    salesforce.orgInfo(),
    hubspot.accountInfo(),
  ]);
  const stages = meta.stages;
  let pipelines: HsPipeline[];
  if (stored?.source === 'user') {
    report.stageMap.source = 'user';
    pipelines = await hubspot.dealPipelines();
  } else {
    // `Salesforce - Master` only where Master opportunities exist (one row read): HubSpot counts
    // pipelines against the portal's limit, and the sync creates it when the first one appears.
    const hasMaster = meta.recordTypes.some((r) => r.IsActive) && (await salesforce.hasMasterOpportunities());
    const result = await provisionPipelines({ hubspot, store }, { meta, hasMaster, previous: stored });
    report.pipelines = result.pipelines;
    pipelines = result.pipelinesNow;
    // The sync's metadata check counts from here: setup has just read it all.
    await store.setSetting(METADATA_CHECKED_SETTING, (deps.now?.() ?? new Date()).toISOString());
  }
  const current = await store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
  report.stageMap.problems = current
    ? validateStageMap(stageMapFromJson(current.map), stages, pipelines, current.required)
    : [{ recordType: '*', stage: '*', problem: 'no stage map' }];
  for (const p of report.stageMap.problems) {
    problems.push(`PIPELINE_INVARIANT_VIOLATED: record type ${p.recordType}, stage ${p.stage}: ${p.problem}`);
  }

  // Owners: Salesforce users ↔ HubSpot owners by email.
  report.owners = await ownerStep(deps, warnings);

  // Currency: every org currency in use must be enabled in the portal (multi-currency), or the
  // single corporate currency should be the portal's.
  report.currency.multiCurrency = org.multiCurrency;
  report.currency.portalCurrency = account.companyCurrency;
  report.currency.corporateCurrency = org.corporateCurrency;
  const enabled = new Set(account.currencies.map((c) => c.toUpperCase()));
  if (org.multiCurrency) {
    const rates = await salesforce.currencyRates();
    const used = new Set([org.corporateCurrency, ...rates.map((r) => r.IsoCode)].map((c) => c.toUpperCase()));
    report.currency.notEnabled = [...used].filter((c) => !enabled.has(c)).sort();
    if (report.currency.notEnabled.length > 0) {
      report.currency.problem = `currencies not enabled in HubSpot: ${report.currency.notEnabled.join(', ')} (their deals fail with CURRENCY_NOT_ENABLED)`;
    }
  } else if (org.corporateCurrency.toUpperCase() !== account.companyCurrency.toUpperCase()) {
    report.currency.problem = `Salesforce's currency ${org.corporateCurrency} differs from HubSpot's company currency ${account.companyCurrency}: amounts are written as they are`;
  }
  if (report.currency.problem) problems.push(report.currency.problem);

  report.dealtype = await dealtypeStep(deps, warnings);

  if ((await store.getSetting<FieldMapping[]>(CUSTOM_MAPPINGS_SETTING)) === undefined) {
    await store.setSetting(CUSTOM_MAPPINGS_SETTING, []);
  }
  const now = (deps.now?.() ?? new Date()).toISOString();
  // Records that failed for want of a stage or an owner may sync now: retry them on the next pass.
  const fixable = [
    ...(await store.listErrors({ code: 'STAGE_NOT_MAPPED' })),
    ...(await store.listErrors({ code: 'OWNER_NOT_FOUND' })),
  ].map((e) => e.recordKey);
  if (fixable.length > 0) await store.scheduleRetryNow(fixable, now);
  await store.setSetting(CORPORATE_CURRENCY_SETTING, org.corporateCurrency);
  await store.setSetting(SETUP_DONE_SETTING, now);
  report.ok = report.properties.every((p) => p.status !== 'problem') && report.stageMap.problems.length === 0;
  return report;
}

/** The owner map, read again and saved; several users on one owner is a warning. */
async function ownerStep(
  deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
  warnings: string[],
): Promise<SetupReport['owners']> {
  const owner = await refreshOwnerMap(deps);
  const shared = sharedOwners(owner.map, owner.users);
  for (const s of shared)
    warnings.push(
      `HubSpot owner ${s.ownerId} is the owner of ${s.users.length} Salesforce users (${s.users.map((u) => `${u.name} <${u.email}> ${u.id}`).join(', ')}): their deals all get this owner`,
    );
  return {
    matched: owner.map.size,
    unmatched: owner.unmatched.map((u: SfUser) => ({ id: u.Id, email: u.Email, name: u.Name })),
    shared,
  };
}

/** Type values without a dealtype option: listed as a warning, or added when asked. */
async function dealtypeStep(
  deps: Parameters<typeof runSetup>[0],
  warnings: string[],
): Promise<DealtypeOptionsReport> {
  const settings = await readSettings(deps.store);
  const result = await checkDealtypeOptions(deps, typeValueMapOf(settings), {
    add: deps.addDealtypeOptions ?? false,
    now: (deps.now?.() ?? new Date()).toISOString(),
  });
  if (result.missing.length > 0)
    warnings.push(
      `Type values without a HubSpot dealtype option (their deals sync without dealtype, INVALID_PICKLIST): ${result.missing.join(', ')}; add them with \`dealbridge setup --add-dealtype-options\` or map them with \`dealbridge settings set typeValueMap\``,
    );
  return result;
}
