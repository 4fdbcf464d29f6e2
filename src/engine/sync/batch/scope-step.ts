// Step 3: scope (S4 and the scope contract, scope-rule.ts). An opportunity syncs when one of its
// contact roles is a contact in HubSpot and it has a trigger at or after T; a deal that exists
// keeps syncing (not one a HubSpot user deleted: mode.dealsDeleted). Contacts are looked up in full calls, topped up from the next
// page's rows (LookupPadding); the ones not found wait in the pending list for a later pass.
import { opportunityKey } from '../../record-errors.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import { relinkStale } from '../relink.js';
import { resolveContacts, roleEmails, type ContactResolution } from '../scope.js';
import { scopeTrigger } from '../scope-rule.js';
import { decide, toMirror } from './outcome.js';
import { lookupDeps, type BatchRun } from './run-state.js';

const LIFECYCLE_STAGE_PROPERTY = 'lifecyclestage';

export interface ScopedBatch {
  inScope: SfOpportunityWithRoles[];
  contacts: ContactResolution;
  /** The live rows of the next page (their look-ups pad this batch's calls). */
  ahead: SfOpportunityWithRoles[];
}

export async function scopeBatch(run: BatchRun, live: SfOpportunityWithRoles[]): Promise<ScopedBatch> {
  const { env, out } = run;
  const ahead = (run.mode.lookahead ?? []).filter((o) => !o.IsDeleted);
  const aheadRoles = ahead.flatMap((o) => o.contactRoles.filter((r) => !r.IsDeleted));
  const contacts = await resolveContacts(
    lookupDeps(env),
    live.flatMap((o) => o.contactRoles.map((r) => r.ContactId)),
    roleEmails(live.flatMap((o) => o.contactRoles)),
    { ids: aheadRoles.map((r) => r.ContactId), emails: roleEmails(aheadRoles) },
  );
  out.foundContacts = contacts.newLinks.map((l) => l.salesforceId);
  out.touched.contactStages = contacts.stages;
  await checkRememberedContacts(run, live, contacts);
  const inScope: SfOpportunityWithRoles[] = [];
  for (const o of live) {
    out.roleOpportunityIds.push(o.Id);
    const deletedRoles = run.deletedRoles.get(o.Id) ?? [];
    out.roles.push(...o.contactRoles, ...deletedRoles);
    const link = run.links.get(o.Id);
    const hasContact = o.contactRoles.some((r) => contacts.linked.has(r.ContactId));
    const trigger = scopeTrigger(o, {
      startedAt: env.syncStartedAt,
      admitted: run.mirrors.get(o.Id)?.inScope === true,
      named: run.mode.trigger,
      deletedRoles,
    });
    const dealDeleted = run.mode.dealsDeleted?.has(o.Id) === true;
    const keptByDeal = link?.dealId && !link.archived && !dealDeleted;
    if ((hasContact && trigger !== null) || keptByDeal) {
      inScope.push(o);
      out.mirrors.push(toMirror(o, true));
      continue;
    }
    out.mirrors.push(toMirror(o, false));
    out.cleared.push(opportunityKey(o.Id));
    if (dealDeleted && link && !link.archived) {
      // A HubSpot user deleted its deal and nothing of it is in HubSpot: not created again. The
      // link says so (archived, as HubSpot holds it), so a later trigger creates the deal anew.
      out.links.push({ ...link, archived: true, lastSyncedAt: run.at });
    }
    if (hasContact) {
      // In HubSpot, but nothing happened to it since T: the import brings it (not pending).
      decide(out, o.Id, 'skip', 'waits_for_import');
      continue;
    }
    decide(out, o.Id, 'skip', o.contactRoles.length === 0 ? 'no_contact_role' : 'no_contact_in_hubspot');
    if (trigger === null) continue;
    for (const r of o.contactRoles) {
      if (contacts.missing.has(r.ContactId))
        out.pendingContacts.set(r.ContactId, contacts.missing.get(r.ContactId) ?? null);
    }
  }
  return { inScope, contacts, ahead };
}

/**
 * A deal about to be created names contacts by remembered links, and a user may have deleted or
 * merged those contacts in HubSpot since. A new deal of a deleted contact would be created without
 * it (ASSOCIATION_FAILED, and a deal that the scope rule says should wait), so the remembered
 * contacts of opportunities without a deal are read first: one batch read, only for batches that
 * create deals, and it brings their lifecycle stages, which the rollups then need not read again.
 * Links found this batch are fresh; so are the import's, which its page prefetch has just looked
 * up (import/prefetch.ts). Gone ones are relinked (sync/relink.ts) before scope is decided.
 */
async function checkRememberedContacts(
  run: BatchRun,
  live: SfOpportunityWithRoles[],
  contacts: ContactResolution,
): Promise<void> {
  if (run.mode.reason === 'import') return;
  const fresh = new Set(contacts.newLinks.map((l) => l.salesforceId));
  const suspects = new Set<string>();
  for (const o of live) {
    const link = run.links.get(o.Id);
    if (link?.dealId && !link.archived) continue;
    for (const r of o.contactRoles) {
      const hs = contacts.linked.get(r.ContactId);
      if (hs !== undefined && !fresh.has(r.ContactId) && !contacts.stages.has(hs)) suspects.add(hs);
    }
  }
  if (suspects.size === 0) return;
  const { env } = run;
  const asked = [...suspects];
  const read = await env.hubspot.readByIds('contacts', asked, [LIFECYCLE_STAGE_PROPERTY]);
  for (const c of read)
    if (suspects.has(c.id)) contacts.stages.set(c.id, c.properties[LIFECYCLE_STAGE_PROPERTY] ?? null);
  const gone = asked.filter((id) => !contacts.stages.has(id));
  if (gone.length === 0) return;
  const relinked = await relinkStale(lookupDeps(env), { contacts: gone });
  const emails = roleEmails(live.flatMap((o) => o.contactRoles));
  for (const [sfId, to] of relinked.contacts) {
    if (to) contacts.linked.set(sfId, to);
    else {
      contacts.linked.delete(sfId);
      contacts.missing.set(sfId, emails.get(sfId) ?? null);
    }
  }
}
