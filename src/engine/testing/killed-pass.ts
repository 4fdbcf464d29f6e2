// A process killed between HubSpot's answer and the store, over the fakes: one pass that writes to
// HubSpot and dies before its batch's outcome reaches the store, then a new engine (a restart).
import assert from 'node:assert/strict';
import type { Harness } from './fakes.js';

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
