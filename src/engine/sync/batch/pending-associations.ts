// Step 5b: before any HubSpot write of the batch, note the associations it may write (write-ahead).
// A batch's outcome is stored only after all of its writes have returned; a process killed between
// HubSpot's answer and the store has associated contacts and companies that no stored link lists,
// and if the contact role goes before the batch runs again, the association would never be
// removed (`verify`: association_extra). The note says what dealbridge may have written; the next
// sync of the opportunity removes what of it is no longer wanted (associations.ts), and a stored
// outcome clears it (store-outcome.ts). Only deals whose associations change are noted: a batch of
// property updates costs no extra write.
import { associationsHash, previousAssociations, type AssociationState } from '../associations.js';
import type { PendingAssociations } from '../../ports/store.js';
import type { PlannedDeal } from './plan.js';
import type { BatchRun } from './run-state.js';

export async function notePendingAssociations(
  run: BatchRun,
  planned: PlannedDeal[],
  stateOf: (p: PlannedDeal) => AssociationState,
): Promise<void> {
  const notes: PendingAssociations[] = [];
  for (const p of planned) {
    const state = stateOf(p);
    const earlier = run.pending.get(p.opp.Id);
    const hasDeal = Boolean(p.link?.dealId) && !p.link?.archived;
    const prev = previousAssociations(p.link, p.link?.dealId ?? '');
    if (hasDeal && !earlier && associationsHash(state) === associationsHash(prev)) continue;
    const note: PendingAssociations = {
      opportunityId: p.opp.Id,
      contacts: [...new Set([...(earlier?.contacts ?? []), ...state.contacts])].sort(),
      companies: [...new Set([...(earlier?.companies ?? []), ...(state.company ? [state.company] : [])])],
      notedAt: run.at,
    };
    notes.push(note);
  }
  if (notes.length > 0) await run.env.store.savePendingAssociations(notes);
}
