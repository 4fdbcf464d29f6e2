// Salesforce records as the engine sees them, after the adapter has parsed the wire payload with
// a schema (src/salesforce/schemas.ts). Money stays a decimal string: never a JS float on the way in.

/** `YYYY-MM-DD` */
export type IsoDate = string;
/** ISO 8601 instant in UTC, `2024-05-20T20:49:32.000Z` (normalised from Salesforce's `+0000`). */
export type IsoDateTime = string;

/**
 * An ISO 8601 instant as Salesforce writes it (`2024-05-20T20:49:32.000+0000`), or with `Z`,
 * `+00:00` or any other offset, and up to nine fraction digits. Parsed by hand: an offset without
 * a colon and more than three fraction digits are outside what `Date.parse` is specified for.
 */
export const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds of an instant (see INSTANT); NaN when the text is not one. The one parser. */
export function instantMs(iso: string): number {
  const m = INSTANT.exec(iso);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, se, frac = '', tz = 'Z'] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return NaN;
  if (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return NaN;
  let offsetMin = 0;
  if (tz !== 'Z') {
    const digits = tz.replace(':', '');
    offsetMin =
      (digits.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  return (
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se), ms) - offsetMin * 60_000
  );
}

/** An instant (see INSTANT) as `YYYY-MM-DDTHH:mm:ss.sssZ`; throws when the text is not one. */
export function normaliseDateTime(s: string): IsoDateTime {
  const ms = instantMs(s);
  if (Number.isNaN(ms)) throw new Error(`not a datetime: ${s}`);
  return new Date(ms).toISOString();
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
  /**
   * The OpportunityStage row's Id: stays when an admin edits the value's API name, so the stage
   * map can follow an API-name edit instead of seeing a new stage.
   */
  Id: string;
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
