// `salesforce_contact_id` rides on the contact's first rollup write instead of a call of its own.
// A contact matched by email (scope.ts) is linked in the store at once; HubSpot learns the id with
// the rollup values that the same pass writes anyway (a new link has no rollup hash, so its first
// rollup is always written). One call per 100 contacts saved on every email match.
//
// Two Salesforce contacts can share an email and so one HubSpot contact, written once per pass
// over the union of their opportunities. The id written is the lowest Salesforce id among all the
// links to that contact, and only while that link still needs it; the others stay linked in
// dealbridge's store alone (a later, higher duplicate never replaces the lower id). When HubSpot refuses the id
// because another contact already holds it (the property is unique), the write is sent again
// without it: the rollups must not fail for a value that only helps later look-ups.
import { BatchRejectedError } from '../ports/remote.js';
import { CONTACT_ID_PROPERTY } from '../sync/scope.js';
import type { RecordLink } from '../ports/store.js';

export { CONTACT_ID_PROPERTY };

/** Whether the link's Salesforce id has yet to be written to the contact: matched by email, never rolled up. */
export function needsContactIdWrite(link: RecordLink): boolean {
  return link.matchedBy === 'email' && link.rollupHash === null;
}

/**
 * HubSpot contact id → the one Salesforce id to write to it: the lowest of all the given links to
 * that contact, when that link needs it (pass every link to the contact, not only those touched).
 */
export function contactIdWrites(links: Iterable<RecordLink>): Map<string, string> {
  const lowest = new Map<string, RecordLink>();
  for (const link of links) {
    const chosen = lowest.get(link.hubspotId);
    if (chosen === undefined || link.salesforceId < chosen.salesforceId) lowest.set(link.hubspotId, link);
  }
  const out = new Map<string, string>();
  for (const [hubspotId, link] of lowest)
    if (needsContactIdWrite(link)) out.set(hubspotId, link.salesforceId);
  return out;
}

/**
 * Splits items into rounds in which each target appears once: a batch update refuses duplicate
 * ids as a whole, so two Salesforce contacts linked to one HubSpot contact go in separate calls.
 * Without duplicates (the usual case) this is one round, in the original order.
 */
export function roundsByTarget<T>(items: readonly T[], target: (item: T) => string): T[][] {
  const rounds: T[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const key = target(item);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    (rounds[n] ??= []).push(item);
  }
  return rounds;
}

/**
 * When HubSpot refused a batch because of `salesforce_contact_id` (another contact holds the
 * value): the indexes whose id to drop before sending again — the inputs HubSpot named, or the
 * only input; undefined when the batch must be split first (or the error is about something else).
 */
export function contactIdConflict(err: unknown, carriesId: boolean[]): number[] | undefined {
  if (!(err instanceof BatchRejectedError)) return undefined;
  // A rollup write holds no other unique value: a 409 that names no property is about the id too.
  const aboutId = err.property === CONTACT_ID_PROPERTY || (err.status === 409 && !err.property);
  if (!aboutId) return undefined;
  const named = [...new Set(err.culprits)].filter((i) => carriesId[i] === true);
  if (named.length > 0) return named;
  if (carriesId.length === 1 && carriesId[0] === true) return [0];
  return undefined;
}
