// Salesforce record ids: 15 case-sensitive characters, or 18 with a 3-character suffix that
// encodes which of the 15 are upper-case (so an 18-char id survives case-insensitive tools: a
// spreadsheet or a user's typing may upper-case it, and the suffix restores it).
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-char form of a 15-char id (its case-safe suffix appended). */
export function to18(id15: string): string {
  let suffix = '';
  for (let part = 0; part < 3; part++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(part * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return id15 + suffix;
}

/**
 * The stored (18-char, case-exact) form of what a user typed as an id: a 15-char id gets its
 * suffix; an 18-char id in any case gets the case its suffix says. Undefined when it is not an id.
 */
export function canonicalSalesforceId(q: string): string | undefined {
  if (/^[a-zA-Z0-9]{15}$/.test(q)) return to18(q);
  if (!/^[a-zA-Z0-9]{18}$/.test(q)) return undefined;
  const suffix = q.slice(15).toUpperCase();
  let id = '';
  for (let part = 0; part < 3; part++) {
    const bits = SUFFIX.indexOf(suffix.charAt(part));
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const c = q.charAt(part * 5 + i);
      id += bits & (1 << i) ? c.toUpperCase() : c.toLowerCase();
    }
  }
  return id + suffix;
}
