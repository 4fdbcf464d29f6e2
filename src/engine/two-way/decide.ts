// What a HubSpot change of a linked deal does, field by field, as pure functions. The base is
// what both sides held at the last sync (DealLink.lastValues: what dealbridge last wrote to the
// deal, or last wrote to the opportunity from it). A side changed when its value differs from the
// base; our own writes never differ from it, so they never come back as changes (no echo).
// - HubSpot changed, Salesforce did not: written to Salesforce (`write`).
// - Both hold the same value: nothing to write, the base moves (`settle`).
// - Both changed, to different values, under Two-way: the later change wins (`conflict`, decided
//   by resolveConflict with the two change times).
// - "Prefer Salesforce unless blank": HubSpot's value goes to Salesforce only while Salesforce's
//   field is blank (HubSpot's knowledge base: "HubSpot will only pass a value to Salesforce if
//   there's currently no value in Salesforce"); otherwise Salesforce's stands (`kept`).
import type { HsProperties } from '../../domain/hubspot.js';
import type { SfOpportunity } from '../../domain/salesforce.js';
import { protectedProperties } from '../mapping/index.js';
import type { FieldMapping, MappingContext, SyncRule } from '../mapping/types.js';
import { canonical, kindOf, salesforceSide, STAGE, stageValue } from './values.js';

/** The rules under which a HubSpot value can go to Salesforce. */
export type HubspotSendingRule = Extract<SyncRule, 'two_way' | 'prefer_salesforce_unless_blank'>;

export interface BackRule {
  property: string;
  salesforceField: string;
  rule: HubspotSendingRule;
}

/** The mappings whose rule sends HubSpot's value (Two-way; Prefer Salesforce unless blank). */
export function hubspotSendingRules(mappings: readonly FieldMapping[]): BackRule[] {
  const out: BackRule[] = [];
  for (const m of mappings) {
    if (m.rule !== 'two_way' && m.rule !== 'prefer_salesforce_unless_blank') continue;
    // Identity, create date, currency and pipeline stay one-way; the stage goes as a default only.
    if (m.custom && protectedProperties.has(m.hubspotProperty)) continue;
    if (m.hubspotProperty === STAGE && m.rule !== 'two_way') continue;
    out.push({ property: m.hubspotProperty, salesforceField: m.salesforceField, rule: m.rule });
  }
  return out;
}

/** A property's value on the deal (the stage: pipeline and stage together). */
export function dealValue(props: HsProperties, property: string): string {
  return property === STAGE ? stageValue(props.pipeline, props.dealstage) : (props[property] ?? '');
}

/** The base of a property, or undefined when dealbridge never wrote it. */
export function baseValue(
  last: Readonly<Record<string, string | null>>,
  property: string,
): string | undefined {
  if (property === STAGE)
    return Object.hasOwn(last, STAGE) ? stageValue(last.pipeline, last.dealstage) : undefined;
  return Object.hasOwn(last, property) ? (last[property] ?? '') : undefined;
}

const same = (property: string, ctx: MappingContext, a: string | undefined, b: string | undefined) => {
  const kind = kindOf(property, ctx.hubspotProperties.get(property));
  return a !== undefined && b !== undefined && canonical(kind, a) === canonical(kind, b);
};

/** The rules whose HubSpot value differs from the base: the deal's HubSpot changes. */
export function hubspotChanges(
  props: HsProperties,
  last: Readonly<Record<string, string | null>>,
  rules: readonly BackRule[],
  ctx: MappingContext,
): BackRule[] {
  return rules.filter(
    (r) => !same(r.property, ctx, dealValue(props, r.property), baseValue(last, r.property)),
  );
}

export type FieldState = 'write' | 'settle' | 'conflict' | 'kept';

export interface FieldDecision extends BackRule {
  state: FieldState;
  hubspot: string;
  /** Salesforce's value in HubSpot's form (undefined: it has none, e.g. a stage the map lacks). */
  salesforce: string | undefined;
}

/** Each HubSpot change of a deal against the opportunity as Salesforce has it now. */
export function decideFields(
  props: HsProperties,
  last: Readonly<Record<string, string | null>>,
  changed: readonly BackRule[],
  opp: SfOpportunity,
  ctx: MappingContext,
): FieldDecision[] {
  return changed.map((r) => {
    const hubspot = dealValue(props, r.property);
    const salesforce = salesforceSide(opp, r.property, r.salesforceField, ctx);
    const base = baseValue(last, r.property);
    const kind = kindOf(r.property, ctx.hubspotProperties.get(r.property));
    const d = { ...r, hubspot, salesforce };
    if (same(r.property, ctx, hubspot, salesforce)) return { ...d, state: 'settle' };
    if (r.rule === 'prefer_salesforce_unless_blank')
      return { ...d, state: salesforce === '' ? 'write' : 'kept' };
    // Never written by dealbridge, or Salesforce's value has no HubSpot form: nothing says which
    // side changed, so it is decided as a conflict, by time.
    if (base === undefined || salesforce === undefined) return { ...d, state: 'conflict' };
    return { ...d, state: canonical(kind, salesforce) === canonical(kind, base) ? 'write' : 'conflict' };
  });
}

/**
 * The later change wins; at the same instant (or with a time missing), Salesforce's: it is the
 * system of record of the opportunity, and its value is what the deal showed before.
 */
export function resolveConflict(
  salesforceAt: string | null,
  hubspotAt: string | null,
): 'hubspot' | 'salesforce' {
  const s = salesforceAt === null ? NaN : Date.parse(salesforceAt);
  const h = hubspotAt === null ? NaN : Date.parse(hubspotAt);
  return Number.isFinite(h) && (!Number.isFinite(s) || h > s) ? 'hubspot' : 'salesforce';
}
