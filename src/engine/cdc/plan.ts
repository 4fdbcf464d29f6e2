// What a batch of change events asks of the engine, decided in commit order against the image
// cache (images.ts): which opportunities to write from their images, which to read by id (gap
// events, records the cache never saw), which deletes to archive from the mirror, and whether a
// cursor comparison must run (an overflow event), and what the Account events changed
// (accounts.ts). Pure but for the cache it updates.
import { normaliseDateTime } from '../../domain/salesforce.js';
import type { ChangeEvent } from '../ports/change-events.js';
import { accountChangesOf, type AccountChange } from './accounts.js';
import type { ImageCache } from './images.js';

export interface EventPlan {
  /** Opportunities changed themselves (written as `sync`, scoped by their own stamp). */
  changed: string[];
  /** Opportunities whose contact roles changed (the contact-role trigger of the scope contract). */
  roleChanged: string[];
  /** Read by id first (gap events, records the cache cannot make whole). */
  read: Set<string>;
  /** Deleted records the cache never saw: their deals are archived from the mirror (tombstones). */
  gone: string[];
  /**
   * Contact roles the cache cannot place (an update or delete of a role it never saw, a gap):
   * placed by the store's mirror, else by Salesforce (placeRoles), else a cursor comparison.
   */
  unplacedRoles: string[];
  /** Why a cursor comparison (a polling pass) must run now, if it must. */
  poll: string | undefined;
  /** Accounts the Account events changed, applied as the account feed applies them (accounts.ts). */
  accounts: Map<string, AccountChange>;
  /** Delivered events per entity, for the allocation and the log. */
  byEntity: Record<string, number>;
}

const stampOf = (e: ChangeEvent): string =>
  normaliseDateTime(new Date(Math.floor(e.header.commitTimestamp / 1000) * 1000).toISOString());

export function planEvents(cache: ImageCache, events: readonly ChangeEvent[]): EventPlan {
  const plan: EventPlan = {
    changed: [],
    roleChanged: [],
    read: new Set(),
    gone: [],
    unplacedRoles: [],
    poll: undefined,
    accounts: accountChangesOf(events, stampOf),
    byEntity: {},
  };
  const changed = new Set<string>();
  const roleChanged = new Set<string>();
  const why = (reason: string) => (plan.poll ??= reason);
  for (const e of events) {
    const { entityName, changeType, recordIds } = e.header;
    plan.byEntity[entityName] = (plan.byEntity[entityName] ?? 0) + 1;
    const stamp = stampOf(e);
    if (changeType === 'GAP_OVERFLOW') {
      why(`GAP_OVERFLOW on ${entityName}`);
      continue;
    }
    if (entityName === 'Opportunity') {
      for (const id of recordIds) {
        if (changeType.startsWith('GAP_')) {
          // Gap events carry no fields: the record as it is now, by id (GAP_DELETE too: queryAll sees the bin).
          cache.forget(id);
          plan.read.add(id);
        } else if (e.inexact?.length) {
          // A value the event may have rounded (an Amount past a double's precision): read it exactly.
          cache.forget(id);
          plan.read.add(id);
        } else if (cache.applyOpportunity(id, e, stamp)) changed.add(id);
        else if (changeType === 'DELETE') plan.gone.push(id);
        else plan.read.add(id);
      }
    } else if (entityName === 'OpportunityContactRole') {
      for (const id of recordIds) {
        const gap = changeType.startsWith('GAP_');
        // A gap carries no fields: the role's opportunity, if the cache knows it, is read by id.
        const seen = gap ? cache.opportunityOfRole(id) : undefined;
        const r = gap
          ? seen
            ? { opportunityId: seen, known: false }
            : undefined
          : cache.applyRole(id, e, stamp);
        if (!r) plan.unplacedRoles.push(id);
        else if (r.known) roleChanged.add(r.opportunityId);
        else {
          cache.forget(r.opportunityId);
          plan.read.add(r.opportunityId);
          roleChanged.add(r.opportunityId);
        }
      }
    }
  }
  plan.changed = [...changed].filter((id) => !plan.read.has(id));
  plan.roleChanged = [...roleChanged].filter((id) => !changed.has(id));
  plan.gone = plan.gone.filter((id) => !changed.has(id) && !plan.read.has(id));
  return plan;
}

/**
 * The opportunities of roles placed outside the cache (the store's mirror, then Salesforce): read
 * by id, as contact-role changes. A role still unplaced asks for a cursor comparison.
 */
export function placeRoles(plan: EventPlan, cache: ImageCache, placed: ReadonlyMap<string, string>): void {
  for (const roleId of plan.unplacedRoles) {
    const opp = placed.get(roleId);
    if (!opp) {
      plan.poll ??= `a change of contact role ${roleId} that dealbridge cannot place`;
      continue;
    }
    cache.forget(opp);
    plan.read.add(opp);
    if (!plan.roleChanged.includes(opp)) plan.roleChanged.push(opp);
  }
  plan.changed = plan.changed.filter((id) => !plan.read.has(id));
  plan.gone = plan.gone.filter((id) => !plan.read.has(id));
}
