// Step 2: deleted opportunities archive their deal. The mirror keeps the row (IsDeleted) so that an
// undelete can bring the deal back; a deal that failed to archive stays linked and is retried.
// A deleted opportunity without a link may still have a deal: one HubSpot created for a process
// killed before it stored the batch, an answer lost to a timeout, a state restored from an older
// backup. The deal carries the opportunity's id in `salesforce_opportunity_id`, so those are looked
// up by it (one batch read per 100 such rows; a look-back re-read of a stored delete is skipped).
// Only dealbridge's deals are archived (docs/sync.md, "Which deals are dealbridge's"): a linked deal
// is read first (one batch read per 100), and one whose `salesforce_opportunity_id` a HubSpot user
// cleared or changed is theirs now: left as it is, and the link forgotten. No deal is looked up for
// an opportunity Salesforce no longer returns at all (purged): no deal can match it.
import { auditEntries } from '../../audit.js';
import { chunk } from '../../../lib/chunk.js';
import { isPassLevel, opportunityKey } from '../../record-errors.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import { writeIsolating } from '../apply.js';
import { decide, toMirror } from './outcome.js';
import { opportunityFailure, type BatchRun } from './run-state.js';

const ID_PROPERTY = 'salesforce_opportunity_id';
const READ_BATCH = 100;
/** A link to no deal: the opportunity's next write creates one. */
const FORGOTTEN = {
  dealId: null,
  propertiesHash: null,
  associationsHash: null,
  lastValues: {},
  archived: false,
} as const;

/**
 * Adds to `run.links` the live deals HubSpot holds for deleted opportunities the store has no deal
 * for; returns their opportunities (those deals carry the id: they need no second read).
 */
async function findUnrecordedDeals(run: BatchRun, ids: string[]): Promise<Set<string>> {
  const foundFor = new Set<string>();
  for (const part of chunk(ids, READ_BATCH)) {
    let found;
    try {
      found = await run.env.hubspot.readByUniqueProperty('deals', ID_PROPERTY, part, [ID_PROPERTY]);
    } catch (err) {
      // Outages stop the pass (the batch is read again); anything else leaves these as they were.
      if (isPassLevel(err)) throw err;
      continue;
    }
    for (const deal of found) {
      const oppId = deal.properties[ID_PROPERTY];
      if (!oppId || deal.archived || !part.includes(oppId)) continue;
      foundFor.add(oppId);
      run.links.set(oppId, {
        opportunityId: oppId,
        dealId: deal.id,
        // Unknown hashes: an undelete rewrites the deal in full.
        propertiesHash: null,
        associationsHash: null,
        lastValues: {},
        archived: false,
        lastSyncedAt: run.at,
      });
    }
  }
  return foundFor;
}

/**
 * Of these linked deals (opportunity id → deal id), the opportunities whose deal no longer carries
 * their id in `salesforce_opportunity_id` (a user cleared or changed it: `detached`), and those
 * whose deal HubSpot does not return (`gone`: archived already, though another live deal may carry
 * the id, made by a batch the store never recorded).
 */
async function linkedDealStates(
  run: BatchRun,
  dealOf: Map<string, string>,
): Promise<{ detached: Set<string>; gone: string[] }> {
  const oppOf = new Map([...dealOf].map(([opp, deal]) => [deal, opp]));
  const detached = new Set<string>();
  const seen = new Set<string>();
  for (const part of chunk([...oppOf.keys()], READ_BATCH)) {
    for (const deal of await run.env.hubspot.readByIds('deals', part, [ID_PROPERTY])) {
      const opp = oppOf.get(deal.id);
      if (opp === undefined) continue;
      seen.add(opp);
      if (deal.properties[ID_PROPERTY] !== opp) detached.add(opp);
    }
  }
  return { detached, gone: [...dealOf.keys()].filter((opp) => !seen.has(opp)) };
}

export async function archiveDeleted(run: BatchRun, deleted: SfOpportunityWithRoles[]): Promise<void> {
  const { out, links } = run;
  // An archived link counts as none: the deal may have been made again since (an undelete that a
  // state restored from an older copy, or a killed batch, never recorded), and this delete is news
  // (a re-read of a delete the store holds is skipped before this step).
  const unrecorded = deleted
    .filter((o) => {
      const link = links.get(o.Id);
      return (!link?.dealId || link.archived) && run.mode.purged?.has(o.Id) !== true;
    })
    .map((o) => o.Id);
  const found = await findUnrecordedDeals(run, unrecorded);
  const linked = new Map<string, string>();
  for (const o of deleted) {
    const l = links.get(o.Id);
    if (l?.dealId && !l.archived && !found.has(o.Id)) linked.set(o.Id, l.dealId);
  }
  const states =
    linked.size > 0 ? await linkedDealStates(run, linked) : { detached: new Set<string>(), gone: [] };
  const { detached } = states;
  // A linked deal HubSpot no longer returns: the live one carrying the id, if any, is archived.
  if (states.gone.length > 0) await findUnrecordedDeals(run, states.gone);
  const toArchive = deleted.filter((o) => {
    const l = links.get(o.Id);
    return l?.dealId && !l.archived && !detached.has(o.Id);
  });
  const archiveFailures = await writeIsolating(toArchive, async (part) => {
    await run.env.hubspot.archiveDeals(part.map((o) => links.get(o.Id)?.dealId as string));
    return [];
  });
  const archiveFailed = new Set(archiveFailures.map((f) => f.input.Id));
  for (const f of archiveFailures) run.failures.push(opportunityFailure(f.input.Id, f));
  for (const o of deleted) {
    out.mirrors.push(toMirror(o, run.mirrors.get(o.Id)?.inScope ?? false));
    const link = links.get(o.Id);
    if (archiveFailed.has(o.Id)) {
      decide(out, o.Id, 'fail');
      continue;
    }
    out.cleared.push(opportunityKey(o.Id));
    if (link && detached.has(o.Id)) {
      // Not dealbridge's any more: untouched in HubSpot, and forgotten (an undelete makes a new deal).
      decide(out, o.Id, 'skip', 'deal_detached');
      out.links.push({ ...FORGOTTEN, opportunityId: o.Id, lastSyncedAt: run.at });
    } else if (link?.dealId && !link.archived) {
      decide(out, o.Id, 'archive');
      out.links.push({ ...link, archived: true, lastSyncedAt: run.at });
      out.audit.push(
        ...auditEntries({
          target: `deal:${link.dealId}`,
          sourceKey: opportunityKey(o.Id),
          oldValues: { archived: 'false' },
          newValues: { archived: 'true' },
          reason: 'archive',
          at: run.at,
          runId: run.mode.runId ?? null,
        }),
      );
    } else if (link?.archived) decide(out, o.Id, 'unchanged');
    else decide(out, o.Id, 'skip', 'deleted');
  }
}
