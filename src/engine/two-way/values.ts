// The values the HubSpot → Salesforce direction compares and writes, as pure functions. Both
// sides are compared in HubSpot's form (what the Salesforce → HubSpot mapping writes, and what
// DealLink.lastValues keeps), made canonical first: HubSpot gives `1000.50` where we wrote
// `1000.5`, `2026-06-30T00:00:00Z` where we wrote `2026-06-30T00:00:00.000Z`, and '' for null.
import Big from 'big.js';
import type { HsPropertyDefinition } from '../../domain/hubspot.js';
import type { SfOpportunity } from '../../domain/salesforce.js';
import { convertCustomValue, dealTypeValue, stageMapKeyOf } from '../mapping/index.js';
import type { MappingContext } from '../mapping/types.js';
import { dateToMidnightUtc, decimalString, isBlank } from '../mapping/values.js';

/** Our own Big constructor, as rollups/currency.ts has: its settings stay here. */
const Dec = Big();

/** The properties a deal's stage is: pipeline and stage, compared and written as one. */
export const STAGE = 'dealstage';

export type PropertyKind = 'number' | 'datetime' | 'text';

/** How a property's values compare: by amount, by instant, or as text. */
export function kindOf(property: string, def: HsPropertyDefinition | undefined): PropertyKind {
  if (property === 'amount') return 'number';
  if (property === 'closedate') return 'datetime';
  if (def?.type === 'number') return 'number';
  if (def?.type === 'date' || def?.type === 'datetime') return 'datetime';
  return 'text';
}

/** A value as compared: '' for blank, a number without trailing zeros, an instant in ms. */
export function canonical(kind: PropertyKind, value: string | null | undefined): string {
  if (isBlank(value)) return '';
  const v = value.trim();
  if (kind === 'number') {
    try {
      return new Dec(v).toString();
    } catch {
      return v;
    }
  }
  if (kind === 'datetime') {
    const ms = /^-?\d+$/.test(v)
      ? Number(v)
      : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    return Number.isFinite(ms) ? String(ms) : v;
  }
  return value;
}

/** A deal's stage as one comparable value: `pipeline/stage`. */
export const stageValue = (pipeline: string | null | undefined, stage: string | null | undefined): string =>
  isBlank(pipeline) && isBlank(stage) ? '' : `${pipeline ?? ''}/${stage ?? ''}`;

/**
 * The Salesforce value of a mapped property in HubSpot's form (what the Salesforce → HubSpot
 * mapping would write under "Always use Salesforce"), or undefined when it has none (a stage the
 * stage map lacks, a Type with no option: the other direction reports those).
 */
export function salesforceSide(
  opp: SfOpportunity,
  property: string,
  salesforceField: string,
  ctx: MappingContext,
): string | undefined {
  switch (property) {
    case 'amount': {
      if (opp.Amount === null) return '';
      const d = decimalString(opp.Amount);
      return d.ok ? d.value : undefined;
    }
    case 'closedate': {
      if (opp.CloseDate === null) return '';
      const d = dateToMidnightUtc(opp.CloseDate);
      return d.ok ? d.value : undefined;
    }
    case 'dealtype':
      return isBlank(opp.Type) ? '' : dealTypeValue(opp.Type, ctx);
    case 'description':
      return opp.Description ?? '';
    case 'hubspot_owner_id':
      return (
        (opp.OwnerId === null ? undefined : ctx.ownerByUserId.get(opp.OwnerId)) ?? ctx.fallbackOwnerId ?? ''
      );
    case STAGE: {
      const t = ctx.stageMap.get(stageMapKeyOf(opp, ctx))?.get(opp.StageName);
      return t ? stageValue(t.pipelineId, t.stageId) : undefined;
    }
    default: {
      const raw = opp.extra[salesforceField];
      if (isBlank(raw)) return '';
      const def = ctx.hubspotProperties.get(property);
      if (!def) return undefined;
      const c = convertCustomValue(raw, def);
      return c.ok ? c.value : undefined;
    }
  }
}
