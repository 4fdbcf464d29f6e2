// Links to HubSpot contacts and companies that a user deleted or merged in HubSpot. dealbridge
// links each Salesforce contact / account to a HubSpot id, and HubSpot can take that id away:
// - a delete archives the record: reads and writes by its id find nothing, and associations to it
//   disappear from every read ("Understand restorable and permanent contact deletions");
// - a merge archives both records and creates a NEW record with a new id; reads (and writes) by
//   either old id answer the new record, whose `hs_merged_object_ids` lists the old ids, and the
//   associations of both move to it (developer changelog "Updated merge functionality for
//   contacts and companies"; docs/emulators/hubspot.md).
// The callers notice it on a write — a rollup update answered 404 or by another id, an association
// HubSpot refuses — and hand the ids here. Each is read by id once: one that answers with another
// id was merged, and every link to any id that record merged moves to it; one that answers nothing
// is gone: its links are dropped and its Salesforce records matched again the way the sync matches
// them (contacts by salesforce_contact_id, then email; accounts by salesforce_account_id, then
// domain, else created when `createCompanies` is on). Then the deals of those records are
// associated with the records they have now. The new links carry no rollup hash, so the next
// rollup write of them (the callers run it at once) writes every value.
import type { HsAssociationInput, HsObjectType } from '../../domain/hubspot.js';
import { auditEntries } from '../audit.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { AuditEntry, DealLink, RecordLink, StateStore } from '../ports/store.js';
import { opportunityKey } from '../record-errors.js';
import { readSettings } from '../user-settings.js';
import { writeAssociations, type InputFailure } from './apply.js';
import {
  associationState,
  associationsHash,
  associationValues,
  diffAssociations,
  emptyDiff,
  previousAssociations,
  type AssociationState,
} from './associations.js';
import { resolveCompanies } from './companies.js';
import { CONTACT_ID_PROPERTY, resolveContacts, updatePending } from './scope.js';

/** HubSpot's read-only list of the ids a record was merged from (`;`-separated). */
export const MERGED_IDS_PROPERTY = 'hs_merged_object_ids';

export interface RelinkDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  /** Whether `salesforce_contact_id` is a unique property; read from HubSpot when not given. */
  contactIdIsUnique?: boolean;
  now?: () => Date;
}

/** HubSpot ids a write suggested are deleted or merged (they are checked, not trusted). */
export interface StaleIds {
  contacts?: Iterable<string>;
  companies?: Iterable<string>;
}

export interface RelinkResult {
  /** Salesforce contact id → its HubSpot contact now, or null when none was found (link dropped). */
  contacts: Map<string, string | null>;
  /** Salesforce account id → its HubSpot company now, or null. */
  companies: Map<string, string | null>;
  /** HubSpot ids checked and found gone (merged away or deleted). */
  goneContacts: Set<string>;
  goneCompanies: Set<string>;
}

export function emptyRelink(): RelinkResult {
  return { contacts: new Map(), companies: new Map(), goneContacts: new Set(), goneCompanies: new Set() };
}

export function relinkedAny(r: RelinkResult): boolean {
  return r.goneContacts.size + r.goneCompanies.size > 0;
}

export async function relinkStale(deps: RelinkDeps, stale: StaleIds): Promise<RelinkResult> {
  const result = emptyRelink();
  const contactIds = [...new Set(stale.contacts ?? [])];
  const companyIds = [...new Set(stale.companies ?? [])];
  if (contactIds.length > 0) {
    const next = await successors(deps.hubspot, 'contacts', contactIds);
    const links = await deps.store.contactLinksToHubspot([...next.keys()]);
    for (const id of next.keys()) result.goneContacts.add(id);
    const { moved, gone } = split(links, next);
    await deps.store.saveContactLinks(moved);
    for (const l of moved) result.contacts.set(l.salesforceId, l.hubspotId);
    if (gone.length > 0) {
      await deps.store.dropContactLinks(gone);
      const contactIdIsUnique = deps.contactIdIsUnique ?? (await hasUniqueContactId(deps.hubspot));
      const found = await resolveContacts({ ...deps, contactIdIsUnique }, gone);
      for (const id of gone) result.contacts.set(id, found.linked.get(id) ?? null);
      // Not in HubSpot any more: kept as pending, so that a contact that comes back is linked again.
      await updatePending(deps.store, found.missing, []);
    }
  }
  if (companyIds.length > 0) {
    const next = await successors(deps.hubspot, 'companies', companyIds);
    const links = await deps.store.companyLinksToHubspot([...next.keys()]);
    for (const id of next.keys()) result.goneCompanies.add(id);
    const { moved, gone } = split(links, next);
    await deps.store.saveCompanyLinks(moved);
    for (const l of moved) result.companies.set(l.salesforceId, l.hubspotId);
    if (gone.length > 0) {
      await deps.store.dropCompanyLinks(gone);
      const { createCompanies } = await readSettings(deps.store);
      const found = await resolveCompanies(deps, gone, { create: createCompanies });
      for (const id of gone) result.companies.set(id, found.linked.get(id) ?? null);
    }
  }
  if (relinkedAny(result)) await reassociateDeals(deps, result);
  return result;
}

/**
 * HubSpot id → the record it is now (a merge's result) or null (deleted), for the ids that do not
 * read back as themselves; a merge's result also names the other ids it merged, and those come
 * back too (their links follow the same record). Ids that read back as themselves are alive and
 * absent from the result.
 */
