// The rollup pass as the sync engine's `onTouched` hook: after each stored batch, the contacts and
// accounts it touched get their rollups recomputed, together with rollups whose earlier write
// failed and whose retry time has come. The remote context (currency facts) is cached between
// batches by the loader.
import type { Touched } from '../sync/batch.js';
import { applyRollups, type RollupDeps, type RollupResult } from './pass.js';
import { RollupContextLoader } from './rollup-context.js';

/** Rollup records retried per call at most. */
const RETRIES_PER_CALL = 200;

export async function dueRollupRetries(
  deps: RollupDeps,
  limit = RETRIES_PER_CALL,
): Promise<{ contactIds: string[]; accountIds: string[] }> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const due = await deps.store.dueRetries(now, limit * 5);
  const contactIds: string[] = [];
  const accountIds: string[] = [];
  for (const e of due) {
    if (contactIds.length + accountIds.length >= limit) break;
    if (e.recordKey.startsWith('contact:')) contactIds.push(e.recordKey.slice(8));
    else if (e.recordKey.startsWith('company:')) accountIds.push(e.recordKey.slice(8));
  }
  return { contactIds, accountIds };
}

export function createRollupHook(
  deps: RollupDeps,
  opts: { onResult?: (r: RollupResult) => void } = {},
): (touched: Touched) => Promise<void> {
  const loader = new RollupContextLoader(deps);
  return async (touched) => {
    const retries = await dueRollupRetries(deps);
    const contactIds = [...touched.contactIds, ...retries.contactIds];
    const accountIds = [...touched.accountIds, ...retries.accountIds];
    if (contactIds.length + accountIds.length === 0) return;
    const result = await applyRollups(
      deps,
      { contactIds, accountIds },
      {
        context: await loader.load({ portalCurrency: touched.portalCurrency }),
        knownStages: touched.contactStages,
        ...(touched.rewrite ? { force: true } : {}),
      },
    );
    opts.onResult?.(result);
  };
}
