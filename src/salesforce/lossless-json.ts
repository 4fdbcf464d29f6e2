// Salesforce sends currency and number fields as JSON numbers (`"Amount": 1234.5`, and for large
// values Java's `1.39E8`). JSON.parse would turn them into binary floats: 18-digit currency values
// lose digits and every later sum inherits the noise. We therefore parse the raw response text with
// every number literal kept as its text, and turn exponent forms into plain decimals by moving the
// decimal point in the string: no float ever holds a Salesforce number on the way in.
//
// (Node 20's JSON.parse has no source-text access for reviver callbacks, hence the rewrite.)

// Strings are matched first, so digits inside them are skipped; any other match is a number token.
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** JSON.parse, except that every number literal arrives as a string holding its exact text. */
export function parseJsonKeepingNumbers(text: string): unknown {
  const rewritten = text.replace(TOKEN, (tok) => (tok.charCodeAt(0) === 34 /* " */ ? tok : `"${tok}"`));
  return JSON.parse(rewritten) as unknown;
}

const NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * A JSON number literal as a plain decimal string: `1.39E8` → `139000000`, `1.5e-3` → `0.0015`;
 * literals without an exponent are returned exactly as sent (`15000.0` stays `15000.0`).
 */
export function plainDecimal(literal: string): string {
  const m = NUMBER.exec(literal);
  if (!m) throw new Error(`not a number literal: ${literal}`);
  const [, sign = '', int = '', frac = '', exp] = m;
  if (exp === undefined) return literal;
  const e = Number(exp);
  let digits = (int + frac).replace(/^0+(?=\d)/, '');
  let point = int.replace(/^0+(?=\d)/, '').length + e;
  if (int.replace(/^0+/, '') === '' && int !== '') {
    // 0.00123E2: leading zeros of the fraction shift the point left
    const lead = /^0*/.exec(frac)?.[0].length ?? 0;
    digits = frac.slice(lead) || '0';
    point = e - lead;
  }
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  out = out.includes('.') ? out.replace(/0+$/, '').replace(/\.$/, '') : out;
  if (/^0*$/.test(out.replace('.', ''))) return '0';
  return sign + out;
}
