// Type checking of WHERE conditions: each literal must suit its field as Salesforce requires
// (quoted strings for text and ids, bare numbers, booleans, dates and datetimes), with the
// INVALID_FIELD / INVALID_QUERY_FILTER_OPERATOR messages Salesforce writes.
import type { Condition, Literal } from './ast.js';
import type { SoqlDataSource, SoqlObjectInfo } from './catalog.js';
import { errorAt, filterTypeMismatch } from './errors.js';
import { resolveField } from './fields.js';
import { toCanonicalId } from './ids.js';
import type { FilterValue, ResolvedCond, ResolvedField } from './plan.js';

// Type names as Salesforce spells them in "must be of type …" (SOAP/xsd names).
function typeWord(f: ResolvedField): string {
  switch (f.cls) {
    case 'text':
      return 'string';
    case 'id':
      return 'id';
    case 'number':
      return f.field.type === 'int' ? 'int' : 'double';
    case 'datetime':
      return 'dateTime';
    default:
      return f.cls;
  }
}

export function resolveCondition(
  text: string,
  ds: SoqlDataSource,
  info: SoqlObjectInfo,
  cond: Condition,
): ResolvedCond {
  switch (cond.kind) {
    case 'and':
    case 'or':
      return { kind: cond.kind, items: cond.items.map((c) => resolveCondition(text, ds, info, c)) };
    case 'not':
      return { kind: 'not', item: resolveCondition(text, ds, info, cond.item) };
    case 'compare': {
      const field = resolveField(text, ds, info, cond.field);
      if (cond.op === 'LIKE') {
        if (field.cls !== 'text') {
          const word = field.cls === 'id' ? 'id' : typeWord(field);
          throw errorAt(
            text,
            cond.field.pos,
            'INVALID_QUERY_FILTER_OPERATOR',
            `invalid operator on ${word} field`,
          );
        }
        if (cond.value.kind === 'null')
          return { kind: 'compare', field, op: 'LIKE', value: { kind: 'null' } };
        if (cond.value.kind !== 'string')
          throw errorAt(
            text,
            cond.field.pos,
            'INVALID_FIELD',
            filterTypeMismatch(field.path, 'string', true),
          );
        return { kind: 'compare', field, op: 'LIKE', value: { kind: 'null' }, like: cond.value.like };
      }
      return {
        kind: 'compare',
        field,
        op: cond.op,
        value: checkValue(text, field, cond.value, cond.field.pos),
      };
    }
    case 'in': {
      const field = resolveField(text, ds, info, cond.field);
      const values = cond.values.map((v) => checkValue(text, field, v, cond.field.pos));
      return { kind: 'in', field, negated: cond.negated, values };
    }
  }
}

function checkValue(text: string, field: ResolvedField, lit: Literal, fieldPos: number): FilterValue {
  // "Use null in WHERE" (SOQL reference): on a boolean field, null matches false.
  if (lit.kind === 'null') return field.cls === 'boolean' ? { kind: 'value', v: false } : { kind: 'null' };
  const mismatch = (quoted: boolean) =>
    errorAt(text, fieldPos, 'INVALID_FIELD', filterTypeMismatch(field.path, typeWord(field), quoted));
  switch (field.cls) {
    case 'text':
      if (lit.kind !== 'string') throw mismatch(true);
      return { kind: 'value', v: lit.value.toLowerCase() };
    case 'id': {
      if (lit.kind !== 'string') throw mismatch(true);
      const id = toCanonicalId(lit.value);
      if (id === undefined)
        throw errorAt(text, fieldPos, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${lit.value}`);
      return { kind: 'value', v: id };
    }
    case 'number':
      if (lit.kind !== 'number') throw mismatch(false);
      return { kind: 'value', v: lit.value };
    case 'boolean':
      if (lit.kind !== 'boolean') throw mismatch(false);
      return { kind: 'value', v: lit.value };
    case 'date':
      if (lit.kind === 'date') return { kind: 'value', v: lit.value };
      if (lit.kind === 'dateLiteral') return { kind: 'range', name: lit.name, n: lit.n };
      throw mismatch(false);
    case 'datetime':
      if (lit.kind === 'datetime') return { kind: 'value', v: lit.value };
      if (lit.kind === 'dateLiteral') return { kind: 'range', name: lit.name, n: lit.n };
      throw mismatch(false);
  }
}
