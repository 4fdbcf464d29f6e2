// The deal link after a HubSpot change reached Salesforce (or was found there already): the base
// moves to the new common value, in the form the Salesforce → HubSpot mapping writes (so its
// Two-way rule, which compares exact strings, sees "unchanged"), and the content hash becomes
// what that mapping will compute from the opportunity as written: the next Salesforce read of it
// then writes nothing to HubSpot (no echo). The hash moves only when nothing else of the
// opportunity was waiting to go to HubSpot; otherwise the next read writes that, as it should.
import type { SfOpportunity } from '../../domain/salesforce.js';
import { dealPropertiesHash, mapOpportunityToDeal, stageMapKeyOf } from '../mapping/index.js';
import type { MappingContext } from '../mapping/types.js';
import type { DealLink } from '../ports/store.js';
import type { FieldDecision } from './decide.js';
import type { SfFieldValue } from './to-salesforce.js';
import { salesforceSide, STAGE } from './values.js';

/** The opportunity as Salesforce holds it after these fields were written. */
export function withFields(opp: SfOpportunity, fields: Record<string, SfFieldValue>): SfOpportunity {
  const next: SfOpportunity = { ...opp, extra: { ...opp.extra } };
  for (const [k, v] of Object.entries(fields)) {
    switch (k) {
      case 'Amount':
        next.Amount = v === null ? null : String(v);
        break;
      case 'CloseDate':
      case 'Type':
      case 'Description':
      case 'OwnerId':
      case 'StageName':
      case 'RecordTypeId':
        (next as unknown as Record<string, SfFieldValue>)[k] = v;
        break;
      default:
        next.extra[k] = v;
    }
  }
  return next;
}

/** The new base values of the decided properties, as the opportunity now holds them. */
export function baseAfter(
  opp: SfOpportunity,
  decided: readonly FieldDecision[],
  ctx: MappingContext,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const d of decided) {
    if (d.property === STAGE) {
      const t = ctx.stageMap.get(stageMapKeyOf(opp, ctx))?.get(opp.StageName);
      if (t) Object.assign(out, { pipeline: t.pipelineId, dealstage: t.stageId });
      continue;
    }
    const v = salesforceSide(opp, d.property, d.salesforceField, ctx);
    if (v !== undefined) out[d.property] = v;
  }
  return out;
}

export function linkAfter(
  link: DealLink,
  opp: SfOpportunity,
  decided: readonly FieldDecision[],
  ctx: MappingContext,
  at: string,
): DealLink {
  const lastValues = { ...link.lastValues, ...baseAfter(opp, decided, ctx) };
  const mapped = mapOpportunityToDeal(opp, ctx, { isCreate: false, lastWritten: lastValues });
  const waiting =
    !mapped.ok || Object.entries(mapped.properties).some(([k, v]) => (lastValues[k] ?? '') !== (v ?? ''));
  return {
    ...link,
    lastValues,
    propertiesHash: waiting ? link.propertiesHash : dealPropertiesHash(mapped.properties),
    lastSyncedAt: at,
  };
}
