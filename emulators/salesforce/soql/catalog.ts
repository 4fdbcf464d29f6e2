// The contract between the SOQL engine (emulators/salesforce/soql/) and the emulator's record store.
// The store implements SoqlDataSource; the SOQL engine only reads through it, so the engine can be
// tested on a tiny in-memory catalogue and the store can keep its records however is most compact.

/** Field types as Salesforce's describe reports them (the subset this emulator models). */
export type SoqlFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url'
  | 'anyType';

export interface SoqlFieldInfo {
  /** Canonical API name, exact case (e.g. `CloseDate`). Lookups by name are case-insensitive. */
  name: string;
  type: SoqlFieldType;
  /** For reference fields: the sObject(s) the id points at (e.g. ['Account']). */
  referenceTo?: string[];
  /** For reference fields: the parent relationship name used in SOQL (`Account` for AccountId, `Owner` for OwnerId). */
  relationshipName?: string;
}

export interface SoqlChildRelationship {
  /** Name used in a subquery's FROM, e.g. `OpportunityContactRoles`. */
  relationshipName: string;
  childSObject: string;
  /** Field on the child pointing at the parent, e.g. `OpportunityId`. */
  field: string;
}

export interface SoqlObjectInfo {
  /** Canonical sObject name, exact case. */
  name: string;
  fields: SoqlFieldInfo[];
  childRelationships: SoqlChildRelationship[];
}

/** Field values as stored: dates `YYYY-MM-DD` strings, datetimes epoch milliseconds (number). */
export type SoqlValue = string | number | boolean | null;

/** One record, keyed by canonical field name. Always has `Id`; `IsDeleted` for queryable-with-deleted types. */
export type SoqlRow = Readonly<Record<string, SoqlValue | undefined>>;

export interface SoqlDataSource {
  /** Describe an sObject by name, case-insensitive; undefined when the type does not exist. */
  describe(sobject: string): SoqlObjectInfo | undefined;
  /** Every row of a type (deleted ones only when includeDeleted). */
  scan(sobject: string, opts: { includeDeleted: boolean }): Iterable<SoqlRow>;
  /** One row by 18-character id (deleted rows too: parent lookups of a deleted child still resolve). */
  get(sobject: string, id: string): SoqlRow | undefined;
  /** Children of a parent through a child relationship, e.g. the contact roles of an opportunity. */
  children(
    childSObject: string,
    field: string,
    parentId: string,
    opts: { includeDeleted: boolean },
  ): Iterable<SoqlRow>;
  /** The emulator's clock (settable through the admin API), for TODAY and LAST_N_DAYS. */
  now(): Date;
}
