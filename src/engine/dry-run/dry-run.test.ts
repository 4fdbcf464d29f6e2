// The dry pass over the fakes, on the in-memory store and SQLite: it writes nothing to HubSpot or
// the store, its plan names each opportunity's action, and a real pass started afterwards decides
// exactly what the plan said and writes the rollups it listed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../../store/index.js';
import type { StateStore } from '../ports/store.js';
import { createRollupHook } from '../rollups/hook.js';
import { SyncEngine } from '../sync/pass.js';
import { createHarness, MemoryStore, type Harness } from '../testing/fakes.js';
import { PlanCollector } from './plan.js';
import { dryRunPass, type PlanEntry } from './run.js';

const stores: Record<string, () => Promise<StateStore & { scratchCopy(): Promise<StateStore> }>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};

/** A pass as `sync --once` runs it (a fresh engine, the rollup hook), its decisions collected. */
async function realPass(h: Harness) {
  const plan = new PlanCollector();
  const deps = { salesforce: h.sf, hubspot: h.hs, store: h.store, now: () => new Date(h.sf.clock) };
  const engine = new SyncEngine({
    ...deps,
    options: { lookbackSeconds: 5 },
    onTouched: createRollupHook(deps),
    onBatch: (o) => plan.add(o),
  });
  const result = await engine.runPass();
  return plan.report(result, [], h.store);
}

/** What the plan and the real pass must agree on (a created deal's id is known afterwards only). */
const decided = (e: PlanEntry) => ({ ...e, dealId: e.action === 'create' ? null : e.dealId });
const byId = (entries: PlanEntry[]) =>
  new Map(entries.map((e) => [e.opportunityId, decided(e)] as const).sort(([a], [b]) => a.localeCompare(b)));

for (const [kind, open] of Object.entries(stores)) {
  describe(`sync --dry-run over the fakes (${kind} store)`, () => {
    test('writes nothing, plans each action, and a real pass then does just that', async () => {
      const store = await open();
      const h = await createHarness({}, store);
      await h.enable();
      const ann = h.sf.addContact({ Email: 'ann@example.com', LastName: 'Ann' });
      const annHs = h.hs.addContact('ann@example.com');
      const changed = h.sf.addOpportunity({ Name: 'Changed', Amount: '100' }, [ann.Id]);
      const deleted = h.sf.addOpportunity({ Name: 'Deleted' }, [ann.Id]);
      const same = h.sf.addOpportunity({ Name: 'Same' }, [ann.Id]);
      await realPass(h);
      const dealOf = (id: string) => h.hs.dealByOpportunity(id)?.id ?? null;
      const [changedDeal, deletedDeal, sameDeal] = [changed.Id, deleted.Id, same.Id].map(dealOf);
      assert.ok(changedDeal && deletedDeal && sameDeal);

      h.sf.clock += 10_000;
      // Won: the contact's revenue rollups change too.
      h.sf.updateOpportunity(changed.Id, {
        Amount: '250',
        StageName: 'Closed Won',
        IsClosed: true,
        IsWon: true,
      });
      h.sf.deleteOpportunity(deleted.Id);
      const created = h.sf.addOpportunity({ Name: 'New one', Amount: '40' }, [ann.Id]);
      const stranger = h.sf.addContact({ Email: 'nobody@example.com', LastName: 'Nobody' });
      const skipped = h.sf.addOpportunity({ Name: 'No HubSpot contact' }, [stranger.Id]);
      // The role of `same` changes nothing of its deal: re-read, unchanged.
      h.sf.addRole(same.Id, ann.Id);

      const hubspotBefore = JSON.stringify([
        h.hs.live('deals'),
        h.hs.live('contacts'),
        [...h.hs.associations],
      ]);
      const writesBefore = ['upsertDeals', 'createDeals', 'archiveDeals', 'updateObjects', 'associate']
        .map((m) => h.hs.calls.get(m) ?? 0)
        .join();
      const cursorsBefore = JSON.stringify([...(await store.listCursors())]);
      const linksBefore = await store.getDealLinks([changed.Id, deleted.Id, same.Id, created.Id]);
      const auditBefore = await store.auditFor(`deal:${changedDeal}`, 100);

      const scratch = await store.scratchCopy();
      const dry = await dryRunPass({
        salesforce: h.sf,
        hubspot: h.hs,
        scratch,
        options: { lookbackSeconds: 5 },
        now: () => new Date(h.sf.clock),
      });
      await scratch.close();

      // Nothing written: HubSpot and the store are as they were.
      assert.equal(
        JSON.stringify([h.hs.live('deals'), h.hs.live('contacts'), [...h.hs.associations]]),
        hubspotBefore,
      );
      assert.equal(
        ['upsertDeals', 'createDeals', 'archiveDeals', 'updateObjects', 'associate']
          .map((m) => h.hs.calls.get(m) ?? 0)
          .join(),
        writesBefore,
        'no write call reached HubSpot',
      );
      assert.equal(JSON.stringify([...(await store.listCursors())]), cursorsBefore);
      assert.deepEqual(await store.getDealLinks([changed.Id, deleted.Id, same.Id, created.Id]), linksBefore);
      assert.deepEqual(await store.auditFor(`deal:${changedDeal}`, 100), auditBefore);
      assert.deepEqual(await store.listErrors(), []);

      // The plan.
      const plan = new Map(dry.plan.map((e) => [e.opportunityId, e]));
      assert.equal(plan.get(changed.Id)?.action, 'update');
      assert.equal(plan.get(changed.Id)?.dealId, changedDeal);
      assert.deepEqual(plan.get(changed.Id)?.changes.amount, { old: '100', new: '250' });
      assert.equal(plan.get(deleted.Id)?.action, 'archive');
      assert.equal(plan.get(deleted.Id)?.dealId, deletedDeal);
      assert.equal(plan.get(created.Id)?.action, 'create');
      assert.equal(plan.get(created.Id)?.dealId, null);
      assert.deepEqual(plan.get(created.Id)?.changes.dealname, { old: null, new: 'New one' });
      assert.deepEqual(plan.get(created.Id)?.changes['@contacts'], { old: null, new: annHs.id });
      assert.equal(plan.get(skipped.Id)?.action, 'skip');
      assert.equal(plan.get(skipped.Id)?.reason, 'no_contact_in_hubspot');
      assert.equal(plan.get(same.Id)?.action, 'unchanged');
      assert.deepEqual(
        [dry.summary.created, dry.summary.updated, dry.summary.archived, dry.summary.skipped],
        [1, 1, 1, 1],
      );
      const rollup = dry.hubspot.records.find((r) => r.objectType === 'contacts' && r.id === annHs.id);
      assert.ok(rollup, `the contact's rollups are planned: ${JSON.stringify(dry.hubspot)}`);

      // A real pass now does what the plan said, and writes the rollups it listed.
      const real = await realPass(h);
      assert.deepEqual(byId(real.plan), byId(dry.plan));
      assert.deepEqual(real.summary.skippedByReason, dry.summary.skippedByReason);
      const contact = h.hs.live('contacts').find((c) => c.id === annHs.id);
      for (const [field, change] of Object.entries(rollup.changes))
        assert.equal(contact?.properties[field] ?? null, change.new, field);
      assert.equal(h.hs.dealByOpportunity(created.Id)?.properties.dealname, 'New one');
      assert.equal(h.hs.dealByOpportunity(deleted.Id), undefined);
      await store.close();
    });
  });
}
