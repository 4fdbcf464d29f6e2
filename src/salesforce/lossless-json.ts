// Salesforce sends currency and number fields as JSON numbers (`"Amount": 1234.5`, and for large
// values Java's `1.39E8`). JSON.parse would turn them into binary floats: 18-digit currency values
// lose digits and every later sum inherits the noise. We therefore parse the raw response text with
// every number literal kept as its text, and turn exponent forms into plain decimals by moving the
// decimal point in the string: no float ever holds a Salesforce number on the way in.
//
// (Node 20's JSON.parse has no source-text access for reviver callbacks, hence the rewrite.)

/** JSON.parse, except that every number literal arrives as a string holding its exact text. */
export function parseJsonKeepingNumbers(text: string): unknown {
  return JSON.parse(quoteNumbers(text)) as unknown;
}

// A hand-written scan, not a regex replace: it copies whole runs of text between numbers and skips
// strings with indexOf, so a 2,000-record page costs a few native searches per string rather than
// one callback per token (Salesforce pages hold many strings and few numbers).
function quoteNumbers(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = stringEnd(text, i + 1);
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      out += text.slice(copied, i) + '"' + text.slice(i, j) + '"';
      copied = j;
      i = j;
    } else i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The index just past the closing quote of a string whose body starts at `from`. */
function stringEnd(text: string, from: number): number {
  let q = text.indexOf('"', from);
  while (q !== -1) {
    let slashes = 0;
    for (let k = q - 1; k >= from && text.charCodeAt(k) === 92 /* \ */; k--) slashes++;
    if (slashes % 2 === 0) return q + 1;
    q = text.indexOf('"', q + 1);
  }
  return text.length; // unterminated: JSON.parse reports it
}

function isNumberChar(c: number): boolean {
  // digits . e E + -
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
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
