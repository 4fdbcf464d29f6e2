// Every Salesforce payload is parsed here before the engine sees it. Input is JSON parsed with
// parseJsonKeepingNumbers, so number fields arrive as the exact text Salesforce sent.
// Money stays a decimal string (plainDecimal expands `1.39E8`); datetimes are normalised from
// Salesforce's `2024-05-20T20:49:32.000+0000` to `2024-05-20T20:49:32.000Z`.
import { z } from 'zod';
import type {
  ApiUsageReading,
  SfAccount,
  SfContact,
  SfContactRole,
  SfCurrencyRate,
  SfDeleted,
  SfStage,
  SfUser,
} from '../domain/salesforce.js';
import { INSTANT as DATETIME, normaliseDateTime } from '../domain/salesforce.js';
import type { SfOpportunityWithRoles } from '../engine/ports/remote.js';
import { plainDecimal } from './lossless-json.js';

const dateTime = z.string().regex(DATETIME, 'Salesforce datetime').transform(normaliseDateTime);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const numberText = z.string().regex(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/, 'number');
const decimal = numberText.transform(plainDecimal);
const num = numberText.transform(Number);
const id = z.string().regex(/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/, 'Salesforce id');
const text = z.string();
const optText = text
  .nullable()
  .optional()
  .transform((v) => v ?? null);
const optId = id
  .nullable()
  .optional()
  .transform((v) => v ?? null);

export const contactRoleSchema = z
  .object({
    Id: id,
    OpportunityId: id,
    ContactId: id,
    Role: optText,
    IsPrimary: z.boolean(),
    SystemModstamp: dateTime,
    IsDeleted: z.boolean().optional().default(false),
    // `Contact.Email` of the opportunity query's subquery; null when the contact is not visible.
    Contact: z.object({ Email: optText }).nullable().optional(),
  })
  .transform(({ Contact, ...role }): SfContactRole =>
    Contact === undefined ? role : { ...role, ContactEmail: Contact?.Email ?? null },
  );

/** `Account.Name, Account.Website, Account.SystemModstamp` of an opportunity row. */
const accountParentSchema = z
  .object({ Name: text, Website: optText, SystemModstamp: dateTime })
  .nullable()
  .optional();

/** A child subquery result: null when there are no children (REST behaviour). */
export const childResultSchema = z
  .object({
    totalSize: num,
    done: z.boolean(),
    nextRecordsUrl: z.string().optional(),
    records: z.array(z.unknown()),
  })
  .nullable()
  .optional();

const opportunityCore = z.object({
  Id: id,
  Name: text,
  Amount: decimal
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  CloseDate: date
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  CreatedDate: dateTime,
  StageName: text,
  IsClosed: z.boolean(),
  IsWon: z.boolean(),
  Type: optText,
  Description: optText,
  OwnerId: optId,
  AccountId: optId,
  RecordTypeId: optId,
  CurrencyIsoCode: optText,
  SystemModstamp: dateTime,
  IsDeleted: z.boolean().optional().default(false),
});

export type ExtraValue = string | number | boolean | null;

/**
 * A custom-mapped field's value by path (`Custom__c`, `Account.Name`). Numbers stay exact decimal
 * strings (the engine knows the field's type from describe); nested objects are not values.
 */
export function extraValue(record: Record<string, unknown>, path: string): ExtraValue {
  let cur: unknown = record;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return null;
    const obj = cur as Record<string, unknown>;
    // SOQL names are case-insensitive; the wire uses the describe spelling.
    const key = part in obj ? part : Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
    cur = key === undefined ? null : obj[key];
  }
  if (cur === null || cur === undefined) return null;
  if (typeof cur === 'boolean') return cur;
  if (typeof cur === 'string') {
    if (/^-?\d+(\.\d+)?[eE][+-]?\d+$/.test(cur)) return plainDecimal(cur);
    if (DATETIME.test(cur)) return normaliseDateTime(cur);
    return cur;
  }
  return null;
}

