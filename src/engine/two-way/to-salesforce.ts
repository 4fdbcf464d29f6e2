// HubSpot deal values → Salesforce Opportunity fields (the HubSpot → Salesforce direction), as a
// pure function per property: the reverse of mapping/deal.ts. Stage and pipeline go back through
// the stage map (an opportunity's record type has its sales process, one pipeline of stages);
// owners through the owner map (an active user only); amounts exact to the cent, in the
// opportunity's currency; dates as Salesforce dates (HubSpot's midnight UTC).
import Big from 'big.js';
import type { SfOpportunity, SfUser } from '../../domain/salesforce.js';
import { dealTypeValue, describeOpportunity, stageMapKeyOf } from '../mapping/index.js';
import type { MappingContext, RecordIssue } from '../mapping/types.js';
import { isBlank, quote } from '../mapping/values.js';
import { canonical, kindOf, STAGE } from './values.js';

const Dec = Big();

export type SfFieldValue = string | number | boolean | null;

export type BackValue =
  | { ok: true; fields: Record<string, SfFieldValue> }
  /** Nothing to write, and why (a warning: OWNER_NOT_FOUND leaves the owner as it is). */
  | { ok: 'skip'; warning: RecordIssue }
  | { ok: false; error: RecordIssue };

export interface BackContext {
  mapping: MappingContext;
  /** Active Salesforce users (for owners); only read when an owner changed. */
  activeUsers?: readonly SfUser[];
  /** Opportunity.Type's picklist values (for dealtype). */
  typeValues?: readonly string[];
}

/** What a HubSpot deal holds, for one property: its value, and for the stage its pipeline too. */
export interface DealValues {
  [property: string]: string | null | undefined;
}

export function toSalesforce(
  opp: SfOpportunity,
  property: string,
  salesforceField: string,
  deal: DealValues,
  ctx: BackContext,
): BackValue {
  const who = describeOpportunity(opp);
  const value = deal[property];
  const err = (code: RecordIssue['code'], field: string, reason: string): BackValue => ({
    ok: false,
    error: { code, field, message: `${who}: HubSpot ${property} ${reason}` },
  });
  const one = (v: SfFieldValue): BackValue => ({ ok: true, fields: { [salesforceField]: v } });
  switch (property) {
    case 'amount':
      return amountBack(opp, value, deal.deal_currency_code, ctx.mapping, err, one);
    case 'closedate': {
      if (isBlank(value)) return one(null);
      const ms = Number(canonical('datetime', value));
      if (!Number.isFinite(ms)) return err('INVALID_VALUE', 'CloseDate', `${quote(value)} is not a date`);
      return one(new Date(ms).toISOString().slice(0, 10));
    }
    case 'description':
      return one(isBlank(value) ? null : value);
    case 'dealtype': {
      if (isBlank(value)) return one(null);
      const values = ctx.typeValues ?? [];
      const match = values.find((t) => dealTypeValue(t, ctx.mapping) === value);
      if (match !== undefined) return one(match);
      return err(
        'INVALID_PICKLIST',
        'Type',
        `${quote(value)} is no Salesforce Type value (values: ${values.join(', ') || 'none'}; add it to Opportunity.Type, or map it with \`dealbridge settings set typeValueMap\`)`,
      );
    }
    case 'hubspot_owner_id':
      return ownerBack(opp, value, ctx, who);
    case STAGE:
      return stageBack(opp, deal.pipeline, value, ctx.mapping, who);
    default:
      return customBack(property, salesforceField, value, ctx.mapping, err, one);
  }
}

function amountBack(
  opp: SfOpportunity,
  value: string | null | undefined,
  dealCurrency: string | null | undefined,
  ctx: MappingContext,
  err: (code: RecordIssue['code'], field: string, reason: string) => BackValue,
  one: (v: SfFieldValue) => BackValue,
): BackValue {
  if (isBlank(value)) return one(null);
  let d: Big;
  try {
    d = new Dec(value.trim());
  } catch {
    return err('INVALID_VALUE', 'Amount', `${quote(value)} is not a number`);
  }
  if (!d.round(2).eq(d))
    return err('INVALID_VALUE', 'Amount', `${quote(value)} has fractions of a cent; Salesforce keeps cents`);
  // A JSON number is exact to the cent only while it has at most 15 significant digits.
  const n = Number(d.toString());
  if (!new Dec(String(n)).eq(d))
    return err(
      'INVALID_VALUE',
      'Amount',
      `${quote(value)} has more digits than Salesforce's Amount keeps exactly`,
    );
  const own = opp.CurrencyIsoCode?.trim().toUpperCase();
  const theirs = dealCurrency?.trim().toUpperCase();
  if (ctx.multiCurrency && own && theirs && own !== theirs)
    return err(
      'CURRENCY_MISMATCH',
      'Amount',
      `is in ${theirs} and the opportunity in ${own}: an amount goes back only in the opportunity's currency (set the deal's currency back to ${own}, or change the opportunity's currency in Salesforce)`,
    );
  return one(n);
}

