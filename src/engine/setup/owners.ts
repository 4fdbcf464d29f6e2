// The owner map (Salesforce user → HubSpot owner, by email): read again by setup, and by the sync
// when HubSpot refuses an owner it had mapped (removed from the portal). Also what setup warns
// about: several Salesforce users sharing one HubSpot owner (their deals all land on that owner).
import type { SfUser } from '../../domain/salesforce.js';
import { OWNER_MAP_SETTING } from '../mapping/sync-context.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { matchOwners } from './plan.js';

export interface OwnerMapRefresh {
  map: Map<string, string>;
  unmatched: SfUser[];
  users: SfUser[];
}

/** Reads both sides' users and owners, matches them by email and saves the map. */
export async function refreshOwnerMap(deps: {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
}): Promise<OwnerMapRefresh> {
  const [users, owners] = await Promise.all([deps.salesforce.users(), deps.hubspot.owners()]);
  const { map, unmatched } = matchOwners(users, owners);
  await deps.store.setSetting(OWNER_MAP_SETTING, Object.fromEntries(map));
  return { map, unmatched, users };
}

export interface SharedOwner {
  ownerId: string;
  users: { id: string; email: string; name: string }[];
}

/**
 * HubSpot owners that several Salesforce users map to (the same email on two users, e.g. a
 * shared mailbox or a re-hired person with a second user): ordered by owner id, users by id.
 */
export function sharedOwners(map: ReadonlyMap<string, string>, users: SfUser[]): SharedOwner[] {
  const byId = new Map(users.map((u) => [u.Id, u]));
  const byOwner = new Map<string, string[]>();
  for (const [userId, ownerId] of map) byOwner.set(ownerId, [...(byOwner.get(ownerId) ?? []), userId]);
  return [...byOwner]
    .filter(([, ids]) => ids.length > 1)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ownerId, ids]) => ({
      ownerId,
      users: [...ids].sort().map((id) => {
        const u = byId.get(id);
        return { id, email: u?.Email ?? '', name: u?.Name ?? '' };
      }),
    }));
}
