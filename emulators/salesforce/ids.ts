// Salesforce record ids: 15 case-sensitive base-62 characters (3-character key prefix naming the
// sObject type, then the record number), plus a 3-character suffix that encodes which of the 15
// characters are upper-case, so the 18-character form survives case-insensitive systems.
// Algorithm: split the 15 characters into three chunks of 5; in each, bit i is set when character i
// is an upper-case letter A-Z; the 5-bit value indexes 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'.

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_CHARS = /^[0-9A-Za-z]+$/;

function isUpper(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}

/** The 3-character case-safe suffix of a 15-character id. */
export function idSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) if (isUpper(id15.charAt(chunk * 5 + i))) flags |= 1 << i;
    out += SUFFIX_ALPHABET.charAt(flags);
  }
  return out;
}

/** Number → fixed-width base-62 string. */
export function base62(n: number, width: number): string {
  let s = '';
  let v = Math.floor(n);
  while (v > 0) {
    s = BASE62.charAt(v % 62) + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, '0');
}

/**
 * Builds the 18-character id of record number `n` of a type. The two characters after the prefix
 * stand for the instance ("pod") as in real ids; the rest is the record number in base 62.
 */
export function makeId(prefix: string, n: number, pod = '5g'): string {
  // Hot path (millions of seeded rows): build char codes directly, no intermediate strings.
  const codes = new Array<number>(18);
  const head = prefix + pod;
  for (let i = 0; i < 5; i++) codes[i] = head.charCodeAt(i);
  let v = Math.floor(n);
  for (let i = 14; i >= 5; i--) {
    codes[i] = BASE62_CODES[v % 62]!;
    v = Math.floor(v / 62);
  }
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = codes[chunk * 5 + i]!;
      if (c >= 65 && c <= 90) flags |= 1 << i;
    }
    codes[15 + chunk] = SUFFIX_CODES[flags]!;
  }
  return String.fromCharCode(...codes);
}

const BASE62_CODES = [...BASE62].map((c) => c.charCodeAt(0));
const SUFFIX_CODES = [...SUFFIX_ALPHABET].map((c) => c.charCodeAt(0));

/**
 * Normalises an id given by a client to its canonical 18-character form, or undefined when it is
 * not a well-formed id. 15-character ids are case-sensitive and get their suffix; 18-character ids
 * are case-insensitive: the suffix restores the case of the first 15 characters.
 */
export function normalizeId(raw: string): string | undefined {
  if (!ID_CHARS.test(raw)) return undefined;
  if (raw.length === 15) return raw + idSuffix(raw);
  if (raw.length !== 18) return undefined;
  const suffix = raw.slice(15).toUpperCase();
  let id15 = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const flags = SUFFIX_ALPHABET.indexOf(suffix.charAt(chunk));
    if (flags < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const c = raw.charAt(chunk * 5 + i);
      id15 += flags & (1 << i) ? c.toUpperCase() : /[A-Z]/.test(c) ? c.toLowerCase() : c;
    }
  }
  // A digit where the suffix says "upper-case letter" cannot be repaired.
  return idSuffix(id15) === suffix ? id15 + suffix : undefined;
}

/** Key prefix (first three characters) of an id. */
export function keyPrefix(id: string): string {
  return id.slice(0, 3);
}
