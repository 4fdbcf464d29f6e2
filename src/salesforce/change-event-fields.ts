// Change events' record fields, parsed with the same rules as query rows (schemas.ts): the
// engine gets Opportunity and OpportunityContactRole values it can merge into what it holds.
// faye parses the CometD JSON itself, so numbers arrive as JS numbers: a money value of more than
// 15 significant digits is rounded before dealbridge sees it. inexactFields names the values that
// may have been, so that the engine reads the record by id (docs/sync.md, "Change Data Capture").
import type { SfContactRole, SfOpportunity } from '../domain/salesforce.js';
import { INSTANT, normaliseDateTime } from '../domain/salesforce.js';
import { plainDecimal } from './lossless-json.js';

const OPP_TEXT = ['Name', 'StageName', 'Type', 'Description', 'CurrencyIsoCode'] as const;
const OPP_IDS = ['OwnerId', 'AccountId', 'RecordTypeId'] as const;
const OPP_BOOLS = ['IsClosed', 'IsWon'] as const;
const OPP_CORE = new Set<string>([
  ...OPP_TEXT,
  ...OPP_IDS,
  ...OPP_BOOLS,
  'Amount',
  'CloseDate',
  'CreatedDate',
  'LastModifiedDate',
]);

function text(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function dateTime(v: unknown): string | undefined {
  return typeof v === 'string' && INSTANT.test(v) ? normaliseDateTime(v) : undefined;
}

function extraOf(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return plainDecimal(String(v));
  if (typeof v === 'string') return INSTANT.test(v) ? normaliseDateTime(v) : v;
  return null;
}

export function opportunityFields(fields: Record<string, unknown>): Partial<SfOpportunity> {
  const o: Partial<SfOpportunity> = {};
  const has = (k: string) => k in fields;
  for (const k of OPP_TEXT) if (has(k)) o[k] = text(fields[k]) as never;
  for (const k of OPP_IDS) if (has(k)) o[k] = text(fields[k]);
  for (const k of OPP_BOOLS) if (has(k)) o[k] = fields[k] === true;
  if (has('Amount')) o.Amount = fields.Amount === null ? null : plainDecimal(String(fields.Amount));
  if (has('CloseDate')) o.CloseDate = text(fields.CloseDate);
  const created = dateTime(fields.CreatedDate);
  if (created) o.CreatedDate = created;
  const modified = dateTime(fields.LastModifiedDate);
  if (modified) o.SystemModstamp = modified;
  const extra: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(fields)) if (!OPP_CORE.has(k)) extra[k] = extraOf(v);
  o.extra = extra;
  return o;
}

export function contactRoleFields(fields: Record<string, unknown>): Partial<SfContactRole> {
  const r: Partial<SfContactRole> = {};
  if ('OpportunityId' in fields && typeof fields.OpportunityId === 'string')
    r.OpportunityId = fields.OpportunityId;
  if ('ContactId' in fields && typeof fields.ContactId === 'string') r.ContactId = fields.ContactId;
  if ('Role' in fields) r.Role = text(fields.Role);
  if ('IsPrimary' in fields) r.IsPrimary = fields.IsPrimary === true;
  const modified = dateTime(fields.LastModifiedDate);
  if (modified) r.SystemModstamp = modified;
  return r;
}

/**
 * From 1e13 on, an Amount (scale 2) has 16 significant digits or more, which a double cannot hold
 * in general; below it (13 integer digits and 2 decimals: 15) the double's shortest form gives
 * back the very decimal Salesforce sent.
 */
export const INEXACT_AMOUNT_FROM = 1e13;

/** The fields of an Opportunity event whose value may have been rounded on the way in. */
export function inexactFields(fields: Record<string, unknown>): string[] {
  const a = fields.Amount;
  return typeof a === 'number' && Math.abs(a) >= INEXACT_AMOUNT_FROM ? ['Amount'] : [];
}
