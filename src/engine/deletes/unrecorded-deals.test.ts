// A deal HubSpot holds but the store never recorded (the process was killed after HubSpot answered
// and before the batch's transaction, a response lost to a timeout, a state restored from an older
// backup) must still be archived when its opportunity is deleted — and come back on undelete.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../../store/index.js';
import type { StateStore } from '../ports/store.js';
import { createHarness, MemoryStore } from '../testing/fakes.js';
import { killedPass } from '../testing/killed-pass.js';

const stores: Record<string, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};

for (const [kind, openState] of Object.entries(stores)) {
  describe(`deletes of deals the store never recorded (${kind} store)`, () => {
    test('a deal written before a kill is archived when its opportunity is deleted', async () => {
      const h = await createHarness({}, await openState());
      await h.enable();
      const c = h.sf.addContact({ Email: 'kill@example.com', LastName: 'Kill' });
      h.hs.addContact('kill@example.com');
      const opp = h.sf.addOpportunity({}, [c.Id]);
      await killedPass(h);
      assert.ok(h.hs.dealByOpportunity(opp.Id), 'HubSpot has the deal');
      assert.equal((await h.store.getDealLinks([opp.Id])).get(opp.Id), undefined, 'the store has no link');

      h.sf.deleteOpportunity(opp.Id);
      const r = await h.engine.runPass();
      assert.equal(h.hs.dealByOpportunity(opp.Id), undefined, 'the deal is archived');
      assert.equal(r.archived, 1);
      assert.equal((await h.store.getDealLinks([opp.Id])).get(opp.Id)?.archived, true);

      h.sf.undeleteOpportunity(opp.Id);
      for (const role of [...h.sf.roles.values()].filter((x) => x.OpportunityId === opp.Id)) {
        Object.assign(role, { IsDeleted: false, SystemModstamp: h.sf.tick() });
      }
      await h.engine.runPass();
      const deals = h.hs.live('deals').filter((d) => d.properties.salesforce_opportunity_id === opp.Id);
      assert.equal(deals.length, 1, 'undelete brings back one deal, not two');
    });

    test('an archived link, a deal made again by a killed batch, then the delete: that deal is archived', async () => {
      const h = await createHarness({}, await openState());
      await h.enable();
      const c = h.sf.addContact({ Email: 'again@example.com', LastName: 'Again' });
      h.hs.addContact('again@example.com');
      const opp = h.sf.addOpportunity({}, [c.Id]);
      await h.engine.runPass();
      h.sf.deleteOpportunity(opp.Id);
      await h.engine.runPass();
      assert.equal((await h.store.getDealLinks([opp.Id])).get(opp.Id)?.archived, true);
      // Undeleted: the batch that brings the deal back dies before the store hears of it.
      h.sf.undeleteOpportunity(opp.Id);
      for (const role of [...h.sf.roles.values()].filter((x) => x.OpportunityId === opp.Id))
        Object.assign(role, { IsDeleted: false, SystemModstamp: h.sf.tick() });
      await killedPass(h);
      assert.ok(h.hs.dealByOpportunity(opp.Id), 'HubSpot has a live deal again');
      assert.equal(
        (await h.store.getDealLinks([opp.Id])).get(opp.Id)?.archived,
        true,
        'the store does not know',
      );
      h.sf.deleteOpportunity(opp.Id);
      await h.engine.runPass();
      assert.equal(h.hs.dealByOpportunity(opp.Id), undefined, 'the live deal is archived');
    });

    test('a deleted opportunity that never had a deal costs one batch read, and archives nothing', async () => {
      const h = await createHarness({}, await openState());
      await h.enable();
      const opps = Array.from({ length: 150 }, () => h.sf.addOpportunity({}, []));
      for (const o of opps) h.sf.deleteOpportunity(o.Id);
      const before = h.hs.calls.get('readByUniqueProperty:deals') ?? 0;
      const r = await h.engine.runPass();
      const reads = (h.hs.calls.get('readByUniqueProperty:deals') ?? 0) - before;
      assert.equal(r.archived, 0);
      assert.ok(reads <= 2, `${reads} batch reads for 150 deleted opportunities`);
    });
  });
}
