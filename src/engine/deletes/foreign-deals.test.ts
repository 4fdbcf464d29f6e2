// Which deals a delete may archive (docs/sync.md, "Which deals are dealbridge's"), over the fakes:
// a deal dealbridge created whose salesforce_opportunity_id a user cleared or changed is theirs now
// and stays; a deal whose id names an opportunity Salesforce no longer returns at all is nobody's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../../store/index.js';
import type { StateStore } from '../ports/store.js';
import { createHarness, MemoryStore, type Harness } from '../testing/fakes.js';

const stores: Record<string, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};

async function ready(openState: () => Promise<StateStore>): Promise<Harness> {
  const h = await createHarness({}, await openState());
  await h.enable();
  return h;
}

function linkedContact(h: Harness, email: string) {
  const c = h.sf.addContact({ Email: email, LastName: email });
  h.hs.addContact(email);
  return c;
}

for (const [kind, openState] of Object.entries(stores)) {
  describe(`deletes archive only dealbridge's deals (${kind} store)`, () => {
    test('a deal whose salesforce_opportunity_id a user cleared or changed is not archived', async () => {
      const h = await ready(openState);
      const c = linkedContact(h, 'ann@example.com');
      const cleared = h.sf.addOpportunity({ Name: 'Cleared' }, [c.Id]);
      const changed = h.sf.addOpportunity({ Name: 'Changed' }, [c.Id]);
      const kept = h.sf.addOpportunity({ Name: 'Kept' }, [c.Id]);
      await h.engine.runPass();
      const deal = (id: string) => h.hs.dealByOpportunity(id);
      const [clearedDeal, changedDeal, keptDeal] = [deal(cleared.Id), deal(changed.Id), deal(kept.Id)];
      assert.ok(clearedDeal && changedDeal && keptDeal);
      await h.hs.updateObjects('deals', [
        { id: clearedDeal.id, properties: { salesforce_opportunity_id: '' } },
        { id: changedDeal.id, properties: { salesforce_opportunity_id: 'typed by a user' } },
      ]);

      for (const o of [cleared, changed, kept]) h.sf.deleteOpportunity(o.Id);
      const r = await h.engine.runPass();

      const live = new Set(h.hs.live('deals').map((d) => d.id));
      assert.ok(live.has(clearedDeal.id) && live.has(changedDeal.id), 'the detached deals stay');
      assert.ok(!live.has(keptDeal.id), "dealbridge's own deal is archived");
      assert.equal(r.archived, 1);
      assert.equal(r.skippedByReason.deal_detached, 2);
      const links = await h.store.getDealLinks([cleared.Id, changed.Id]);
      assert.equal(links.get(cleared.Id)?.dealId, null, 'the link is forgotten');
      assert.equal(links.get(changed.Id)?.dealId, null);
      const audit = await h.store.auditFor(`deal:${clearedDeal.id}`, 100);
      assert.ok(!audit.some((a) => a.reason === 'archive'), 'no archive audited');

      // An undelete makes a new deal; the user's stays as it is.
      h.sf.undeleteOpportunity(cleared.Id);
      h.sf.addRole(cleared.Id, c.Id);
      await h.engine.runPass();
      const again = deal(cleared.Id);
      assert.ok(again && again.id !== clearedDeal.id);
      assert.equal(
        h.hs.live('deals').find((d) => d.id === clearedDeal.id)?.properties.salesforce_opportunity_id,
        '',
      );
    });

    test('a deal typed with the id of an opportunity Salesforce no longer returns is not archived', async () => {
      const h = await ready(openState);
      const c = linkedContact(h, 'bob@example.com');
      // HubSpot refuses its deal: it keeps an error (a due retry) and a mirror, and no link.
      h.hs.rejectDeal = (p) => (p.dealname === 'Refused' ? 'Property values were not valid' : null);
      const refused = h.sf.addOpportunity({ Name: 'Refused' }, [c.Id]);
      await h.engine.runPass();
      assert.equal((await h.store.listErrors({ recordKeys: [`opportunity:${refused.Id}`] })).length, 1);
      // Deleted and purged (no query returns it); then a user types its id on a deal of their own.
      h.sf.deleteOpportunity(refused.Id);
      h.sf.purge(refused.Id);
      const [typed] = (
        await h.hs.createObjects('deals', [
          { properties: { dealname: 'Mine', salesforce_opportunity_id: refused.Id } },
        ])
      ).results;
      assert.ok(typed);
      h.sf.clock += 24 * 3600_000;
      h.restart();
      const r = await h.engine.runPass();
      assert.equal(r.archived, 0);
      assert.ok(
        h.hs.live('deals').some((d) => d.id === typed.id),
        'no opportunity in Salesforce matches it: it is not archived',
      );
    });
  });
}
