// The scope rule (S4): an opportunity syncs when one of its contact roles is a contact that is in
// HubSpot. Contacts are found by the link dealbridge remembered, then by `salesforce_contact_id`
// (when HubSpot holds it as a unique property, so a batch read can use it), then by email
// (case-insensitive). An email match is remembered, and written to `salesforce_contact_id` with the
// contact's first rollup write (rollups/contact-id.ts).
// Contacts found nowhere are kept as "pending": a later pass checks them again, cheaply, in batch
// reads by email, and a contact that appears brings its opportunities with it.
import type { HsObject, HsObjectType } from '../../domain/hubspot.js';
import type { SfContactRole } from '../../domain/salesforce.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { RecordLink, StateStore } from '../ports/store.js';
import { chunk } from '../../lib/chunk.js';

export const CONTACT_ID_PROPERTY = 'salesforce_contact_id';
export const PENDING_CONTACTS_SETTING = 'scope.pendingContacts';
/** Bounds the pending list kept in the store; beyond it only a change re-checks a contact. */
const MAX_PENDING = 50_000;
const BATCH = 100;
/** `lifecyclestage` rides along for free: the rollup pass needs it for the same contacts. */
const CONTACT_READ = ['email', 'lifecyclestage'];

export interface ContactResolution {
  /** Salesforce contact id → HubSpot contact id. */
  linked: Map<string, string>;
  /** Contacts not in HubSpot: Salesforce id → lower-cased email (null when the contact has none). */
  missing: Map<string, string | null>;
  /** Links found during this resolution (already saved). */
  newLinks: RecordLink[];
  /**
   * HubSpot contact id → `lifecyclestage` of the contacts this resolution read from HubSpot, so
   * the pass's rollups need not read them again.
   */
  stages: Map<string, string | null>;
}

export interface ScopeDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  /** Whether `salesforce_contact_id` is a unique property (then batch-readable by value). */
  contactIdIsUnique: boolean;
  /** The clock stamped on the stages read with new links (RecordLink.stage). */
  now?: () => Date;
}

/** Contact id → lower-cased email, from the roles that carry `ContactEmail` (the query read it). */
export function roleEmails(roles: Iterable<SfContactRole>): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const r of roles)
    if (r.ContactEmail !== undefined) out.set(r.ContactId, normaliseEmail(r.ContactEmail));
  return out;
}

/**
 * `knownEmails` are the emails the opportunity query already read (roleEmails); only contacts not
 * in it are asked of Salesforce by id.
 */
export async function resolveContacts(
  deps: ScopeDeps,
  contactIds: string[],
  knownEmails: ReadonlyMap<string, string | null> = new Map(),
  padding?: LookupPadding,
): Promise<ContactResolution> {
  const ids = [...new Set(contactIds)];
  const linked = new Map<string, string>();
  const missing = new Map<string, string | null>();
  const newLinks: RecordLink[] = [];
  const stages = new Map<string, string | null>();
  if (ids.length === 0) return { linked, missing, newLinks, stages };

  const own = new Set(ids);
  const padIds = [...new Set(padding?.ids ?? [])].filter((id) => !own.has(id));
  const known = await deps.store.getContactLinks([...ids, ...padIds]);
  for (const [sfId, link] of known) linked.set(sfId, link.hubspotId);
  let rest = ids.filter((id) => !linked.has(id));
  let pad = padIds.filter((id) => !linked.has(id));

  if (rest.length > 0 && deps.contactIdIsUnique) {
    const extra = pad.slice(0, room(rest.length));
    const found = await readUnique(
      deps.hubspot,
      'contacts',
      CONTACT_ID_PROPERTY,
      [...rest, ...extra],
      CONTACT_READ,
    );
    for (const c of found) {
      const sfId = c.properties[CONTACT_ID_PROPERTY];
      if (!sfId || linked.has(sfId)) continue;
      linked.set(sfId, c.id);
      stages.set(c.id, c.properties.lifecyclestage ?? null);
      newLinks.push({ salesforceId: sfId, hubspotId: c.id, matchedBy: 'id', rollupHash: null });
    }
    rest = rest.filter((id) => !linked.has(id));
    pad = pad.filter((id) => !linked.has(id));
  }

  if (rest.length > 0) {
    const emailOf = new Map<string, string | null>();
    // Padding by email: only contacts whose email the next rows carry, in the last call's room.
    const padEmails = pad.flatMap((id) => {
      const e = normaliseEmail(padding?.emails.get(id));
      return e ? [[id, e] as const] : [];
    });
    for (const id of rest) if (knownEmails.has(id)) emailOf.set(id, knownEmails.get(id) ?? null);
    for (const part of chunk(
      rest.filter((id) => !knownEmails.has(id)),
      200,
    )) {
      for (const c of await deps.salesforce.contactsByIds(part)) emailOf.set(c.Id, normaliseEmail(c.Email));
    }
    const own = new Set([...emailOf.values()].filter((e): e is string => e !== null));
    const extra = padEmails.filter(([, e]) => !own.has(e)).slice(0, room(own.size));
    const byEmail = await findContactsByEmail(deps.hubspot, [...own, ...extra.map(([, e]) => e)], stages);
    for (const [sfId, e] of extra) {
      const hsId = byEmail.get(e);
      if (!hsId || linked.has(sfId)) continue;
      linked.set(sfId, hsId);
      newLinks.push({ salesforceId: sfId, hubspotId: hsId, matchedBy: 'email', rollupHash: null });
    }
    for (const sfId of rest) {
      const email = emailOf.get(sfId) ?? null;
      const hsId = email ? byEmail.get(email) : undefined;
      if (!hsId) {
        missing.set(sfId, email);
        continue;
      }
      linked.set(sfId, hsId);
      // `salesforce_contact_id` goes to HubSpot with the contact's first rollup write (a link
      // matched by email without a rollup hash: rollups/contact-id.ts), not in a call of its own.
      newLinks.push({ salesforceId: sfId, hubspotId: hsId, matchedBy: 'email', rollupHash: null });
    }
  }

  if (newLinks.length > 0) {
    // The stage read with the link is kept with it: the import's rollup pass, at the end of the
    // run, reuses it instead of reading the contact again (rollups/stage-reuse.ts).
    const readAt = (deps.now ?? (() => new Date()))().toISOString();
    for (const l of newLinks) {
      if (stages.has(l.hubspotId)) l.stage = { value: stages.get(l.hubspotId) ?? null, readAt };
    }
    await deps.store.saveContactLinks(newLinks);
  }
  return { linked, missing, newLinks, stages };
}

