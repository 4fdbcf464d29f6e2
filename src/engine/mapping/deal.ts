// Salesforce Opportunity → HubSpot deal properties (DESIGN §2.1), as one pure function. Every
// problem is collected (not just the first) so that one pass shows the user all there is to fix.
import type { HsProperties } from '../../domain/hubspot.js';
import type { SfOpportunity } from '../../domain/salesforce.js';
import type { ErrorCode } from '../../errors/index.js';
import { applyRule, convertCustomValue } from './custom.js';
import type { FieldMapping, MapOptions, MappedDeal, MappingContext, RecordIssue, SyncRule } from './types.js';
import { checkLength, dateToMidnightUtc, decimalString, isBlank, isoInstant, quote } from './values.js';

/** The default mappings whose sync rule a non-custom FieldMapping may change. */
export const overridableDefaults: Readonly<Record<string, string>> = {
  amount: 'Amount',
  closedate: 'CloseDate',
  dealtype: 'Type',
  description: 'Description',
  hubspot_owner_id: 'OwnerId',
  // With its pipeline: both go back through the stage map (two-way/). Only Two-way or Always use
  // Salesforce: a deal needs a stage, and Salesforce always has one (rules.ts refuses the others).
  dealstage: 'StageName',
};

/** Written by the default mapping only: identity, placement and currency are not negotiable. */
export const protectedProperties: ReadonlySet<string> = new Set([
  'salesforce_opportunity_id',
  'dealname',
  'dealstage',
  'pipeline',
  'deal_currency_code',
  'createdate',
]);

export function describeOpportunity(opp: Pick<SfOpportunity, 'Id' | 'Name'>): string {
  return `Opportunity ${opp.Id} ${quote(opp.Name)}`;
}

/** `Salesforce - Default pipeline`-style label of where an opportunity's stages should be. */
function pipelineName(opp: SfOpportunity, ctx: MappingContext, key: string | undefined): string {
  const label = key === undefined ? undefined : ctx.pipelineLabels?.get(key);
  if (label !== undefined) return `pipeline ${quote(label)}`;
  return opp.RecordTypeId === null
    ? 'the default pipeline'
    : `the pipeline of record type ${opp.RecordTypeId}`;
}

/**
 * The stage-map key an opportunity's stage is looked up under: its record type's, or `default`
 * (Master; and, for a map the user made for one pipeline, any record type without a key).
 */
export function stageMapKeyOf(opp: Pick<SfOpportunity, 'RecordTypeId'>, ctx: MappingContext): string {
  const own = opp.RecordTypeId ?? 'default';
  return ctx.recordTypeKeysOnly || ctx.stageMap.has(own) ? own : 'default';
}

/** One (stage-map key, stage API name) pair as a map key. */
export const stageDemandKey = (key: string, stage: string) => JSON.stringify([key, stage]);

