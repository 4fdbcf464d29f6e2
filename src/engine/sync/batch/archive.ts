// Step 2: deleted opportunities archive their deal. The mirror keeps the row (IsDeleted) so that an
// undelete can bring the deal back; a deal that failed to archive stays linked and is retried.
// A deleted opportunity without a link may still have a deal: one HubSpot created for a process
// killed before it stored the batch, an answer lost to a timeout, a state restored from an older
// backup. The deal carries the opportunity's id in `salesforce_opportunity_id`, so those are looked
// up by it (one batch read per 100 such rows; a look-back re-read of a stored delete is skipped).
import { auditEntries } from '../../audit.js';
import { chunk } from '../../../lib/chunk.js';
import { isPassLevel, opportunityKey } from '../../record-errors.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import { writeIsolating } from '../apply.js';
import { decide, toMirror } from './outcome.js';
import { opportunityFailure, type BatchRun } from './run-state.js';

const ID_PROPERTY = 'salesforce_opportunity_id';
const READ_BATCH = 100;

/** Adds to `run.links` the live deals HubSpot holds for deleted opportunities the store has no deal for. */
async function findUnrecordedDeals(run: BatchRun, deleted: SfOpportunityWithRoles[]): Promise<void> {
  const ids = deleted.filter((o) => !run.links.get(o.Id)?.dealId).map((o) => o.Id);
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
}

export async function archiveDeleted(run: BatchRun, deleted: SfOpportunityWithRoles[]): Promise<void> {
  const { out, links } = run;
  await findUnrecordedDeals(run, deleted);
  const toArchive = deleted.filter((o) => {
    const l = links.get(o.Id);
    return l?.dealId && !l.archived;
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
    if (link?.dealId && !link.archived) {
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
