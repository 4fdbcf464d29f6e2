// Merging two contacts or two companies (POST /crm/v3/objects/{contacts|companies}/merge), as
// HubSpot documents it today (developer changelog "Updated merge functionality for contacts and
// companies"; knowledge base "Merge records"): both records are archived and merged into a NEW
// record with a new id; reads by either old id return that record; the primary's values win, the
// other's fill what the primary lacks; the merged contact's email becomes an additional email;
// associations of both move to the new record.
import { HubError, badRequest } from './http.js';
import type { Portal } from './portal.js';
import { LIFECYCLE_STAGES, type ObjectTypeName } from './schema.js';
import type { Rec } from './store/objects.js';
import { commitArchive, commitCreate } from './records.js';

export type MergeableType = 'contacts' | 'companies';

/** Properties a merge computes instead of copying from either record. */
const COMPUTED = new Set([
  'email',
  'hs_additional_emails',
  'hs_merged_object_ids',
  'hs_calculated_merged_vids',
  'lifecyclestage',
  'createdate',
]);

const FUNNEL = LIFECYCLE_STAGES.map((o) => o.value).filter((v) => v !== 'other');

const split = (v: string | undefined) => (v ? v.split(';').filter(Boolean) : []);
const unique = (xs: string[]) => [...new Set(xs)];

/** The live record an id names now (following earlier merges), or undefined. */
export function currentRecord(portal: Portal, type: ObjectTypeName, id: number): Rec | undefined {
  const rec = portal.objects[type].live(id);
  if (rec) return rec;
  const to = portal.merged[type].get(id);
  return to === undefined ? undefined : portal.objects[type].live(to);
}

function idInput(raw: unknown, name: string): number {
  const s = typeof raw === 'number' ? String(raw) : raw;
  if (typeof s !== 'string' || !/^\d+$/.test(s)) throw badRequest(`${name} must be a record id`);
  return Number(s);
}

/** The merged record's stored values (pure: from the two records' values). */
export function mergedValues(
  type: MergeableType,
  primary: Rec,
  other: Rec,
  at: number,
): Record<string, string> {
  const p: Record<string, string> = {};
  for (const [k, v] of Object.entries(other.p)) if (!COMPUTED.has(k)) p[k] = v;
  for (const [k, v] of Object.entries(primary.p)) if (!COMPUTED.has(k)) p[k] = v;
  const ids = unique([
    String(primary.id),
    String(other.id),
    ...split(primary.p.hs_merged_object_ids),
    ...split(other.p.hs_merged_object_ids),
  ]);
  p.hs_merged_object_ids = ids.join(';');
  const stages = [primary.p.lifecyclestage, other.p.lifecyclestage].filter((s): s is string => !!s);
  if (stages.length)
    p.lifecyclestage = stages.reduce((a, b) => (FUNNEL.indexOf(b) > FUNNEL.indexOf(a) ? b : a));
  if (type === 'contacts') {
    const email = primary.p.email ?? other.p.email;
    if (email !== undefined) p.email = email;
    const extra = unique(
      [
        ...split(primary.p.hs_additional_emails),
        ...(other.p.email ? [other.p.email] : []),
        ...split(other.p.hs_additional_emails),
      ].filter((e) => e.toLowerCase() !== email?.toLowerCase()),
    );
    if (extra.length) p.hs_additional_emails = extra.join(';');
    p.hs_calculated_merged_vids = unique([
      ...split(primary.p.hs_calculated_merged_vids),
      ...split(other.p.hs_calculated_merged_vids),
      `${primary.id}:${at}`,
      `${other.id}:${at}`,
    ]).join(';');
  }
  return p;
}

/** Merges `objectIdToMerge` into `primaryObjectId`; returns the record the merge produced. */
export function mergeRecords(portal: Portal, type: MergeableType, body: Record<string, unknown>): Rec {
  const primaryId = idInput(body.primaryObjectId, 'primaryObjectId');
  const otherId = idInput(body.objectIdToMerge, 'objectIdToMerge');
  const primary = currentRecord(portal, type, primaryId);
  const other = currentRecord(portal, type, otherId);
  const missing = [primary ? undefined : primaryId, other ? undefined : otherId].filter(
    (x): x is number => x !== undefined,
  );
  if (!primary || !other) {
    throw new HubError(404, 'OBJECT_NOT_FOUND', `Object not found: ${missing.join(', ')}`, {
      context: { id: missing.map(String) },
    });
  }
  if (primary.id === other.id)
    throw badRequest(`Cannot merge ${type} ${primaryId} with itself (${otherId} is already part of it)`);
  const at = portal.now();
  const values = mergedValues(type, primary, other, at);
  // Archive first so the new record can take the email (unique) the old ones held.
  commitArchive(portal, type, primary);
  commitArchive(portal, type, other);
  const rec = commitCreate(portal, type, values);
  rec.createdAt = Math.min(primary.createdAt, other.createdAt);
  portal.associations.moveToMerged(type, [primary.id, other.id], rec.id);
  const redirects = portal.merged[type];
  for (const [from, to] of redirects) if (to === primary.id || to === other.id) redirects.set(from, rec.id);
  redirects.set(primary.id, rec.id);
  redirects.set(other.id, rec.id);
  return rec;
}
