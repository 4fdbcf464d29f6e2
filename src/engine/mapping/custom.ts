// Custom field mappings: any Opportunity field → any deal property, type-checked, with the four
// sync rules of HubSpot's connector. Also the rule logic the default mappings share.
import type { HsPropertyDefinition } from '../../domain/hubspot.js';
import type { ErrorCode } from '../../errors/index.js';
import type { MapOptions, RecordIssue, SyncRule } from './types.js';
import { checkLength, decimalString, isBlank, quote, toHubspotDate, toHubspotDateTime } from './values.js';

/** Which HubSpot property types each Salesforce field type (describe `type`) may be written to. */
const compatible: Record<string, readonly HsPropertyDefinition['type'][]> = {
  picklist: ['enumeration', 'string'],
  multipicklist: ['enumeration', 'string'],
  combobox: ['enumeration', 'string'],
  double: ['number'],
  currency: ['number'],
  percent: ['number'],
  int: ['number'],
  long: ['number'],
  date: ['date', 'datetime'],
  datetime: ['datetime', 'date'],
  string: ['string'],
  textarea: ['string'],
  email: ['string'],
  phone: ['string'],
  url: ['string'],
  id: ['string'],
  reference: ['string'],
  boolean: ['bool', 'enumeration', 'string'],
};

/**
 * Whether a Salesforce field of this type can be written to this HubSpot property: picklist ↔
 * enumeration, double/currency/percent/int ↔ number, date/datetime ↔ date/datetime,
 * string/textarea/email/phone/url ↔ string (plus the lossless extras in the table above).
 */
export function checkMappingCompatibility(sfFieldType: string, hs: HsPropertyDefinition): RecordIssue | null {
  const allowed = compatible[sfFieldType.toLowerCase()];
  if (hs.readOnlyValue) {
    return {
      code: 'INVALID_VALUE',
      field: hs.name,
      message: `HubSpot deal property "${hs.name}" is read-only: no Salesforce field can be mapped to it`,
    };
  }
  if (!allowed) {
    return {
      code: 'INVALID_VALUE',
      field: hs.name,
      message: `Salesforce fields of type ${sfFieldType} cannot be mapped (to HubSpot deal property "${hs.name}")`,
    };
  }
  if (!allowed.includes(hs.type)) {
    return {
      code: 'INVALID_VALUE',
      field: hs.name,
      message: `a Salesforce ${sfFieldType} field cannot be written to HubSpot deal property "${hs.name}" of type ${hs.type} (it takes ${allowed.join(' or ')} properties)`,
    };
  }
  return null;
}

type RawValue = string | number | boolean | null | undefined;
export type CustomValue = { ok: true; value: string } | { ok: false; code: ErrorCode; reason: string };

function optionValue(hs: HsPropertyDefinition, item: string): string | undefined {
  const options = hs.options ?? [];
  const exact = options.find((o) => o.value === item);
  if (exact) return exact.value;
  const lower = item.trim().toLowerCase();
  return options.find((o) => o.value.toLowerCase() === lower || o.label.trim().toLowerCase() === lower)
    ?.value;
}

/** A non-blank Salesforce value as the string HubSpot expects for this property. */
export function convertCustomValue(
  raw: Exclude<RawValue, null | undefined>,
  hs: HsPropertyDefinition,
): CustomValue {
  const invalid = (reason: string): CustomValue => ({ ok: false, code: 'INVALID_VALUE', reason });
  switch (hs.type) {
    case 'number': {
      if (typeof raw === 'boolean') return invalid(`${raw} is not a number`);
      const d = decimalString(raw);
      return d.ok ? d : invalid(d.reason);
    }
    case 'date':
    case 'datetime': {
      if (typeof raw !== 'string') return invalid(`${String(raw)} is not a date`);
      const d = hs.type === 'date' ? toHubspotDate(raw) : toHubspotDateTime(raw);
      return d.ok ? d : invalid(d.reason);
    }
    case 'bool': {
      const text = String(raw).toLowerCase();
      return text === 'true' || text === 'false'
        ? { ok: true, value: text }
        : invalid(`${quote(raw)} is not true or false`);
    }
    case 'enumeration': {
      const items = typeof raw === 'string' ? raw.split(';').map((s) => s.trim()) : [String(raw)];
      if (items.length > 1 && hs.fieldType !== 'checkbox') {
        return invalid(`${quote(raw)} has several values, HubSpot property "${hs.name}" takes one`);
      }
      const values: string[] = [];
      for (const item of items) {
        const v = optionValue(hs, item);
        if (v === undefined) {
          return {
            ok: false,
            code: 'INVALID_PICKLIST',
            reason: `${quote(item)} is not an option of HubSpot property "${hs.name}"`,
          };
        }
        values.push(v);
      }
      return { ok: true, value: values.join(';') };
    }
    case 'string': {
      const c = checkLength(String(raw));
      return c.ok ? c : { ok: false, code: 'VALUE_TOO_LONG', reason: c.reason };
    }
  }
}

/**
 * What a sync rule writes, given the Salesforce value already converted (or blank):
 * `undefined` = leave the HubSpot value alone; '' = clear it.
 */
export function applyRule(
  rule: SyncRule,
  property: string,
  value: string | null,
  opts: MapOptions,
): string | undefined {
  const blank = isBlank(value);
  switch (rule) {
    case 'dont_sync':
      return undefined;
    case 'always_salesforce':
      return blank ? '' : value;
    case 'prefer_salesforce_unless_blank':
      return blank ? undefined : value;
    case 'two_way': {
      const next = blank ? '' : value;
      if (opts.isCreate) return blank ? undefined : next;
      const last = opts.lastWritten;
      // Unchanged in Salesforce since we last wrote it: a newer HubSpot edit, if any, wins.
      if (last && Object.hasOwn(last, property) && (last[property] ?? '') === next) return undefined;
      return next;
    }
  }
}
