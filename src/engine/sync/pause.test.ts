// The pause switch in the sync pass (issue #17): a paused pass reads and writes nothing and leaves
// the cursors alone; a pass in flight stops before its next batch; resumed, the changes sync, and a
// running loop picks the resume up by itself.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readPause, setPaused } from '../pause.js';
import { CURSOR_OPPORTUNITIES } from './change-feed.js';
import { runSyncLoop } from './loop.js';
import type { PassResult } from './pass.js';
import { passHarness, passStores } from '../testing/pass-harness.js';
import type { Harness } from '../testing/fakes.js';

const nowOf = (h: Harness) => new Date(h.sf.clock);

for (const [kind, openState] of Object.entries(passStores)) {
  const { ready, harness, linkedContact } = passHarness(openState);

  describe(`pause in the sync pass (${kind} store)`, () => {
    test('paused: nothing read or written, cursor unchanged; resumed: the changes sync', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const first = h.sf.addOpportunity({ Name: 'First', Amount: '100' }, [c.Id]);
      await h.engine.runPass();
      assert.ok(h.hs.dealByOpportunity(first.Id));

      assert.equal((await setPaused(h.store, true, nowOf(h))).changed, true);
      const cursor = await h.store.getCursor(CURSOR_OPPORTUNITIES);
      const [sfCalls, hsCalls] = [h.sf.totalCalls(), h.hs.totalCalls()];
      h.sf.updateOpportunity(first.Id, { Amount: '200' });
      const second = h.sf.addOpportunity({ Name: 'Second' }, [c.Id]);
      for (const step of [1_000, 10 * 60_000]) {
        h.sf.clock += step;
        const r = await h.engine.runPass();
        assert.equal(r.paused, true);
        assert.equal(r.ran, false);
      }
      assert.equal(h.sf.totalCalls(), sfCalls, 'no Salesforce call');
      assert.equal(h.hs.totalCalls(), hsCalls, 'no HubSpot call');
      assert.deepEqual(await h.store.getCursor(CURSOR_OPPORTUNITIES), cursor);
      assert.equal(h.hs.dealByOpportunity(first.Id)?.properties.amount, '100');
      assert.equal(h.hs.dealByOpportunity(second.Id), undefined);

      assert.equal((await setPaused(h.store, false, nowOf(h))).changed, true);
      const r = await h.engine.runPass();
      assert.equal(r.paused, false);
      assert.equal(r.created, 1);
      assert.equal(r.updated, 1);
      assert.equal(h.hs.dealByOpportunity(first.Id)?.properties.amount, '200');
      assert.ok(h.hs.dealByOpportunity(second.Id));
    });

    test('paused while a pass runs: it stops before its next batch, the cursor after the last stored one', async () => {
      const h = await harness({ batchSize: 2 });
      await h.enable();
      const { c } = linkedContact(h);
      const opps = Array.from({ length: 5 }, (_, i) => h.sf.addOpportunity({ Name: `Deal ${i}` }, [c.Id]));
      // `dealbridge pause` lands while the first batch is stored (with its cursor, in its transaction).
      const setCursor = h.store.setCursor.bind(h.store);
      let pausedOnce = false;
      h.store.setCursor = async (name, cursor) => {
        await setCursor(name, cursor);
        if (name !== CURSOR_OPPORTUNITIES || pausedOnce) return;
        pausedOnce = true;
        await setPaused(h.store, true, nowOf(h));
      };
      const r = await h.engine.runPass();
      assert.equal(r.paused, true);
      assert.equal(r.ran, true);
      assert.equal(r.created, 2, 'the first batch');
      assert.equal(h.hs.live('deals').length, 2);
      const dealWrites = (h.hs.calls.get('upsertDeals') ?? 0) + (h.hs.calls.get('createDeals') ?? 0);
      assert.equal(dealWrites, 1, `no write after the pause: ${JSON.stringify([...h.hs.calls])}`);
      const second = opps[1];
      assert.ok(second);
      assert.deepEqual(await h.store.getCursor(CURSOR_OPPORTUNITIES), {
        modstamp: second.SystemModstamp,
        id: second.Id,
      });

      await setPaused(h.store, false, nowOf(h));
      const after = await h.engine.runPass();
      assert.equal(after.paused, false);
      assert.equal(after.created, 3);
      assert.equal(h.hs.live('deals').length, 5);
    });

    test('a running loop keeps going while paused and picks up the resume without a restart', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      await setPaused(h.store, true, nowOf(h));
      const opp = h.sf.addOpportunity({ Name: 'Waiting' }, [c.Id]);
      const ac = new AbortController();
      const seen: PassResult[] = [];
      await runSyncLoop(h.engine, {
        intervalMs: 1,
        signal: ac.signal,
        onPass: async (r) => {
          seen.push(r);
          // A `dealbridge resume` from another process, after two paused passes.
          if (seen.length === 2) await setPaused(h.store, false, nowOf(h));
          if (r.created > 0 || seen.length > 10) ac.abort();
        },
      });
      assert.deepEqual(
        seen.map((r) => r.paused),
        [true, true, false],
      );
      assert.ok(h.hs.dealByOpportunity(opp.Id));
      assert.deepEqual(await readPause(h.store), { paused: false, since: null });
    });
  });
}
