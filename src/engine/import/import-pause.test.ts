// The pause switch in the import (issue #17): a paused import stops before its next batch, leaves
// its run paused (rollups not written) and resumes from its checkpoint after `resume`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../../store/index.js';
import { setPaused } from '../pause.js';
import type { StateStore } from '../ports/store.js';
import { createHarness, MemoryStore, type Harness } from '../testing/fakes.js';
import { runImport, type ImportDeps } from './run.js';

const stores: Record<string, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};

/** n opportunities, each with a contact role whose contact is in HubSpot. */
function org(h: Harness, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const c = h.sf.addContact({ Email: `c${i}@example.com`, LastName: `C${i}` });
    h.hs.addContact(`c${i}@example.com`);
    return h.sf.addOpportunity({ Name: `Opp ${i}`, Amount: String(100 + i) }, [c.Id]);
  });
}

const deps = (h: Harness): ImportDeps => ({
  salesforce: h.sf,
  hubspot: h.hs,
  store: h.store,
  now: () => new Date(h.sf.clock),
});

const writes = (h: Harness) =>
  [...h.hs.calls]
    .filter(([k]) => /^(upsert|create|update|associate|dissociate|archive)/.test(k))
    .reduce((a, [, v]) => a + v, 0);

for (const [kind, openState] of Object.entries(stores)) {
  describe(`import and the pause switch (${kind} store)`, () => {
    test('paused after two batches: the run stops there, paused; resumed, it completes', async () => {
      const h = await createHarness({}, await openState());
      org(h, 60);
      // `dealbridge pause` lands as the second batch is checkpointed (in its transaction).
      const update = h.store.updateImportRun.bind(h.store);
      h.store.updateImportRun = async (id, patch) => {
        await update(id, patch);
        if (patch.processed === 20) await setPaused(h.store, true, new Date(h.sf.clock));
      };
      const first = await runImport(deps(h), { batchSize: 10, concurrency: 1 });
      assert.equal(first.paused, true);
      assert.equal(first.run.status, 'paused');
      assert.equal(first.run.processed, 20);
      assert.match(first.run.message ?? '', /dealbridge pause/);
      assert.equal(first.rollups, null, 'no rollup written while paused');
      assert.equal(h.hs.live('deals').length, 20);
      const written = writes(h);

      // Still paused: a new start stops before its first batch.
      const again = await runImport(deps(h), { batchSize: 10, concurrency: 1 });
      assert.equal(again.paused, true);
      assert.equal(again.run.processed, 20);
      assert.equal(writes(h), written, 'nothing written while paused');

      h.store.updateImportRun = update;
      await setPaused(h.store, false, new Date(h.sf.clock));
      const second = await runImport(deps(h), { batchSize: 10, concurrency: 1 });
      assert.equal(second.paused, false);
      assert.equal(second.resumed, true);
      assert.equal(second.run.id, first.run.id);
      assert.equal(second.run.status, 'completed');
      assert.equal(second.run.processed, 60);
      const ids = h.hs.live('deals').map((d) => d.properties.salesforce_opportunity_id);
      assert.equal(ids.length, 60);
      assert.equal(new Set(ids).size, 60, 'one deal per opportunity');
      assert.ok(second.rollups && second.rollups.contacts.updated > 0, 'the rollups caught up');
    });
  });
}
