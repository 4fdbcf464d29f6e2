// Pure planning of rollup writes for one HubSpot contact or company: the five values (DESIGN §2.3),
// the lifecycle target for contacts (§2.4), and a fingerprint of both that is stored in
// RecordLink.rollupHash. A HubSpot contact linked to several Salesforce contacts (duplicates
// sharing an email) is planned once, over the union of their opportunities, and every one of its
// links keeps the same fingerprint: the values belong to the HubSpot record, not to one link. The fingerprint is the compact JSON of the values themselves rather than
// a digest: equality is all the skip needs, and keeping the values gives the audit log its old →
// new without reading HubSpot (as DealLink.lastValues does for deals).
import type { HsProperties } from '../../domain/hubspot.js';
import { DealbridgeError } from '../../errors/index.js';
import { codeOf } from '../record-errors.js';
import { computeRollups, nextLifecycleStage, rollupProperties } from './index.js';
import type { OpportunityMirror, RecordLink } from '../ports/store.js';
import type { RollupContext } from './rollup-context.js';

export type RollupKind = 'contact' | 'company';

export interface PlannedRollup {
  kind: RollupKind;
  /** The lowest Salesforce id of `links`: the record the audit and error messages name. */
  salesforceId: string;
  hubspotId: string;
  /** The five rollup properties (always written together). */
  properties: HsProperties;
  /** 'opportunity' | 'customer' when the contact's roles call for it (lifecycle on), else null. */
  lifecycleTarget: string | null;
  fingerprint: string;
  /** What dealbridge last wrote (from the previous fingerprint), for the audit. */
  previous: HsProperties;
  /** The link of `salesforceId`. */
  link: RecordLink;
  /** Every link to the HubSpot record (one for companies); all get `fingerprint` once written. */
  links: RecordLink[];
  /** The opportunities the values are over (the union of the links', by id). */
  opportunities: OpportunityMirror[];
}

export type RollupDecision =
  | { action: 'write'; plan: PlannedRollup }
  | { action: 'unchanged' }
  | { action: 'failed'; code: string; message: string; field: string | null };

interface Fingerprint {
  p: HsProperties;
  l?: string | null;
  /** Set while a write of it is under way (unsettled): no computed fingerprint has it. */
  w?: 1;
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

/**
 * The fingerprint to store before writing a record's rollups (write-ahead): the same values, marked
 * as being written, so that it equals no computed fingerprint. A process killed after HubSpot took
 * the write (or a write that failed after HubSpot applied it) leaves this behind, and the next
 * rollup of the record writes again even when its values went back to the stored ones; without
 * the mark it would be skipped as unchanged while HubSpot shows the newer values. Null (never
 * rolled up) stays null: it already equals nothing, and it means "write salesforce_contact_id".
 */
export function unsettled(fingerprint: string | null): string | null {
  if (fingerprint === null) return null;
  const p = previousValues(fingerprint);
  let l: string | null | undefined;
  try {
    l = fingerprint.startsWith('{') ? (JSON.parse(fingerprint) as Fingerprint).l : undefined;
  } catch {
    l = undefined;
  }
  const fp: Fingerprint = { p, ...(l !== undefined ? { l } : {}), w: 1 };
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

/** The union of several Salesforce records' opportunities: each once, in id order. */
export function unionOpportunities(lists: Iterable<readonly OpportunityMirror[]>): OpportunityMirror[] {
  const byId = new Map<string, OpportunityMirror>();
  for (const list of lists) for (const o of list) byId.set(o.id, o);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Plans the write of one HubSpot record from all its links (non-empty, same hubspotId) and the
 * union of their opportunities. Unchanged only when every link holds the fingerprint: a new link
 * (or links written apart by an older version, each with its own values) means a write.
 */
export function planRollup(
  kind: RollupKind,
  links: readonly RecordLink[],
  opps: OpportunityMirror[],
  ctx: RollupContext,
  force: boolean,
): RollupDecision {
  const sorted = [...links].sort((a, b) => (a.salesforceId < b.salesforceId ? -1 : 1));
  const link = sorted[0];
  if (!link) throw new Error('planRollup: no link');
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
  if (!force && sorted.every((l) => l.rollupHash === fingerprint)) return { action: 'unchanged' };
  const previous = sorted.find((l) => l.rollupHash !== null)?.rollupHash ?? null;
  return {
    action: 'write',
    plan: {
      kind,
      salesforceId: link.salesforceId,
      hubspotId: link.hubspotId,
      properties,
      lifecycleTarget,
      fingerprint,
      previous: previousValues(previous),
      link,
      links: sorted,
      opportunities: opps,
    },
  };
}

/**
 * The properties to write: the rollups, plus `lifecyclestage` when the target is ahead of the
 * contact's current stage (forward only; `other` untouched).
 */
export function withLifecycle(
  plan: PlannedRollup,
  currentStage: string | null | undefined,
): { properties: HsProperties; lifecycle: string | null } {
  if (plan.lifecycleTarget === null || currentStage === undefined)
    return { properties: plan.properties, lifecycle: null };
  const next = nextLifecycleStage(currentStage, plan.opportunities);
  if (next === null) return { properties: plan.properties, lifecycle: null };
  return { properties: { ...plan.properties, lifecyclestage: next }, lifecycle: next };
}
