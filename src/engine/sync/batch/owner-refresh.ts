// Step 6, when HubSpot refuses a deal's owner: the owner map is only as fresh as the last setup,
// and an owner removed from the portal since makes every write of that owner's deals fail whole.
// So the refusal reads HubSpot's owners (and Salesforce's users) again, saves the new map, and the
// refused deals are mapped again: to their user's owner if there still is one, else to the
// fallback owner, else without owner — each with an OWNER_NOT_FOUND warning. The rest of the
// batch was written already (refusals are isolated), so only these deals are written again.
import { describeOpportunity } from '../../mapping/index.js';
import type { MappingContext } from '../../mapping/types.js';
import { refreshOwnerMap } from '../../setup/owners.js';
import type { InputFailure } from '../apply.js';
import { planDeals, type PlannedDeal } from './plan.js';
import { syncedIssue, type BatchRun } from './run-state.js';

/** The refused owner of a failed write, when the failure is HubSpot refusing that owner. */
export function refusedOwner(f: InputFailure<{ properties: Record<string, string | null> }>): string | null {
  const owner = f.input.properties.hubspot_owner_id;
  return f.code === 'OWNER_NOT_FOUND' && owner ? owner : null;
}

/**
 * Re-plans the deals whose owner HubSpot refused, with the owner map read again; `refused`
 * collects every owner id HubSpot refused in this batch (none of them is used again).
 */
export async function replanRefusedOwners(
  run: BatchRun,
  deals: { planned: PlannedDeal; owner: string }[],
  refused: Set<string>,
): Promise<PlannedDeal[]> {
  const first = refused.size === 0;
  for (const d of deals) refused.add(d.owner);
  const mapping = run.env.ctx.mapping;
  if (first) {
    const fresh = await refreshOwnerMap(run.env);
    // The pass's context keeps the new map: later batches of the pass do not trip over it again.
    mapping.ownerByUserId = fresh.map;
    // As after setup: records stored earlier without owner may have one in the new map.
    const earlier = await run.env.store.listErrors({ code: 'OWNER_NOT_FOUND' });
    if (earlier.length > 0)
      await run.env.store.scheduleRetryNow(
        earlier.map((e) => e.recordKey),
        run.at,
      );
  }
  for (const [userId, owner] of mapping.ownerByUserId)
    if (refused.has(owner)) mapping.ownerByUserId.delete(userId);
  const ctx: MappingContext = {
    ...mapping,
    fallbackOwnerId:
      mapping.fallbackOwnerId !== null && refused.has(mapping.fallbackOwnerId)
        ? null
        : mapping.fallbackOwnerId,
  };
  const again = planDeals(
    run,
    deals.map((d) => d.planned.opp),
    ctx,
  );
  const byId = new Map(again.map((p) => [p.opp.Id, p]));
  const out: PlannedDeal[] = [];
  for (const d of deals) {
    const next = byId.get(d.planned.opp.Id);
    if (!next) continue; // mapping failed this time (recorded by planDeals)
    const owner = next.properties.hubspot_owner_id;
    const instead = owner ? `with owner ${owner}` : 'without owner';
    next.warnings.unshift(
      syncedIssue(next.opp.Id, {
        code: 'OWNER_NOT_FOUND',
        field: 'OwnerId',
        message: `${describeOpportunity(next.opp)}: HubSpot refused owner ${d.owner} (removed from HubSpot?); the owner map was read again and the deal is written ${instead} (set fallbackOwnerId, or invite the user and run dealbridge setup)`,
      }),
    );
    // The later steps read the planned list: the deal is the re-planned one from now on.
    Object.assign(d.planned, next, { write: true });
    out.push(d.planned);
  }
  return out;
}
