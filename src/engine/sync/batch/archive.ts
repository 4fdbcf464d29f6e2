// Step 2: deleted opportunities archive their deal. The mirror keeps the row (IsDeleted) so that an
// undelete can bring the deal back; a deal that failed to archive stays linked and is retried.
import { auditEntries } from '../../audit.js';
import { opportunityKey } from '../../record-errors.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import { writeIsolating } from '../apply.js';
import { countSkip, toMirror } from './outcome.js';
import { opportunityFailure, type BatchRun } from './run-state.js';

export async function archiveDeleted(run: BatchRun, deleted: SfOpportunityWithRoles[]): Promise<void> {
  const { out, links } = run;
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
      out.counts.failed++;
      continue;
    }
    out.cleared.push(opportunityKey(o.Id));
    if (link?.dealId && !link.archived) {
      out.counts.archived++;
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
    } else if (link?.archived) out.counts.unchanged++;
    else countSkip(out.counts, 'deleted');
  }
}
