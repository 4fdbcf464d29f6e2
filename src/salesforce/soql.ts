// SOQL text built from field lists. Values are never pasted in raw: strings go through quote()
// (or likeLiteral() for a LIKE pattern; both use escapeSoql, the one escape),
// datetimes through datetimeLiteral(), field names through fieldName(); anything else is refused,
// so a custom field mapping or a record id can never change the shape of a query.
import type { ChangeCursor } from '../domain/salesforce.js';

/**
 * The one escape of values put into SOQL (Salesforce, "Quoted String Escape Sequences"): a
 * backslash before a backslash and both quotes, the control characters as backslash-n, -r, -t,
 * -b, -f, and in a LIKE pattern also before `%` and `_`, which SOQL accepts only there (a stray
 * backslash anywhere else is a query error).
 */
function escapeSoql(value: string, like: boolean): string {
  return value.replace(like ? /[\\'"\n\r\t\b\f%_]/g : /[\\'"\n\r\t\b\f]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${c}`;
    }
  });
}

/** SOQL string literal for `=`, `IN`, `!=`: `%` and `_` are plain there and stay unescaped. */
export function quote(value: string): string {
  return `'${escapeSoql(value, false)}'`;
}

/**
 * A LIKE pattern matching `value` literally (its `%` and `_` are plain characters), optionally
 * anywhere in the field (`contains`) or at its start (`prefix`).
 */
export function likeLiteral(value: string, match: 'exact' | 'prefix' | 'contains' = 'exact'): string {
  const v = escapeSoql(value, true);
  return `'${match === 'contains' ? '%' : ''}${v}${match === 'exact' ? '' : '%'}'`;
}

const FIELD = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*){0,4}$/;

/** A field path (`Amount`, `Custom__c`, `Account.Name`), checked: SOQL has no identifier quoting. */
export function fieldName(name: string): string {
  if (!FIELD.test(name)) throw new Error(`invalid Salesforce field name: ${JSON.stringify(name)}`);
  return name;
}

const ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

export function idLiteral(id: string): string {
  if (!ID.test(id)) throw new Error(`invalid Salesforce id: ${JSON.stringify(id)}`);
  return quote(id);
}

/**
 * SOQL datetime literal (unquoted, UTC), floored to the second: SOQL datetime literals carry no
 * fraction, and flooring makes `>=` read a superset of the rows, never a subset.
 */
