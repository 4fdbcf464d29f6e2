// Step 3: scope (S4 and the scope contract, scope-rule.ts). An opportunity syncs when one of its
// contact roles is a contact in HubSpot and it has a trigger at or after T; a deal that exists
// keeps syncing. Contacts are looked up in full calls, topped up from the next
// page's rows (LookupPadding); the ones not found wait in the pending list for a later pass.
import { opportunityKey } from '../../record-errors.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import { resolveContacts, roleEmails, type ContactResolution } from '../scope.js';
import { scopeTrigger } from '../scope-rule.js';
import { countSkip, toMirror } from './outcome.js';
import type { BatchRun } from './run-state.js';

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
    {
      salesforce: env.salesforce,
      hubspot: env.hubspot,
      store: env.store,
      contactIdIsUnique: env.ctx.contactIdIsUnique,
      now: () => env.now,
    },
    live.flatMap((o) => o.contactRoles.map((r) => r.ContactId)),
    roleEmails(live.flatMap((o) => o.contactRoles)),
    { ids: aheadRoles.map((r) => r.ContactId), emails: roleEmails(aheadRoles) },
  );
  out.foundContacts = contacts.newLinks.map((l) => l.salesforceId);
  out.touched.contactStages = contacts.stages;
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
    if ((hasContact && trigger !== null) || (link?.dealId && !link.archived)) {
      inScope.push(o);
      out.mirrors.push(toMirror(o, true));
      continue;
    }
    out.mirrors.push(toMirror(o, false));
    out.cleared.push(opportunityKey(o.Id));
    if (hasContact) {
      // In HubSpot, but nothing happened to it since T: the import brings it (not pending).
      countSkip(out.counts, 'waits_for_import');
      continue;
    }
    countSkip(out.counts, o.contactRoles.length === 0 ? 'no_contact_role' : 'no_contact_in_hubspot');
    if (trigger === null) continue;
    for (const r of o.contactRoles) {
      if (contacts.missing.has(r.ContactId))
        out.pendingContacts.set(r.ContactId, contacts.missing.get(r.ContactId) ?? null);
    }
  }
  return { inScope, contacts, ahead };
}
