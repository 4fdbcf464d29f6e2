// A process killed between HubSpot's answer and the store, over the fakes: one pass that writes to
// HubSpot and dies before its batch's outcome reaches the store, then a new engine (a restart).
import assert from 'node:assert/strict';
import type { Harness } from './fakes.js';
import type { StateStore } from '../ports/store.js';
import { SyncEngine, type EngineDeps } from '../sync/pass.js';

export async function killedPass(h: Harness): Promise<void> {
  const transaction = h.store.transaction.bind(h.store);
  h.store.transaction = () => Promise.reject(new Error('SIGKILL'));
  try {
    await assert.rejects(h.engine.runPass(), /SIGKILL/);
  } finally {
    h.store.transaction = transaction;
  }
  h.restart();
}

/**
 * A process started again over the same fakes on another state (a backup restored, an older
 * copy): a new engine on `store`, with the harness's clock; `onTouched` for the rollup hook.
 */
export function restartOn(
  h: Harness,
  store: StateStore,
  extra: Pick<EngineDeps, 'onTouched'> = {},
): SyncEngine {
  return new SyncEngine({
    salesforce: h.sf,
    hubspot: h.hs,
    store,
    now: () => new Date(h.sf.clock),
    options: { lookbackSeconds: 5 },
    ...extra,
  });
}
