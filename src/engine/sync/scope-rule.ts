// The scope contract (DESIGN §2.2, docs/sync.md "Which opportunities sync"), as one pure decision.
// With T = `opportunitySyncStartedAt`, an opportunity without a deal is written by the incremental
// sync only for a trigger at or after T: it was created or changed (its SystemModstamp), a contact
// role of it was added, changed or removed (the role's SystemModstamp, or the contact-role feed
// naming it: a role deleted outright is not returned by any re-read), or a contact created in
// HubSpot at or after T matched one of its roles (the new-contacts feed naming it). A trigger
// admits the opportunity for good (the mirror keeps `inScope`), so it still syncs when its contact
// is only found later. Nothing else brings an opportunity in: a contact that was in HubSpot before
// T and is matched only now (a new opportunity shares it, it got an email) brings no older one;
// those wait for the import, which is not bound by T.
import { instantMs, type IsoDateTime, type SfContactRole } from '../../domain/salesforce.js';
import type { SfOpportunityWithRoles } from '../ports/remote.js';

/** What a caller's feed knows about a whole batch that the rows themselves do not show. */
export type NamedTrigger = 'contact-role' | 'new-contact';

export type ScopeTrigger = 'import' | 'admitted' | 'changed' | NamedTrigger;

export interface TriggerFacts {
  /** T; null where T does not bind (the import). */
  startedAt: IsoDateTime | null;
  /** An earlier trigger admitted it (the mirror holds it in scope). */
  admitted: boolean;
  named: NamedTrigger | undefined;
  /** Its deleted contact roles as queryAll returned them (a removal is a trigger too). */
  deletedRoles: readonly SfContactRole[];
}

/** The trigger that lets the opportunity into scope, or null: it waits for the import. */
export function scopeTrigger(o: SfOpportunityWithRoles, f: TriggerFacts): ScopeTrigger | null {
  if (f.startedAt === null) return 'import';
  if (f.admitted) return 'admitted';
  const t = instantMs(f.startedAt);
  if (instantMs(o.SystemModstamp) >= t) return 'changed';
  if ([...o.contactRoles, ...f.deletedRoles].some((r) => instantMs(r.SystemModstamp) >= t))
    return 'contact-role';
  return f.named ?? null;
}
