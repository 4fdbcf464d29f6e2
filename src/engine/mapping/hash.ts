import { createHash } from 'node:crypto';
import type { HsProperties } from '../../domain/hubspot.js';

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
