import { createHash } from 'node:crypto';
import type { HsProperties } from '../../domain/hubspot.js';
import type { SfOpportunity } from '../../domain/salesforce.js';

/**
 * Properties written only when the deal is created. They never change afterwards, so they stay
 * out of the hash: the first update after a create would otherwise always look like a change.
 */
export const createOnlyProperties: ReadonlySet<string> = new Set(['createdate']);

/** Stable content hash (sorted keys, sha256 hex) of mapped deal properties: equal values, equal hash. */
export function dealPropertiesHash(props: HsProperties): string {
  const entries = Object.keys(props)
    .filter((k) => !createOnlyProperties.has(k))
    .sort()
    .map((k) => [k, props[k] ?? null]);
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

/** JSON with object keys sorted at every level: the same data, the same text. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

/**
 * Content hash of an opportunity row as read, without its stamp and its contact roles (the role
 * feed has its own): two reads at one SystemModstamp differ when the row was edited again within
 * that second (Salesforce stamps to the second), and this tells them apart.
 */
export function opportunityRowHash(o: SfOpportunity & { contactRoles?: unknown }): string {
  const { SystemModstamp: _stamp, contactRoles: _roles, ...fields } = o;
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}
