// WHERE conditions compiled into row predicates. SOQL's null rules differ from SQL's: `= null`
// matches empty fields and `!=` matches them too; NOT IN, ordering comparisons and LIKE never do
// (NOT IN: sfdcdevelopers.com "SOQL NOT IN, NOT EQUAL & NOT LIKE", a third-party guide).
// Text compares case-insensitively (SOQL reference, "Comparison Operators"); date literals are
// turned into ranges with the data source's clock at execution time.
import type { SoqlDataSource, SoqlRow, SoqlValue } from './catalog.js';
import { dateLiteralRange, dayToDate, dayToMs } from './dates.js';
import type { FilterValue, ResolvedCond, ResolvedField } from './plan.js';

export type Predicate = (row: SoqlRow, ds: SoqlDataSource) => boolean;

type Scalar = string | number | boolean;

function normalise(field: ResolvedField, v: SoqlValue): Scalar | null {
  if (v === null) return field.cls === 'boolean' ? false : null;
  return field.cls === 'text' && typeof v === 'string' ? v.toLowerCase() : v;
}

function rangeBounds(field: ResolvedField, value: Extract<FilterValue, { kind: 'range' }>, now: Date) {
  const r = dateLiteralRange(value.name, value.n, now);
  return field.cls === 'date'
    ? { lo: dayToDate(r.start) as Scalar, hi: dayToDate(r.end) as Scalar }
    : { lo: dayToMs(r.start) as Scalar, hi: dayToMs(r.end) as Scalar };
}

/** `%` any run, `_` one character, `\%` `\_` `\\` literal; case-insensitive. */
export function compileLike(pattern: string): (s: string) => boolean {
  const toks: (string | '%any' | '%one')[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) toks.push(pattern[++i]!.toLowerCase());
    else if (c === '%') toks.push('%any');
    else if (c === '_') toks.push('%one');
    else toks.push(c.toLowerCase());
  }
  return (input) => {
    const s = input.toLowerCase();
    let si = 0;
    let ti = 0;
    let starT = -1;
    let starS = 0;
    while (si < s.length) {
      const t = toks[ti];
      if (t === '%one' || (t !== undefined && t !== '%any' && t === s[si])) {
        si++;
        ti++;
      } else if (t === '%any') {
        starT = ti++;
        starS = si;
      } else if (starT >= 0) {
        ti = starT + 1;
        si = ++starS;
      } else return false;
    }
    while (toks[ti] === '%any') ti++;
    return ti === toks.length;
  };
}

export function compilePredicate(cond: ResolvedCond, now: Date): Predicate {
  switch (cond.kind) {
    case 'and': {
      const parts = cond.items.map((c) => compilePredicate(c, now));
      return (row, ds) => parts.every((p) => p(row, ds));
    }
    case 'or': {
      const parts = cond.items.map((c) => compilePredicate(c, now));
      return (row, ds) => parts.some((p) => p(row, ds));
    }
    case 'not': {
      const inner = compilePredicate(cond.item, now);
      return (row, ds) => !inner(row, ds);
    }
    case 'in': {
      const { field } = cond;
      const hasNull = cond.values.some((v) => v.kind === 'null');
      const tests = cond.values.filter((v) => v.kind !== 'null').map((v) => valueTest(field, '=', v, now));
      const set = tests.every((t) => t.exact !== undefined) ? new Set(tests.map((t) => t.exact)) : undefined;
      const matches = (v: Scalar | null): boolean =>
        v === null ? hasNull : set ? set.has(v) : tests.some((t) => t.test(v));
      if (!cond.negated) return (row, ds) => matches(normalise(field, field.get(row, ds)));
      return (row, ds) => {
        const v = normalise(field, field.get(row, ds));
        return v !== null && !matches(v);
      };
    }
    case 'compare': {
      const { field } = cond;
      if (cond.like !== undefined) {
        const like = compileLike(cond.like);
        return (row, ds) => {
          const v = field.get(row, ds);
          return typeof v === 'string' && like(v);
        };
      }
      if (cond.value.kind === 'null') {
        const wantNull = cond.op === '=' || cond.op === 'LIKE';
        if (cond.op !== '=' && cond.op !== '!=' && cond.op !== 'LIKE') return () => false;
        return (row, ds) => (field.get(row, ds) === null) === wantNull;
      }
      const { test } = valueTest(field, cond.op, cond.value, now);
      const nullResult = cond.op === '!=';
      return (row, ds) => {
        const v = normalise(field, field.get(row, ds));
        return v === null ? nullResult : test(v);
      };
    }
  }
}

/** A test on a non-null normalised value; `exact` when it is plain equality (hashable). */
function valueTest(
  field: ResolvedField,
  op: string,
  value: FilterValue,
  now: Date,
): { test: (v: Scalar) => boolean; exact?: Scalar } {
  if (value.kind === 'range') {
    const { lo, hi } = rangeBounds(field, value, now);
    switch (op) {
      case '=':
        return { test: (v) => v >= lo && v < hi };
      case '!=':
        return { test: (v) => !(v >= lo && v < hi) };
      case '<':
        return { test: (v) => v < lo };
      case '<=':
        return { test: (v) => v < hi };
      case '>':
        return { test: (v) => v >= hi };
      default:
        return { test: (v) => v >= lo };
    }
  }
  const x = (value as Extract<FilterValue, { kind: 'value' }>).v;
  switch (op) {
    case '=':
      return { test: (v) => v === x, exact: x };
    case '!=':
      return { test: (v) => v !== x };
    case '<':
      return { test: (v) => v < x };
    case '<=':
      return { test: (v) => v <= x };
    case '>':
      return { test: (v) => v > x };
    default:
      return { test: (v) => v >= x };
  }
}
