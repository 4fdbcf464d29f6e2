// Pure planning of rollup writes for one contact or company: the five values (DESIGN §2.3), the
// lifecycle target for contacts (§2.4), and a fingerprint of both that is stored in
// RecordLink.rollupHash. The fingerprint is the compact JSON of the values themselves rather than
// a digest: equality is all the skip needs, and keeping the values gives the audit log its old →
// new without reading HubSpot (as DealLink.lastValues does for deals).
import type { HsProperties } from '../../domain/hubspot.js';
import { DealbridgeError } from '../../errors/index.js';
import { codeOf } from '../errors.js';
import { computeRollups, nextLifecycleStage, rollupProperties } from '../rollups/index.js';
import type { OpportunityMirror, RecordLink } from '../state.js';
import type { RollupContext } from './context.js';

export type RollupKind = 'contact' | 'company';

export interface PlannedRollup {
  kind: RollupKind;
  salesforceId: string;
  hubspotId: string;
  /** The five rollup properties (always written together). */
  properties: HsProperties;
  /** 'opportunity' | 'customer' when the contact's roles call for it (lifecycle on), else null. */
  lifecycleTarget: string | null;
  fingerprint: string;
  /** What dealbridge last wrote (from the previous fingerprint), for the audit. */
  previous: HsProperties;
  link: RecordLink;
}

export type RollupDecision =
  | { action: 'write'; plan: PlannedRollup }
  | { action: 'unchanged' }
  | { action: 'failed'; code: string; message: string; field: string | null };

interface Fingerprint {
  p: HsProperties;
  l?: string | null;
}

export function fingerprintOf(properties: HsProperties, lifecycleTarget: string | null | undefined): string {
  const sorted = Object.fromEntries(
    Object.keys(properties)
      .sort()
      .map((k) => [k, properties[k] ?? null]),
  );
  const fp: Fingerprint = { p: sorted };
  if (lifecycleTarget !== undefined) fp.l = lifecycleTarget;
  return JSON.stringify(fp);
}

/** The properties a fingerprint records; {} for a legacy digest or none. */
export function previousValues(fingerprint: string | null): HsProperties {
  if (!fingerprint?.startsWith('{')) return {};
  try {
    return (JSON.parse(fingerprint) as Fingerprint).p ?? {};
  } catch {
    return {};
  }
}

export function recordKey(kind: RollupKind, salesforceId: string): string {
  return `${kind}:${salesforceId}`;
}

export function planRollup(
  kind: RollupKind,
  link: RecordLink,
  opps: OpportunityMirror[],
  ctx: RollupContext,
  force: boolean,
): RollupDecision {
  let properties: HsProperties;
  try {
    const values = computeRollups(opps, { rule: ctx.settings.recentDealAmountRule, convert: ctx.convert });
    properties = rollupProperties(values, ctx.names);
  } catch (err) {
    return {
      action: 'failed',
      code: codeOf(err),
      message: `${kind} ${link.salesforceId}: ${err instanceof Error ? err.message : String(err)}`,
      field: err instanceof DealbridgeError ? (err.field ?? null) : null,
    };
  }
  const lifecycleOn = kind === 'contact' && ctx.settings.lifecycleStage;
  // The target as if the contact had no stage: what the roles call for. Whether HubSpot's current
  // stage is already there (or beyond) is decided after reading it, only for records that change.
  const lifecycleTarget = lifecycleOn ? nextLifecycleStage(null, opps) : null;
  const fingerprint = fingerprintOf(properties, lifecycleOn ? lifecycleTarget : undefined);
  if (!force && link.rollupHash === fingerprint) return { action: 'unchanged' };
  return {
    action: 'write',
    plan: {
      kind,
      salesforceId: link.salesforceId,
      hubspotId: link.hubspotId,
      properties,
      lifecycleTarget,
      fingerprint,
      previous: previousValues(link.rollupHash),
      link,
    },
  };
}

/**
 * The properties to write: the rollups, plus `lifecyclestage` when the target is ahead of the
 * contact's current stage (forward only; `other` untouched).
 */
export function withLifecycle(
  plan: PlannedRollup,
  opps: OpportunityMirror[],
  currentStage: string | null | undefined,
): { properties: HsProperties; lifecycle: string | null } {
  if (plan.lifecycleTarget === null || currentStage === undefined)
    return { properties: plan.properties, lifecycle: null };
  const next = nextLifecycleStage(currentStage, opps);
  if (next === null) return { properties: plan.properties, lifecycle: null };
  return { properties: { ...plan.properties, lifecyclestage: next }, lifecycle: next };
}