async function successors(
  hubspot: HubspotPort,
  type: HsObjectType,
  ids: string[],
): Promise<Map<string, string | null>> {
  const asked = new Set(ids);
  const alive = new Set<string>();
  const out = new Map<string, string | null>();
  const unexplained: string[] = [];
  for (const r of await hubspot.readByIds(type, ids, [MERGED_IDS_PROPERTY])) {
    if (asked.has(r.id)) {
      alive.add(r.id);
      continue;
    }
    const merged = (r.properties[MERGED_IDS_PROPERTY] ?? '').split(';').filter(Boolean);
    if (merged.length === 0) unexplained.push(r.id);
    for (const old of merged) if (old !== r.id) out.set(old, r.id);
  }
  const open = ids.filter((id) => !alive.has(id) && !out.has(id));
  // A redirect without the list of merged ids (not seen, but not excluded by the docs) can still be
  // placed when it is the only one.
  if (open.length === 1 && unexplained.length === 1) out.set(open[0] as string, unexplained[0] as string);
  for (const id of ids) if (!alive.has(id) && !out.has(id)) out.set(id, null);
  for (const id of alive) out.delete(id);
  return out;
}

function split(
  links: RecordLink[],
  next: Map<string, string | null>,
): { moved: RecordLink[]; gone: string[] } {
  const moved: RecordLink[] = [];
  const gone: string[] = [];
  for (const l of links) {
    const to = next.get(l.hubspotId);
    if (to === undefined) continue;
    if (to === null) gone.push(l.salesforceId);
    // No rollup hash: the merged record's values are HubSpot's mix of both, so all are rewritten;
    // no kept stage: the merge keeps the furthest of both records' stages.
    else
      moved.push({ salesforceId: l.salesforceId, hubspotId: to, matchedBy: l.matchedBy, rollupHash: null });
  }
  return { moved, gone };
}

async function hasUniqueContactId(hubspot: HubspotPort): Promise<boolean> {
  const props = await hubspot.properties('contacts');
  return props.some((p) => p.name === CONTACT_ID_PROPERTY && p.hasUniqueValue === true);
}

/**
 * The deals of relinked contacts and accounts: associations to a gone record are gone in HubSpot
 * too, so they leave the remembered state without a call; the records found now are associated
 * (again, for a merge's result: HubSpot moved them, and an association that exists is kept as is).
 */
async function reassociateDeals(deps: RelinkDeps, r: RelinkResult): Promise<void> {
  const { store, hubspot } = deps;
  const oppIds = new Set(await store.opportunityIdsForContacts([...r.contacts.keys()]));
  for (const list of (await store.opportunitiesOfAccounts([...r.companies.keys()])).values())
    for (const o of list) oppIds.add(o.id);
  const ids = [...oppIds];
  if (ids.length === 0) return;
  const [links, roles, mirrors] = await Promise.all([
    store.getDealLinks(ids),
    store.contactIdsForOpportunities(ids),
    store.getOpportunities(ids),
  ]);
  const diff = emptyDiff();
  const planned: { link: DealLink; dealId: string; held: AssociationState; next: AssociationState }[] = [];
  for (const link of links.values()) {
    if (!link.dealId || link.archived) continue;
    const held = heldAssociations(previousAssociations(link, link.dealId), r);
    const contacts = [...held.contacts];
    for (const c of roles.get(link.opportunityId) ?? []) {
      const now = r.contacts.get(c);
      if (now) contacts.push(now);
    }
    const account = mirrors.get(link.opportunityId)?.accountId ?? null;
    const company = (account ? r.companies.get(account) : undefined) ?? held.company;
    const next = associationState(contacts, company);
    diffAssociations(link.dealId, held, next, diff);
    planned.push({ link, dealId: link.dealId, held, next });
  }
  const failures: InputFailure<HsAssociationInput>[] = [
    ...(await writeAssociations(hubspot, 'dissociate', 'companies', diff.removeCompanies)),
    ...(await writeAssociations(hubspot, 'associate', 'companies', diff.addCompanies)),
    ...(await writeAssociations(hubspot, 'dissociate', 'contacts', diff.removeContacts)),
    ...(await writeAssociations(hubspot, 'associate', 'contacts', diff.addContacts)),
  ];
  const failedDeals = new Set(failures.map((f) => f.input.fromId));
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const saved: DealLink[] = [];
  const audit: AuditEntry[] = [];
  for (const p of planned) {
    // A deal whose write failed keeps what HubSpot holds: the next sync of it adds the rest.
    const state = failedDeals.has(p.dealId) ? p.held : p.next;
    const values = associationValues(state);
    saved.push({
      ...p.link,
      associationsHash: associationsHash(state),
      lastValues: { ...p.link.lastValues, ...values },
    });
    audit.push(
      ...auditEntries({
        target: `deal:${p.dealId}`,
        sourceKey: opportunityKey(p.link.opportunityId),
        oldValues: p.link.lastValues,
        newValues: values,
        reason: 'relink',
        at,
      }),
    );
  }
  await store.transaction(async () => {
    await store.saveDealLinks(saved);
    if (audit.length > 0) await store.appendAudit(audit);
  });
}

/** What HubSpot holds of a remembered association state: nothing to a deleted or merged-away record. */
export function heldAssociations(prev: AssociationState, r: RelinkResult): AssociationState {
  return associationState(
    prev.contacts.filter((c) => !r.goneContacts.has(c)),
    prev.company !== null && r.goneCompanies.has(prev.company) ? null : prev.company,
  );
}