export function datetimeLiteral(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`invalid datetime: ${JSON.stringify(iso)}`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `(SystemModstamp, Id) > cursor` as SOQL (a cursor without an Id: `>=` its second); the leading
 * conjunct keeps the SystemModstamp index usable. The cursor's own row was stored by the pass that
 * set it, so it is not read again; a row changed twice within one second keeps its stamp and is
 * found by the late-commit sweep (late-commits.ts), as the other rows of that second are.
 */
export function cursorCondition(cursor: ChangeCursor): string {
  const ts = datetimeLiteral(cursor.modstamp);
  if (cursor.id === '') return `SystemModstamp >= ${ts}`;
  return `SystemModstamp >= ${ts} AND (SystemModstamp > ${ts} OR Id > ${idLiteral(cursor.id)})`;
}

export const OPPORTUNITY_FIELDS = [
  'Id',
  'Name',
  'Amount',
  'CloseDate',
  'CreatedDate',
  'StageName',
  'IsClosed',
  'IsWon',
  'Type',
  'Description',
  'OwnerId',
  'AccountId',
  'SystemModstamp',
  'IsDeleted',
] as const;

/** Fields that exist only in some orgs: selected when describe lists them. */
export const OPTIONAL_OPPORTUNITY_FIELDS = ['RecordTypeId', 'CurrencyIsoCode'] as const;

export const CONTACT_ROLE_FIELDS = [
  'Id',
  'OpportunityId',
  'ContactId',
  'Role',
  'IsPrimary',
  'SystemModstamp',
  'IsDeleted',
] as const;

/**
 * Parent fields read with each opportunity and contact role, so that matching its account to a
 * company and its contacts to HubSpot contacts needs no query of its own (one per 200 ids before).
 */
export const ACCOUNT_PARENT_FIELDS = ['Account.Name', 'Account.Website', 'Account.SystemModstamp'] as const;
export const ROLE_PARENT_FIELDS = ['Contact.Email'] as const;

export interface OpportunitySelect {
  /** Optional fields this org has (from describe). */
  optional: readonly string[];
  extraFields: readonly string[];
}

export function opportunitySelect(s: OpportunitySelect): string {
  const seen = new Set<string>();
  const fields: string[] = [];
  for (const f of [...OPPORTUNITY_FIELDS, ...s.optional, ...s.extraFields]) {
    const key = fieldName(f).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push(f);
  }
  for (const f of ACCOUNT_PARENT_FIELDS) {
    if (seen.has(f.toLowerCase())) continue;
    seen.add(f.toLowerCase());
    fields.push(f);
  }
  const roles = `(SELECT ${[...CONTACT_ROLE_FIELDS, ...ROLE_PARENT_FIELDS].join(', ')} FROM OpportunityContactRoles)`;
  return `SELECT ${fields.join(', ')}, ${roles} FROM Opportunity`;
}

/** `SystemModstamp < before`, floored like every datetime literal (empty without `before`). */
function beforeCondition(before: string | undefined): string {
  return before === undefined ? '' : ` AND SystemModstamp < ${datetimeLiteral(before)}`;
}

export function opportunitiesChangedSoql(
  cursor: ChangeCursor,
  s: OpportunitySelect,
  before?: string,
): string {
  return `${opportunitySelect(s)} WHERE ${cursorCondition(cursor)}${beforeCondition(before)} ORDER BY SystemModstamp, Id`;
}

export function opportunitiesByIdsSoql(ids: readonly string[], s: OpportunitySelect): string {
  return `${opportunitySelect(s)} WHERE Id IN (${ids.map(idLiteral).join(', ')}) ORDER BY Id`;
}

export function allOpportunitiesSoql(afterId: string | null, s: OpportunitySelect): string {
  const where = afterId ? ` WHERE Id > ${idLiteral(afterId)}` : '';
  return `${opportunitySelect(s)}${where} ORDER BY Id`;
}

/** Ids of every live opportunity (query, not queryAll), for the full comparison of deletes. */
export function allOpportunityIdsSoql(): string {
  return 'SELECT Id FROM Opportunity ORDER BY Id';
}

export function contactRolesChangedSoql(cursor: ChangeCursor, before?: string): string {
  return `SELECT ${CONTACT_ROLE_FIELDS.join(', ')} FROM OpportunityContactRole WHERE ${cursorCondition(cursor)}${beforeCondition(before)} ORDER BY SystemModstamp, Id`;
}

export const ACCOUNT_FIELDS = ['Id', 'Name', 'Website', 'SystemModstamp'] as const;
export const CONTACT_FIELDS = ['Id', 'Email', 'FirstName', 'LastName', 'AccountId'] as const;

export function accountsChangedSoql(cursor: ChangeCursor): string {
  return `SELECT ${ACCOUNT_FIELDS.join(', ')} FROM Account WHERE ${cursorCondition(cursor)} ORDER BY SystemModstamp, Id`;
}

export function byIdsSoql(
  sobject: 'Account' | 'Contact',
  fields: readonly string[],
  ids: readonly string[],
): string {
  return `SELECT ${fields.join(', ')} FROM ${sobject} WHERE Id IN (${ids.map(idLiteral).join(', ')})`;
}

/** Contacts by Email (SOQL's `=`/`IN` on text ignore case, as Salesforce documents). */
export function contactsByEmailsSoql(emails: readonly string[]): string {
  return `SELECT ${CONTACT_FIELDS.join(', ')} FROM Contact WHERE Email IN (${emails.map(quote).join(', ')})`;
}

/** The live contact roles of these contacts (query, not queryAll): which opportunities they are on. */
export function contactRolesOfContactsSoql(contactIds: readonly string[]): string {
  return `SELECT OpportunityId FROM OpportunityContactRole WHERE ContactId IN (${contactIds.map(idLiteral).join(', ')})`;
}