/** Parses an Opportunity row with its OpportunityContactRoles child result. */
export function parseOpportunity(raw: unknown, extraFields: readonly string[]): SfOpportunityWithRoles {
  const core = opportunityCore.parse(raw);
  const rec = raw as Record<string, unknown>;
  const children = childResultSchema.parse(rec.OpportunityContactRoles);
  const contactRoles = (children?.records ?? []).map((r) => contactRoleSchema.parse(r));
  const extra: Record<string, ExtraValue> = {};
  for (const f of extraFields) extra[f] = extraValue(rec, f);
  const opp: SfOpportunityWithRoles = { ...core, extra, contactRoles };
  // Only when the row carries all of ACCOUNT_PARENT_FIELDS (a row with, say, `Account.Name` of a
  // custom mapping alone leaves the account to be read by id).
  const account = 'Account' in rec ? accountParentSchema.safeParse(rec.Account) : undefined;
  if (account?.success) {
    const a = account.data;
    opp.account = a && core.AccountId ? { Id: core.AccountId, ...a } : null;
  }
  return opp;
}

export function parseContactRole(raw: unknown): SfContactRole {
  return contactRoleSchema.parse(raw);
}

export const accountSchema = z.object({
  Id: id,
  Name: text,
  Website: optText,
  SystemModstamp: dateTime,
}) satisfies z.ZodType<SfAccount>;

export const contactSchema = z.object({
  Id: id,
  Email: optText,
  FirstName: optText,
  LastName: text,
  AccountId: optId,
}) satisfies z.ZodType<SfContact>;

export const userSchema = z.object({
  Id: id,
  Email: text,
  Name: text,
  IsActive: z.boolean(),
}) satisfies z.ZodType<SfUser>;

export const recordTypeSchema = z.object({
  Id: id,
  Name: text,
  DeveloperName: text,
  IsActive: z.boolean(),
});

export const stageSchema = z.object({
  Id: id,
  ApiName: text,
  MasterLabel: text,
  SortOrder: num,
  DefaultProbability: num.nullable().transform((v) => v ?? 0),
  IsClosed: z.boolean(),
  IsWon: z.boolean(),
  IsActive: z.boolean(),
}) satisfies z.ZodType<SfStage, unknown>;

/** UI API `picklist-values/{recordTypeId}/{field}`: the values a record of that record type may take. */
export const picklistValuesSchema = z.object({
  values: z.array(z.object({ value: text, label: text })),
});

export const currencyTypeSchema = z
  .object({ IsoCode: text, ConversionRate: decimal })
  .transform((r): SfCurrencyRate => ({ ...r, StartDate: null, NextStartDate: null }));

export const datedRateSchema = z.object({
  IsoCode: text,
  ConversionRate: decimal,
  StartDate: date,
  NextStartDate: date
    .nullable()
    .optional()
    .transform((v) => v ?? null),
}) satisfies z.ZodType<SfCurrencyRate, unknown>;

/** One page of a query: `nextRecordsUrl` only when `done` is false. */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const queryPageSchema = z.object({
  totalSize: num,
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  // Each record is parsed by its own schema afterwards; here only its shape is checked, without
  // z.record's copy of every record (a 2,000-record page would be walked and rebuilt twice).
  records: z.array(z.custom<Record<string, unknown>>(isRecord, 'expected an object')),
});
export type QueryPage = z.infer<typeof queryPageSchema>;

export const deletedSchema = z.object({
  deletedRecords: z.array(z.object({ id, deletedDate: dateTime })),
  earliestDateAvailable: dateTime,
  latestDateCovered: dateTime,
}) satisfies z.ZodType<{ deletedRecords: SfDeleted[] }, unknown>;

export const describeSchema = z.object({
  name: text,
  fields: z.array(
    z.object({
      name: text,
      label: text,
      type: text,
      picklistValues: z
        .array(z.object({ value: text, active: z.boolean().optional() }))
        .optional()
        .default([]),
    }),
  ),
});

/** `Sforce-Limit-Info: api-usage=18/5000; api-bursts=1/750` → the api-usage pair. */
export function parseLimitInfo(header: string | undefined, at: Date): ApiUsageReading | undefined {
  const m = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
  if (!m) return undefined;
  return { used: Number(m[1]), max: Number(m[2]), at: at.toISOString() };
}
