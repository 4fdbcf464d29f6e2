// Turns a client's JSON record into stored values, failing as Salesforce fails: unknown fields,
// read-only fields, wrong JSON types, lengths, restricted picklists, malformed/mismatched ids and
// missing required fields, each with Salesforce's error code and `fields` array.
import type { SoqlValue } from './soql/catalog.js';
import type { FieldDef, ObjectDef } from './schema.js';
import type { SfError } from './errors.js';
import { RecordError, recordError } from './errors.js';
import { keyPrefix, normalizeId } from './ids.js';
import { parseDate, parseDateTime } from './time.js';
import { MASTER_RECORD_TYPE_ID } from './sales-process.js';

export interface RefChecker {
  /** Key prefix of a type (for reference checks). */
  prefixOf(type: string): string | undefined;
  /** 'ok' | 'missing' | 'deleted' for a referenced id of a type. */
  refState(type: string, id: string): 'ok' | 'missing' | 'deleted';
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function jsonTypeName(v: unknown): string {
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return Number.isInteger(v) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof v === 'boolean') return v ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (Array.isArray(v)) return 'START_ARRAY';
  return 'START_OBJECT';
}

function parserError(f: FieldDef, v: unknown): SfError {
  const shown = typeof v === 'object' ? '' : ` value ${String(v)}`;
  const kind = f.type === 'currency' || f.type === 'percent' ? 'double' : f.type;
  return {
    errorCode: 'JSON_PARSER_ERROR',
    message: `Cannot deserialize instance of ${kind} from ${jsonTypeName(v)}${shown} or request may be missing a required field`,
    fields: [f.name],
  };
}

function coerce(
  f: FieldDef,
  v: unknown,
  refs: RefChecker,
  existing?: Readonly<Record<string, SoqlValue>>,
): SoqlValue | SfError {
  if (v === null) return null;
  switch (f.type) {
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return parserError(f, v);
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) return parserError(f, v);
      if (f.type === 'int' && !Number.isInteger(n)) return parserError(f, v);
      return n;
    }
    case 'date': {
      const d = typeof v === 'string' ? parseDate(v) : undefined;
      return d ?? parserError(f, v);
    }
    case 'datetime': {
      const t = typeof v === 'string' ? parseDateTime(v) : typeof v === 'number' ? v : undefined;
      return t ?? parserError(f, v);
    }
    case 'reference':
    case 'id': {
      if (typeof v !== 'string') return parserError(f, v);
      if (v === '') return null;
      const id = normalizeId(v);
      if (!id)
        return {
          errorCode: 'MALFORMED_ID',
          message: `${f.label}: id value of incorrect type: ${v}`,
          fields: [f.name],
        };
      // The Master record type has no RecordType row; the sales-process rules decide on it.
      if (f.name === 'RecordTypeId' && id === MASTER_RECORD_TYPE_ID) return id;
      const target = f.referenceTo.find((t) => refs.prefixOf(t) === keyPrefix(id));
      if (!target) {
        return {
          errorCode: 'FIELD_INTEGRITY_EXCEPTION',
          message: `${f.label}: id value of incorrect type: ${v}`,
          fields: [f.name],
        };
      }
      const state = refs.refState(target, id);
      if (state === 'deleted')
        return { errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [f.name] };
      if (state === 'missing') {
        return {
          errorCode: 'INVALID_CROSS_REFERENCE_KEY',
          message: `invalid cross reference id`,
          fields: [f.name],
        };
      }
      return id;
    }
    default: {
      if (typeof v === 'object') return parserError(f, v);
      const s = String(v);
      if (s === '') return null;
      if (f.type === 'picklist') {
        // A value the record already holds stays valid after it was deactivated (old records in
        // a retired stage can still be saved); only new values must be active.
        const kept = existing !== undefined && existing[f.name] === s;
        if (f.restrictedPicklist && !kept && !f.picklistValues.some((p) => p.active && p.value === s)) {
          return {
            errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            message: `${f.label}: bad value for restricted picklist field: ${s}`,
            fields: [f.name],
          };
        }
        if (f.length > 0 && s.length > f.length) return tooLong(f, s);
        return s;
      }
      if (f.length > 0 && s.length > f.length) return tooLong(f, s);
      if (f.type === 'email' && !EMAIL_RE.test(s)) {
        return {
          errorCode: 'INVALID_EMAIL_ADDRESS',
          message: `${f.label}: invalid email address: ${s}`,
          fields: [f.name],
        };
      }
      return s;
    }
  }
}

function tooLong(f: FieldDef, s: string): SfError {
  const shown = s.length > 100 ? `${s.slice(0, 100)}...` : s;
  return {
    errorCode: 'STRING_TOO_LONG',
    message: `${f.label}: data value too large: ${shown} (max length=${f.length})`,
    fields: [f.name],
  };
}

function isError(v: SoqlValue | SfError): v is SfError {
  return typeof v === 'object' && v !== null;
}

/**
 * Validates a create (`existing` undefined) or update of one record; returns the values to store
 * keyed by canonical field name. Throws RecordError with every problem found.
 */
export function validateInput(
  def: ObjectDef,
  input: Record<string, unknown>,
  refs: RefChecker,
  existing?: Readonly<Record<string, SoqlValue>>,
): Record<string, SoqlValue> {
  const creating = existing === undefined;
  const out: Record<string, SoqlValue> = {};
  const errors: SfError[] = [];
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (key === 'attributes') continue;
    const f = def.fieldsByLower.get(key.toLowerCase());
    if (!f) {
      errors.push({
        errorCode: 'INVALID_FIELD',
        message: `No such column '${key}' on sobject of type ${def.name}`,
        fields: [],
      });
      continue;
    }
    if (f.name === 'Id') {
      // An update may repeat its own id in the body; anything else is not writable.
      if (!creating && typeof raw === 'string' && normalizeId(raw) === existing.Id) continue;
      readOnly.push(f.name);
      continue;
    }
    if (creating ? !f.createable : !f.updateable) {
      readOnly.push(f.name);
      continue;
    }
    const v = coerce(f, raw, refs, existing);
    if (isError(v)) errors.push(v);
    else out[f.name] = v;
  }
  if (readOnly.length > 0) {
    errors.unshift({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: readOnly,
    });
  }
  const missing = def.fields
    .filter(
      (f) =>
        f.required && (creating ? out[f.name] === undefined || out[f.name] === null : out[f.name] === null),
    )
    .map((f) => f.name);
  if (missing.length > 0 && !errors.some((e) => e.errorCode === 'INVALID_FIELD')) {
    errors.push({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: `Required fields are missing: [${missing.join(', ')}]`,
      fields: missing,
    });
  }
  if (errors.length > 0) throw new RecordError(errors);
  return out;
}

/** Unique and external-id fields: a value another live record holds is DUPLICATE_VALUE. */
export function checkUnique(
  def: ObjectDef,
  values: Record<string, SoqlValue>,
  holders: (field: string, value: string) => readonly { Id?: unknown }[],
  selfId?: string,
): void {
  for (const f of def.fields) {
    const v = values[f.name];
    if (!f.unique || v === undefined || v === null) continue;
    const other = holders(f.name, String(v)).find((r) => r.Id !== selfId);
    if (other) {
      throw recordError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${f.name} duplicates value on record with id: ${String(other.Id)}`,
        [f.name],
      );
    }
  }
}
