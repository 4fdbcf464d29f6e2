import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../../store/index.js';
import { runImport } from '../import/run.js';
import { applyRollups } from './pass.js';
import type { StateStore } from '../ports/store.js';
import { createHarness, MemoryStore, type Harness } from '../testing/fakes.js';
import { reusableStage, STAGE_MAX_AGE_MS } from './stage-reuse.js';

const stores: Record<string, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};
const won = { StageName: 'Closed Won', IsClosed: true, IsWon: true };

test('a kept stage is reused only when read since the run began and at most 30 minutes ago', () => {
  const link = (readAt: string) => ({
    salesforceId: '003A',
    hubspotId: '1',
    matchedBy: 'email' as const,
    rollupHash: null,
    stage: { value: 'lead', readAt },
  });
  const since = '2024-05-01T10:00:00.000Z';
  const now = new Date('2024-05-01T10:20:00.000Z');
  assert.deepEqual(reusableStage(link('2024-05-01T10:05:00.000Z'), since, now), { value: 'lead' });
  assert.equal(reusableStage(link('2024-05-01T09:59:59.000Z'), since, now), undefined, 'before the run');
  assert.equal(reusableStage(link('2024-05-01T10:05:00.000Z'), undefined, now), undefined, 'no run');
  const late = new Date(Date.parse('2024-05-01T10:05:00.000Z') + STAGE_MAX_AGE_MS + 1);
  assert.equal(reusableStage(link('2024-05-01T10:05:00.000Z'), since, late), undefined, 'too old');
  const { stage: _, ...bare } = link(since);
  assert.equal(reusableStage(bare, since, now), undefined, 'never read');
});

for (const [kind, openState] of Object.entries(stores)) {
  describe(`kept lifecycle stages (${kind} store)`, () => {
    async function harness(): Promise<Harness> {
      const h = await createHarness({}, await openState());
      await h.enable();
      return h;
    }
    const deps = (h: Harness, offsetMs = 0) => ({
      salesforce: h.sf,
      hubspot: h.hs,
      store: h.store,
      now: () => new Date(h.sf.clock + offsetMs),
    });

    test('the import reuses the stages its look-ups read: no second read, stages move forward', async () => {
      const h = await harness();
      const a = h.sf.addContact({ Email: 'a@example.com', LastName: 'A' });
      const b = h.sf.addContact({ Email: 'b@example.com', LastName: 'B' });
      const c = h.sf.addContact({ Email: 'c@example.com', LastName: 'C' });
      const ha = h.hs.addContact('a@example.com', { lifecyclestage: 'lead' });
      const hb = h.hs.addContact('b@example.com', { lifecyclestage: 'lead' });
      const hc = h.hs.addContact('c@example.com', { lifecyclestage: 'evangelist' });
      h.sf.addOpportunity({ ...won, Amount: '10' }, [a.Id]);
      h.sf.addOpportunity({ Amount: '10' }, [b.Id, c.Id]);
      const r = await runImport(deps(h));
      assert.equal(r.run.status, 'completed');
      assert.equal(h.hs.calls.get('readByIds:contacts') ?? 0, 0, 'stages came with the look-ups');
      assert.equal(h.hs.objects.contacts.get(ha.id)?.properties.lifecyclestage, 'customer');
      assert.equal(h.hs.objects.contacts.get(hb.id)?.properties.lifecyclestage, 'opportunity');
      assert.equal(h.hs.objects.contacts.get(hc.id)?.properties.lifecyclestage, 'evangelist');
      const audit = await h.store.auditFor(`contact:${ha.id}`, 50);
      assert.ok(
        audit.some((e) => e.reason === 'lifecycle' && e.oldValue === 'lead' && e.newValue === 'customer'),
      );
    });

    test('a stage read before the run, or too long ago, is read again (a HubSpot move is kept)', async () => {
      const h = await harness();
      const a = h.sf.addContact({ Email: 'a@example.com', LastName: 'A' });
      const ha = h.hs.addContact('a@example.com', { lifecyclestage: 'lead' });
      h.sf.addOpportunity({ Amount: '10' }, [a.Id]);
      await h.engine.runPass(); // links a (stage 'lead' kept), no rollup hook
      assert.equal((await h.store.getContactLinks([a.Id])).get(a.Id)?.stage?.value, 'lead');
      const obj = h.hs.objects.contacts.get(ha.id);
      assert.ok(obj);
      obj.properties.lifecyclestage = 'evangelist'; // moved on in HubSpot since
      const since = new Date(h.sf.clock - 60_000).toISOString();
      // 31 minutes later: too old to reuse.
      await applyRollups(
        deps(h, STAGE_MAX_AGE_MS + 60_000),
        { contactIds: [a.Id], accountIds: [] },
        {
          stagesReadSince: since,
        },
      );
      assert.equal(h.hs.calls.get('readByIds:contacts'), 1);
      assert.equal(obj.properties.lifecyclestage, 'evangelist');
    });

    test('two Salesforce contacts on one HubSpot contact, rolled up apart: never moved back', async () => {
      const h = await harness();
      const a = h.sf.addContact({ Email: 'same@example.com', LastName: 'A' });
      const b = h.sf.addContact({ Email: 'same@example.com', LastName: 'B' });
      const hs = h.hs.addContact('same@example.com', { lifecyclestage: 'lead' });
      h.sf.addOpportunity({ ...won, Amount: '10' }, [a.Id]);
      h.sf.addOpportunity({ Amount: '20' }, [b.Id]);
      const since = new Date(h.sf.clock).toISOString();
      await h.engine.runPass(); // both linked to hs, each with the stage 'lead' read
      await applyRollups(deps(h), { contactIds: [a.Id], accountIds: [] }, { stagesReadSince: since });
      assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.lifecyclestage, 'customer');
      // b's kept stage was 'lead'; a's write updated every link to hs.
      assert.equal((await h.store.getContactLinks([b.Id])).get(b.Id)?.stage?.value, 'customer');
      await applyRollups(deps(h), { contactIds: [b.Id], accountIds: [] }, { stagesReadSince: since });
      assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.lifecyclestage, 'customer');
      assert.equal(h.hs.calls.get('readByIds:contacts') ?? 0, 0);
    });

    test('two Salesforce contacts on one HubSpot contact in one call: the later round starts from the earlier write', async () => {
      const h = await harness();
      const a = h.sf.addContact({ Email: 'same@example.com', LastName: 'A' });
      const b = h.sf.addContact({ Email: 'same@example.com', LastName: 'B' });
      const hs = h.hs.addContact('same@example.com', { lifecyclestage: 'lead' });
      h.sf.addOpportunity({ ...won, Amount: '10' }, [a.Id]);
      h.sf.addOpportunity({ Amount: '20' }, [b.Id]);
      const since = new Date(h.sf.clock).toISOString();
      await h.engine.runPass();
      await applyRollups(deps(h), { contactIds: [a.Id, b.Id], accountIds: [] }, { stagesReadSince: since });
      assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.lifecyclestage, 'customer');
    });
  });
}