/** Normalised for matching a Salesforce label to an option value: `New Business` ~ `newbusiness`. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A value map's entry for a Type value: exact key first, then one equal ignoring case. */
function mappedType(map: ReadonlyMap<string, string>, type: string): string | undefined {
  const exact = map.get(type);
  if (exact !== undefined) return exact;
  // Type is unrestricted: imports write `new customer` for the value the map knows as `New Customer`.
  const lower = type.toLowerCase();
  for (const [k, v] of map) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The dealtype option a Type value maps to (value map, then exact, then squashed match), if any. */
export function dealTypeValue(
  type: string,
  ctx: Pick<MappingContext, 'typeValueMap' | 'dealTypeOptions'>,
): string | undefined {
  const mapped = mappedType(ctx.typeValueMap, type);
  if (mapped !== undefined) return ctx.dealTypeOptions.has(mapped) ? mapped : undefined;
  if (ctx.dealTypeOptions.has(type)) return type;
  const wanted = squash(type);
  return [...ctx.dealTypeOptions].find((o) => squash(o) === wanted);
}

export function mapOpportunityToDeal(opp: SfOpportunity, ctx: MappingContext, opts: MapOptions): MappedDeal {
  const who = describeOpportunity(opp);
  const errors: RecordIssue[] = [];
  const warnings: RecordIssue[] = [];
  const props: HsProperties = {};
  const fail = (code: ErrorCode, field: string, reason: string) =>
    errors.push({ code, field, message: `${who}: ${field} ${reason}` });
  const ruleOf = (property: string): SyncRule =>
    ctx.customMappings.find((m) => !m.custom && m.hubspotProperty === property)?.rule ?? 'always_salesforce';
  const put = (property: string, value: string | null) => {
    const out = applyRule(ruleOf(property), property, value, opts);
    if (out !== undefined) props[property] = out;
  };

  props.salesforce_opportunity_id = opp.Id;

  if (isBlank(opp.Name)) fail('REQUIRED_VALUE_MISSING', 'Name', 'is blank; HubSpot requires a deal name');
  else {
    const name = checkLength(opp.Name);
    if (name.ok) props.dealname = opp.Name;
    else fail('VALUE_TOO_LONG', 'Name', name.reason);
  }

  if (ruleOf('amount') !== 'dont_sync') {
    if (opp.Amount === null) put('amount', null);
    else {
      const amount = decimalString(opp.Amount);
      if (amount.ok) put('amount', amount.value);
      else fail('INVALID_VALUE', 'Amount', amount.reason);
    }
  }

  if (ruleOf('closedate') !== 'dont_sync') {
    if (opp.CloseDate === null) put('closedate', null);
    else {
      const close = dateToMidnightUtc(opp.CloseDate);
      if (close.ok) put('closedate', close.value);
      else fail('INVALID_VALUE', 'CloseDate', close.reason);
    }
  }

  if (opts.isCreate) {
    const created = isoInstant(opp.CreatedDate);
    if (created.ok) props.createdate = created.value;
    else fail('INVALID_VALUE', 'CreatedDate', created.reason);
  }

  const key = stageMapKeyOf(opp, ctx);
  const target = ctx.stageMap.get(key)?.get(opp.StageName);
  if (target) {
    // Two-way: a stage unchanged in Salesforce since it was last written leaves HubSpot's standing.
    const last = opts.lastWritten;
    const unchanged =
      ruleOf('dealstage') === 'two_way' &&
      !opts.isCreate &&
      last?.dealstage === target.stageId &&
      last.pipeline === target.pipelineId;
    if (!unchanged) {
      props.pipeline = target.pipelineId;
      props.dealstage = target.stageId;
    }
  } else {
    const why = ctx.unmappedReasons?.get(stageDemandKey(key, opp.StageName));
    fail(
      'STAGE_NOT_MAPPED',
      'StageName',
      `${quote(opp.StageName)} has no HubSpot stage in ${pipelineName(opp, ctx, ctx.stageMap.has(key) ? key : undefined)} (${why ? `${why}; ` : ''}run \`dealbridge setup\` to add it, or map it to a HubSpot stage)`,
    );
  }

  if (ruleOf('dealtype') !== 'dont_sync') {
    if (isBlank(opp.Type)) put('dealtype', null);
    else {
      const value = dealTypeValue(opp.Type, ctx);
      if (value !== undefined) put('dealtype', value);
      else {
        // Type is an unrestricted picklist in real orgs: one odd value must not hold the deal back,
        // so the deal syncs without dealtype and the value is reported as a warning.
        warnings.push({
          code: 'INVALID_PICKLIST',
          field: 'Type',
          message: `${who}: Type ${quote(opp.Type)} has no HubSpot dealtype option (options: ${[...ctx.dealTypeOptions].join(', ') || 'none'}); the deal syncs without dealtype (dealbridge setup --add-dealtype-options adds it; or map it: dealbridge settings set typeValueMap)`,
        });
      }
    }
  }

  if (ruleOf('description') !== 'dont_sync') {
    if (isBlank(opp.Description)) put('description', null);
    else {
      const text = checkLength(opp.Description);
      if (text.ok) put('description', text.value);
      else fail('VALUE_TOO_LONG', 'Description', text.reason);
    }
  }

  if (ruleOf('hubspot_owner_id') !== 'dont_sync') {
    const owner = opp.OwnerId === null ? undefined : ctx.ownerByUserId.get(opp.OwnerId);
    if (owner !== undefined) put('hubspot_owner_id', owner);
    else {
      if (opp.OwnerId !== null) {
        const instead =
          ctx.fallbackOwnerId === null
            ? 'syncs without owner'
            : `gets the fallback owner ${ctx.fallbackOwnerId}`;
        warnings.push({
          code: 'OWNER_NOT_FOUND',
          field: 'OwnerId',
          message: `${who}: OwnerId ${opp.OwnerId} has no HubSpot owner with the same email; the deal ${instead} (invite the user to HubSpot, then run dealbridge setup)`,
        });
      }
      put('hubspot_owner_id', ctx.fallbackOwnerId);
    }
  }

  if (ctx.multiCurrency) {
    const code = opp.CurrencyIsoCode?.trim().toUpperCase();
    if (!code) fail('REQUIRED_VALUE_MISSING', 'CurrencyIsoCode', 'is blank in a multi-currency org');
    else if (!ctx.enabledCurrencies.has(code)) {
      fail(
        'CURRENCY_NOT_ENABLED',
        'CurrencyIsoCode',
        `${quote(code)} is not enabled in the HubSpot portal (enabled: ${[...ctx.enabledCurrencies].join(', ') || 'none'}; add it under Settings › Account defaults › Currency)`,
      );
    } else props.deal_currency_code = code;
  }

  for (const m of ctx.customMappings) mapCustom(opp, m, ctx, opts, props, errors, warnings, who);

  return errors.length > 0 ? { ok: false, errors } : { ok: true, properties: props, warnings };
}

function mapCustom(
  opp: SfOpportunity,
  m: FieldMapping,
  ctx: MappingContext,
  opts: MapOptions,
  props: HsProperties,
  errors: RecordIssue[],
  warnings: RecordIssue[],
  who: string,
): void {
  if (!m.custom || m.rule === 'dont_sync') return;
  if (protectedProperties.has(m.hubspotProperty)) {
    warnings.push({
      code: 'INVALID_VALUE',
      field: m.salesforceField,
      message: `${who}: the custom mapping ${m.salesforceField} → ${m.hubspotProperty} is ignored; ${m.hubspotProperty} is written by the default mapping only`,
    });
    return;
  }
  const def = ctx.hubspotProperties.get(m.hubspotProperty);
  if (!def || def.readOnlyValue) {
    warnings.push({
      code: 'SETUP_REQUIRED',
      field: m.salesforceField,
      message: `${who}: ${m.salesforceField} is not synced: HubSpot deal property "${m.hubspotProperty}" ${def ? 'is read-only' : 'does not exist'} (fix the field mapping or create the property)`,
    });
    return;
  }
  const raw = opp.extra[m.salesforceField];
  if (isBlank(raw)) {
    const out = applyRule(m.rule, m.hubspotProperty, null, opts);
    if (out !== undefined) props[m.hubspotProperty] = out;
    return;
  }
  const converted = convertCustomValue(raw, def);
  if (!converted.ok) {
    errors.push({
      code: converted.code,
      field: m.salesforceField,
      message: `${who}: ${m.salesforceField} ${converted.reason}`,
    });
    return;
  }
  const out = applyRule(m.rule, m.hubspotProperty, converted.value, opts);
  if (out !== undefined) props[m.hubspotProperty] = out;
}