function ownerBack(
  opp: SfOpportunity,
  value: string | null | undefined,
  ctx: BackContext,
  who: string,
): BackValue {
  const users = (ctx.activeUsers ?? [])
    .filter((u) => u.IsActive && ctx.mapping.ownerByUserId.get(u.Id) === value)
    .map((u) => u.Id)
    .sort();
  // The opportunity's own owner, when it is one of them: no change (two users can share an owner).
  const pick = opp.OwnerId !== null && users.includes(opp.OwnerId) ? opp.OwnerId : users[0];
  if (!isBlank(value) && pick !== undefined) return { ok: true, fields: { OwnerId: pick } };
  return {
    ok: 'skip',
    warning: {
      code: 'OWNER_NOT_FOUND',
      field: 'OwnerId',
      message: isBlank(value)
        ? `${who}: the deal's owner was removed in HubSpot; a Salesforce opportunity always has an owner, so OwnerId stays ${opp.OwnerId ?? 'as it is'}`
        : `${who}: HubSpot owner ${value} has no active Salesforce user with the same email; OwnerId stays ${opp.OwnerId ?? 'as it is'} (give the user the same email on both sides, then run dealbridge setup)`,
    },
  };
}

function stageBack(
  opp: SfOpportunity,
  pipeline: string | null | undefined,
  stage: string | null | undefined,
  ctx: MappingContext,
  who: string,
): BackValue {
  const own = stageMapKeyOf(opp, ctx);
  const find = (key: string) =>
    [...(ctx.stageMap.get(key) ?? [])].find(([, t]) => t.pipelineId === pipeline && t.stageId === stage)?.[0];
  const mine = find(own);
  if (mine !== undefined) return { ok: true, fields: { StageName: mine } };
  // A deal moved to another record type's pipeline: the opportunity takes that record type.
  const other = [...ctx.stageMap.keys()].filter((k) => k !== own && k !== 'default' && find(k) !== undefined);
  if (other.length === 1 && opp.RecordTypeId !== null) {
    const key = other[0]!;
    return { ok: true, fields: { RecordTypeId: key, StageName: find(key)! } };
  }
  const label = ctx.pipelineLabels?.get(own);
  return {
    ok: false,
    error: {
      code: 'STAGE_NOT_MAPPED',
      field: 'StageName',
      message: `${who}: HubSpot stage ${quote(stage ?? '')} of pipeline ${quote(pipeline ?? '')} has no Salesforce stage in the sales process of ${label ? `pipeline ${quote(label)}` : `record type ${opp.RecordTypeId ?? 'Master'}`} (move the deal to a stage of its pipeline, add the stage to the record type's sales process and run \`dealbridge setup\`, or map it in the web UI's stage map)`,
    },
  };
}

function customBack(
  property: string,
  salesforceField: string,
  value: string | null | undefined,
  ctx: MappingContext,
  err: (code: RecordIssue['code'], field: string, reason: string) => BackValue,
  one: (v: SfFieldValue) => BackValue,
): BackValue {
  if (isBlank(value)) return one(null);
  const def = ctx.hubspotProperties.get(property);
  switch (kindOf(property, def)) {
    case 'number': {
      const n = Number(value);
      return Number.isFinite(n)
        ? one(n)
        : err('INVALID_VALUE', salesforceField, `${quote(value)} is not a number`);
    }
    case 'datetime': {
      const ms = Number(canonical('datetime', value));
      if (!Number.isFinite(ms)) return err('INVALID_VALUE', salesforceField, `${quote(value)} is not a date`);
      const iso = new Date(ms).toISOString();
      return one(def?.type === 'date' ? iso.slice(0, 10) : iso);
    }
    case 'text':
      if (def?.type === 'bool') return one(value === 'true');
      return one(value);
  }
}
