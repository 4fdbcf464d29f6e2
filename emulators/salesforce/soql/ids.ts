// Salesforce record ids: 15 case-sensitive characters, or 18 with a 3-character suffix that encodes
// the case of the first 15 so the id survives case-insensitive systems. The API returns 18 and
// accepts both; SOQL compares ids after bringing them to the canonical 18-character form.
// Algorithm: each 5-character chunk gives a 5-bit mask (bit i set when char i is A-Z), mapped
// into A-Z0-5 (public; e.g. github.com/rtkfan/sfdc-ids README, salesforce.stackexchange 1653).

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** True when `s` has the shape of a 15- or 18-character id (alphanumeric; checksum checked for 18). */
export function isIdShaped(s: string): boolean {
  if (s.length !== 15 && s.length !== 18) return false;
  for (let i = 0; i < s.length; i++) if (!isAlnum(s.charCodeAt(i))) return false;
  return s.length === 15 || toCanonicalId(s) !== undefined;
}

/** 15 → 18 characters. */
export function to18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let mask = 0;
    for (let i = 0; i < 5; i++) if (isUpper(id15.charCodeAt(chunk * 5 + i))) mask |= 1 << i;
    suffix += SUFFIX_ALPHABET[mask];
  }
  return id15 + suffix;
}

/**
 * The canonical 18-character id for a 15- or 18-character input (an 18-character id may arrive in
 * any letter case: its suffix says which letters are upper case). Undefined when not an id.
 */
export function toCanonicalId(id: string): string | undefined {
  for (let i = 0; i < id.length; i++) if (!isAlnum(id.charCodeAt(i))) return undefined;
  if (id.length === 15) return to18(id);
  if (id.length !== 18) return undefined;
  let head = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const mask = SUFFIX_ALPHABET.indexOf(id.charAt(15 + chunk).toUpperCase());
    if (mask < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const ch = id.charAt(chunk * 5 + i);
      head += mask & (1 << i) ? ch.toUpperCase() : ch.toLowerCase();
    }
  }
  return head + id.slice(15).toUpperCase();
}
