// Step 5b, write-ahead: before any HubSpot write of the batch, the store learns what the batch may
// change. A batch's outcome is stored only after all of its writes have returned, so a process
// killed between HubSpot's answer and the store (the soak's SIGKILLs) has written what no stored
// link says; two things then went wrong for good:
// - associations: if the contact role goes before the batch runs again, its association was never
//   removed (`verify`: association_extra). The batch notes the associations it may write
//   (PendingAssociations); the next sync of the opportunity removes what of them is no longer
//   wanted (associations.ts), and the stored outcome clears the note (store-outcome.ts);
// - deal properties: if the opportunity goes back to the values the link's hash recorded, the next
//   pass would skip it as unchanged while HubSpot shows the newer ones. The links of deals about to
//   be updated lose their properties hash, so the next pass writes them whatever it finds.
// Only what changes is written: a batch with nothing to update costs no extra write.
import { associationsHash, previousAssociations, type AssociationState } from '../associations.js';
import type { DealLink, PendingAssociations } from '../../ports/store.js';
import type { PlannedDeal } from './plan.js';
import type { BatchRun } from './run-state.js';

export async function writeAhead(
  run: BatchRun,
  planned: PlannedDeal[],
  stateOf: (p: PlannedDeal) => AssociationState,
): Promise<void> {
  const notes: PendingAssociations[] = [];
  const unsettled: DealLink[] = [];
  for (const p of planned) {
    const state = stateOf(p);
    const earlier = run.pending.get(p.opp.Id);
    const hasDeal = Boolean(p.link?.dealId) && !p.link?.archived;
    if (p.write && p.link && hasDeal && p.link.propertiesHash !== null)
      unsettled.push({ ...p.link, propertiesHash: null });
    const prev = previousAssociations(p.link, p.link?.dealId ?? '');
    if (hasDeal && !earlier && associationsHash(state) === associationsHash(prev)) continue;
    notes.push({
      opportunityId: p.opp.Id,
      contacts: [...new Set([...(earlier?.contacts ?? []), ...state.contacts])].sort(),
      companies: [...new Set([...(earlier?.companies ?? []), ...(state.company ? [state.company] : [])])],
      notedAt: run.at,
    });
  }
  // Two plain writes, no transaction: each is a mark on its own, and either alone is safe.
  const { store } = run.env;
  if (notes.length > 0) await store.savePendingAssociations(notes);
  if (unsettled.length > 0) await store.saveDealLinks(unsettled);
}
