// Salesforce records as the engine sees them, after the adapter has parsed the wire payload with
// a schema (src/salesforce/schemas.ts). Money stays a decimal string: never a JS float on the way in.

/** `YYYY-MM-DD` */
export type IsoDate = string;
/** ISO 8601 instant in UTC, `2024-05-20T20:49:32.000Z` (normalised from Salesforce's `+0000`). */
export type IsoDateTime = string;

/**
 * Milliseconds of an ISO 8601 instant as Salesforce writes it (`2024-05-20T20:49:32.000+0000`):
 * the offset without a colon is outside the format `Date.parse` is specified for, so it is
 * rewritten to `+00:00` first. NaN when the text is not an instant.
 */
export function instantMs(iso: IsoDateTime): number {
  return Date.parse(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
/** A decimal number as text, exactly as Salesforce sent it (`"1234.5"`); null when blank. */
export type DecimalString = string;

export interface SfOpportunity {
  Id: string;
  Name: string;
  Amount: DecimalString | null;
  CloseDate: IsoDate | null;
  CreatedDate: IsoDateTime;
  StageName: string;
  IsClosed: boolean;
  IsWon: boolean;
  Type: string | null;
  Description: string | null;
  OwnerId: string | null;
  AccountId: string | null;
  RecordTypeId: string | null;
  /** Present only in multi-currency orgs. */
  CurrencyIsoCode: string | null;
  SystemModstamp: IsoDateTime;
  IsDeleted: boolean;
  /** Values of custom-mapped fields, by API name, raw as parsed (string | number | boolean | null). */
  extra: Record<string, string | number | boolean | null>;
}

export interface SfContactRole {
  Id: string;
  OpportunityId: string;
  ContactId: string;
  Role: string | null;
  IsPrimary: boolean;
  SystemModstamp: IsoDateTime;
  IsDeleted: boolean;
  /**
   * The contact's email as the opportunity query's role subquery read it (`Contact.Email`): null
   * when the contact has none (or is not visible), absent when not read (the contact-role feed) —
   * then the engine asks Salesforce for it by id.
   */
  ContactEmail?: string | null;
}

export interface SfContact {
  Id: string;
  Email: string | null;
  FirstName: string | null;
  LastName: string;
  AccountId: string | null;
}

export interface SfAccount {
  Id: string;
  Name: string;
  /** Website as entered; the engine derives the domain. */
  Website: string | null;
  SystemModstamp: IsoDateTime;
}

export interface SfUser {
  Id: string;
  Email: string;
  Name: string;
  IsActive: boolean;
}

export interface SfRecordType {
  Id: string;
  Name: string;
  DeveloperName: string;
  IsActive: boolean;
}

export interface SfStage {
  ApiName: string;
  MasterLabel: string;
  SortOrder: number;
  DefaultProbability: number;
  IsClosed: boolean;
  IsWon: boolean;
  IsActive: boolean;
}

export interface SfOrgInfo {
  organizationId: string;
  /** True when Opportunity has CurrencyIsoCode. */
  multiCurrency: boolean;
  /** The org's corporate currency (single-currency: DefaultCurrencyIsoCode). */
  corporateCurrency: string;
  /** Advanced currency management (DatedConversionRate in use). */
  datedRates: boolean;
}

export interface SfCurrencyRate {
  IsoCode: string;
  /** Units of this currency per 1 unit of the corporate currency, as text. */
  ConversionRate: DecimalString;
  /** For DatedConversionRate: the period [StartDate, NextStartDate). Null for CurrencyType rates. */
  StartDate: IsoDate | null;
  NextStartDate: IsoDate | null;
}

/** A change-feed position: rows are read with (SystemModstamp, Id) >= this, minus a look-back. */
export interface ChangeCursor {
  modstamp: IsoDateTime;
  id: string;
}

export interface SfDeleted {
  id: string;
  deletedDate: IsoDateTime;
}

/** The latest `Sforce-Limit-Info: api-usage=N/M` reading. */
export interface ApiUsageReading {
  used: number;
  max: number;
  at: IsoDateTime;
}