/**
 * Contacts (or accounts) of the rows that come next (the next Salesforce page), looked up in the
 * room left in this batch's last, partly filled look-up call: the call is made anyway, and a
 * record found now is a call the next batch does not make. What is not found is simply left for
 * the next batch (never marked missing or created here), so padding never costs a call.
 */
export interface LookupPadding {
  ids: string[];
  /** Lower-cased emails the next rows carry (`Contact.Email`), by contact id. */
  emails: ReadonlyMap<string, string | null>;
}

/** Free places in the last call of n look-ups, 100 per call. */
export function room(n: number): number {
  return n === 0 ? 0 : (BATCH - (n % BATCH)) % BATCH;
}

/** Batch reads by a unique property in full batches of 100, side by side (the transport paces them). */
export async function readUnique(
  hubspot: HubspotPort,
  type: HsObjectType,
  property: string,
  values: string[],
  properties: string[],
): Promise<HsObject[]> {
  const parts = chunk([...new Set(values)], BATCH);
  const found = await Promise.all(
    parts.map((part) => hubspot.readByUniqueProperty(type, property, part, properties)),
  );
  return found.flat();
}

export function normaliseEmail(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase();
  return e ? e : null;
}

/** Batch reads contacts by email (HubSpot's unique `email`), 100 per call: lower-cased email → id. */
export async function findContactsByEmail(
  hubspot: HubspotPort,
  emails: (string | null)[],
  stages?: Map<string, string | null>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(emails.filter((e): e is string => e !== null))];
  const out = new Map<string, string>();
  for (const c of await readUnique(hubspot, 'contacts', 'email', wanted, CONTACT_READ)) {
    const e = normaliseEmail(c.properties.email);
    if (e) out.set(e, c.id);
    stages?.set(c.id, c.properties.lifecyclestage ?? null);
  }
  return out;
}

/** The contacts whose absence keeps opportunities out of scope, kept for periodic re-checks. */
export async function readPending(store: StateStore): Promise<Record<string, string | null>> {
  return (await store.getSetting<Record<string, string | null>>(PENDING_CONTACTS_SETTING)) ?? {};
}

export async function updatePending(
  store: StateStore,
  add: Map<string, string | null>,
  remove: Iterable<string>,
): Promise<void> {
  const removeList = [...remove];
  if (add.size === 0 && removeList.length === 0) return;
  const pending = await readPending(store);
  let changed = false;
  for (const id of removeList) {
    if (id in pending) {
      delete pending[id];
      changed = true;
    }
  }
  for (const [id, email] of add) {
    if (pending[id] === email) continue;
    if (!(id in pending) && Object.keys(pending).length >= MAX_PENDING) break;
    pending[id] = email;
    changed = true;
  }
  if (changed) await store.setSetting(PENDING_CONTACTS_SETTING, pending);
}

/**
 * Checks the pending contacts again (by email, 100 per call). Contacts now in HubSpot are linked
 * (their id is written with their rollups), dropped from the pending list and returned: their opportunities come into scope.
 */
export async function recheckPending(deps: ScopeDeps): Promise<string[]> {
  const pending = await readPending(deps.store);
  const entries = Object.entries(pending);
  if (entries.length === 0) return [];
  const byEmail = await findContactsByEmail(
    deps.hubspot,
    entries.map(([, e]) => e),
  );
  const found: RecordLink[] = [];
  for (const [sfId, email] of entries) {
    const hsId = email ? byEmail.get(email) : undefined;
    if (hsId) found.push({ salesforceId: sfId, hubspotId: hsId, matchedBy: 'email', rollupHash: null });
  }
  if (found.length === 0) return [];
  // As in resolveContacts: the id is written with the contact's first rollup write.
  await deps.store.transaction(async () => {
    await deps.store.saveContactLinks(found);
    await updatePending(
      deps.store,
      new Map(),
      found.map((l) => l.salesforceId),
    );
  });
  return found.map((l) => l.salesforceId);
}
