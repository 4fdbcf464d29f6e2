// "Resync selected" / "Resync now": the records are first made due now — exactly what
// `dealbridge errors retry` does (a dead letter among them too, with a fresh attempt budget), so a
// sync loop in any process picks them up — and then synced
// at once through the engine's own batch path (read from Salesforce by id, map, upsert, store the
// outcome, rollups of what it touched), so the user sees the result without waiting for a pass.
// While the sync is paused nothing is written: the records stay due for the pass after the resume.
import { loadSyncContext } from '../../engine/mapping/sync-context.js';

import { emptyTouched, storeOutcome, syncOpportunityBatch, type BatchEnv } from '../../engine/sync/batch.js';
import { createRollupHook } from '../../engine/rollups/hook.js';
import type { Runtime } from '../../composition/runtime.js';
import { readSettings, readSyncStartedAt } from '../../engine/user-settings.js';
import { chunk } from '../../lib/chunk.js';
import { readPause } from '../../engine/pause.js';

export interface ResyncResult {
  /** false: opportunity sync is off or paused, so nothing was written (the records stay due). */
  ran: boolean;
  /** The sync is paused (`dealbridge pause`): the records sync after the resume. */
  paused: boolean;
  requested: number;
  /** Dead letters among them, brought back (retried only by hand, this is the hand). */
  deadLetters: number;
  synced: number;
  failed: number;
  /** Keys that still have an error after the attempt. */
  stillFailing: string[];
  /** Keys that synced, still with a warning (an owner or Type value left out). */
  stillWarning: string[];
  /** Opportunities Salesforce no longer returns: left to the next sync pass (it archives their deals). */
  notFound: string[];
}

const OPP = 'opportunity:';

export function recordKeyOf(opportunityId: string): string {
  return `${OPP}${opportunityId}`;
}

export async function resyncRecords(
  rt: Runtime,
  recordKeys: string[],
  now = new Date(),
): Promise<ResyncResult> {
  const keys = [...new Set(recordKeys)];
  const { store } = rt;
  const deadLetters = await store.retryByHand(keys, now.toISOString());
  const settings = await readSettings(store);
  const { paused } = await readPause(store);
  const result: ResyncResult = {
    ran: settings.opportunitySync && !paused,
    paused,
    requested: keys.length,
    deadLetters,
    synced: 0,
    failed: 0,
    stillFailing: [],
    stillWarning: [],
    notFound: [],
  };
  if (!result.ran) return { ...result, ...(await remaining(rt, keys)) };
  const salesforce = await rt.salesforce();
  const hubspot = await rt.hubspot();
  const deps = { salesforce, hubspot, store };
  const touched = emptyTouched();
  for (const k of keys) {
    if (k.startsWith('contact:')) touched.contactIds.add(k.slice('contact:'.length));
    else if (k.startsWith('company:')) touched.accountIds.add(k.slice('company:'.length));
  }
  const oppIds = keys.filter((k) => k.startsWith(OPP)).map((k) => k.slice(OPP.length));
  if (oppIds.length > 0) {
    const ctx = await loadSyncContext(deps, settings, now.getTime());
    // The scope contract holds here too: a resync writes what the sync would (scope-rule.ts).
    const syncStartedAt = await readSyncStartedAt(store);
    for (const part of chunk(oppIds, 100)) {
      const found = await salesforce.opportunitiesByIds(part, { extraFields: ctx.extraFields });
      const seen = new Set(found.map((o) => o.Id));
      result.notFound.push(...part.filter((id) => !seen.has(id)));
      if (found.length === 0) continue;
      const env: BatchEnv = { ...deps, settings, ctx, now: new Date(), syncStartedAt };
      const outcome = await syncOpportunityBatch(env, found, { reason: 'resync', cheapSkip: false });
      await storeOutcome(store, outcome);
      result.failed += outcome.counts.failed;
      result.synced += found.length - outcome.counts.failed;
      for (const id of outcome.touched.contactIds) touched.contactIds.add(id);
      for (const id of outcome.touched.accountIds) touched.accountIds.add(id);
      for (const id of outcome.touched.opportunityIds) touched.opportunityIds.add(id);
    }
  }
  if (touched.contactIds.size + touched.accountIds.size > 0) {
    await createRollupHook(deps)(touched);
  }
  return { ...result, ...(await remaining(rt, keys)) };
}

async function remaining(
  rt: Runtime,
  keys: string[],
): Promise<Pick<ResyncResult, 'stillFailing' | 'stillWarning'>> {
  const left = await rt.store.listErrors({ recordKeys: keys });
  return {
    stillFailing: left.filter((e) => e.severity === 'error').map((e) => e.recordKey),
    stillWarning: left.filter((e) => e.severity === 'warning').map((e) => e.recordKey),
  };
}
