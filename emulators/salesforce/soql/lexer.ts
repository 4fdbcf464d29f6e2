// SOQL tokenizer. Hand-written scanner (no regular expressions): identifiers (dotted paths are one
// token, as in Salesforce's own messages: `unexpected token: 'Acccount.Name'`), string literals with
// SOQL's backslash escapes, numbers, date and datetime literals, and operators.
import { errorAt } from './errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  /** Character offset in the query. */
  pos: number;
  /** ident: path segments; string: decoded text; number: numeric value; date: YYYY-MM-DD; datetime: epoch ms. */
  parts?: string[];
  str?: string;
  /** string: the text with the backslash escapes LIKE cares about (`\%`, `\_`, `\\`) kept. */
  like?: string;
  num?: number;
  dateMs?: number;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isIdentPart = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c);
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

// Documented in "Quoted String Escape Sequences" (SOQL and SOSL reference).
const ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(text: string, at: number, count: number): number | undefined {
  let v = 0;
  for (let i = 0; i < count; i++) {
    const c = text[at + i];
    if (!isDigit(c)) return undefined;
    v = v * 10 + (c!.charCodeAt(0) - 48);
  }
  return v;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      const parts: string[] = [];
      for (;;) {
        const segStart = i;
        while (isIdentPart(text[i])) i++;
        parts.push(text.slice(segStart, i));
        if (text[i] === '.' && isIdentStart(text[i + 1])) i++;
        else break;
      }
      tokens.push({ kind: 'ident', text: text.slice(start, i), pos: start, parts });
      continue;
    }
    if (c === "'") {
      i = lexString(text, start, tokens);
      continue;
    }
    if (isDigit(c)) {
      i = lexNumberOrDate(text, start, tokens);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'punct', text: two, pos: start });
      i += 2;
      continue;
    }
    tokens.push({ kind: 'punct', text: c!, pos: start });
    i++;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: n });
  return tokens;
}

function lexString(text: string, start: number, out: Token[]): number {
  let i = start + 1;
  let str = '';
  let like = '';
  for (;;) {
    const c = text[i];
    if (c === undefined) throw errorAt(text, text.length, 'MALFORMED_QUERY', "unexpected token: '<EOF>'");
    if (c === "'") break;
    if (c === '\\') {
      const e = text[i + 1];
      if (e === '%' || e === '_') {
        str += e;
        like += '\\' + e;
      } else if (e !== undefined && e in ESCAPES) {
        str += ESCAPES[e];
        like += e === '\\' ? '\\\\' : ESCAPES[e];
      } else {
        throw errorAt(
          text,
          start,
          'MALFORMED_QUERY',
          `Invalid string literal '${text.slice(start + 1, i + 2)}'. Illegal character sequence '\\${e ?? ''}' in string literal.`,
        );
      }
      i += 2;
      continue;
    }
    str += c;
    like += c;
    i++;
  }
  out.push({ kind: 'string', text: text.slice(start, i + 1), pos: start, str, like });
  return i + 1;
}

function lexNumberOrDate(text: string, start: number, out: Token[]): number {
  const year = digitsAt(text, start, 4);
  if (year !== undefined && text[start + 4] === '-') return lexDate(text, start, year, out);
  let i = start;
  while (isDigit(text[i])) i++;
  if (text[i] === '.' && isDigit(text[i + 1])) {
    i++;
    while (isDigit(text[i])) i++;
  }
  if (isIdentStart(text[i])) {
    while (isIdentPart(text[i])) i++;
    throw errorAt(text, start, 'MALFORMED_QUERY', `unexpected token: '${text.slice(start, i)}'`);
  }
  const src = text.slice(start, i);
  out.push({ kind: 'number', text: src, pos: start, num: Number(src) });
  return i;
}

function lexDate(text: string, start: number, year: number, out: Token[]): number {
  let end = start;
  while (end < text.length && !isSpace(text[end]) && text[end] !== ')' && text[end] !== ',') end++;
  const src = text.slice(start, end);
  const bad = (): never => {
    throw errorAt(text, start, 'MALFORMED_QUERY', `unexpected token: '${src}'`);
  };
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  if (month === undefined || day === undefined || text[start + 7] !== '-') return bad();
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return bad();
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return bad();
  const date = src.slice(0, 10);
  if (src.length === 10) {
    out.push({ kind: 'date', text: src, pos: start, str: date });
    return end;
  }
  if (src[10] !== 'T') return bad();
  const hh = digitsAt(src, 11, 2);
  const mi = digitsAt(src, 14, 2);
  const ss = digitsAt(src, 17, 2);
  if (hh === undefined || mi === undefined || ss === undefined || src[13] !== ':' || src[16] !== ':')
    return bad();
  if (hh > 23 || mi > 59 || ss > 59) return bad();
  let k = 19;
  let ms = 0;
  if (src[k] === '.') {
    k++;
    const fracStart = k;
    while (isDigit(src[k])) k++;
    if (k === fracStart) return bad();
    ms = Math.floor(Number('0.' + src.slice(fracStart, k)) * 1000);
  }
  let offsetMin = 0;
  const z = src[k];
  if (z === 'Z' || z === 'z') {
    k++;
  } else if (z === '+' || z === '-') {
    const oh = digitsAt(src, k + 1, 2);
    const colon = src[k + 3] === ':' ? 1 : 0;
    const om = digitsAt(src, k + 3 + colon, 2);
    if (oh === undefined || om === undefined || oh > 23 || om > 59) return bad();
    offsetMin = (z === '-' ? -1 : 1) * (oh * 60 + om);
    k += 5 + colon;
  } else {
    return bad();
  }
  if (k !== src.length) return bad();
  const dateMs = Date.UTC(year, month - 1, day, hh, mi, ss, ms) - offsetMin * 60_000;
  out.push({ kind: 'datetime', text: src, pos: start, dateMs });
  return end;
}
