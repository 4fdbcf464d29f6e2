import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DealbridgeError } from '../../errors/index.js';
import { openStore } from '../../store/index.js';
import { CURSOR_OPPORTUNITIES } from '../sync/change-feed.js';
import { CURSOR_DELETES, DELETES_ERROR_KEY, GET_DELETED_WINDOW_MS } from './full-compare.js';
import type { StateStore } from '../ports/store.js';
import { formatStatus, readStatus } from '../status/read-status.js';
import { createHarness, MemoryStore, type Harness } from '../testing/fakes.js';

const stores: Record<string, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};

const DAY = 24 * 3600_000;

for (const [kind, openState] of Object.entries(stores)) {
  async function ready(): Promise<Harness> {
    // No late-commit sweep (short window = the full 5 s): these tests plant deletes that keep their
    // old SystemModstamp, which the sweep's first read after the 16 days would otherwise find.
    const h = await createHarness({ batchSize: 3, shortLookbackSeconds: 5 }, await openState());
    await h.enable();
    return h;
  }

  /** Three synced opportunities of one HubSpot contact. */
  async function three(h: Harness) {
    const c = h.sf.addContact({ Email: 'ann@example.com', LastName: 'Ann' });
    h.hs.addContact('ann@example.com');
    const opps = [1, 2, 3, 4].map((i) => h.sf.addOpportunity({ Name: `Deal ${i}` }, [c.Id]));
    await h.engine.runPass();
    for (const o of opps) assert.ok(h.hs.dealByOpportunity(o.Id));
    return opps;
  }

  const calls = (h: Harness, name: string) => h.sf.calls.get(name) ?? 0;

  /** Deleted and emptied from the recycle bin with its contact roles: no query returns it. */
  function hardDelete(h: Harness, id: string): void {
    h.sf.deleteOpportunity(id);
    h.sf.purge(id);
    for (const r of [...h.sf.roles.values()]) if (r.OpportunityId === id) h.sf.roles.delete(r.Id);
  }

  /** A delete no feed saw (its row and roles keep their old SystemModstamp): only queryAll by id shows it. */
  function unseenDelete(h: Harness, id: string): void {
    const o = h.sf.opps.get(id);
    assert.ok(o);
    o.IsDeleted = true;
    for (const r of h.sf.roles.values()) if (r.OpportunityId === id) r.IsDeleted = true;
  }

  describe(`deletes beyond getDeleted's window (${kind} store)`, () => {
    test('a full comparison archives deleted and hard-deleted opportunities, not live ones', async () => {
      const h = await ready();
      const [binned, purged, live, edited] = await three(h);
      assert.ok(binned && purged && live && edited);
      const links = await h.store.getDealLinks([binned.Id, purged.Id]);
      // The process is down for 16 days: one opportunity was deleted and emptied from the recycle
      // bin, another is in the bin (queryAll by id shows it, IsDeleted); getDeleted no longer
      // reaches back, and neither shows up in the change feeds.
      h.sf.clock += 16 * DAY;
      hardDelete(h, purged.Id);
      unseenDelete(h, binned.Id);
      h.sf.clock += 60_000;
      h.sf.updateOpportunity(edited.Id, { Name: 'Edited' });
      // And one the id stream misses although it is live (say, undeleted while the ids streamed):
      // re-read by id before anything is archived, it keeps its deal.
      const stream = h.sf.allOpportunityIds.bind(h.sf);
      h.sf.allOpportunityIds = async function* () {
        for await (const page of stream()) yield page.filter((id) => id !== live.Id);
      };
      h.restart();
      const getDeleted = calls(h, 'deletedOpportunities');
      const startedAt = new Date(h.sf.clock).toISOString();
      const r = await h.engine.runPass();

      assert.equal(h.hs.dealByOpportunity(purged.Id), undefined);
      assert.equal(h.hs.dealByOpportunity(binned.Id), undefined);
      assert.ok(h.hs.dealByOpportunity(live.Id), 'a live opportunity keeps its deal');
      assert.equal(h.hs.dealByOpportunity(edited.Id)?.properties.dealname, 'Edited');
      assert.equal(calls(h, 'deletedOpportunities'), getDeleted, 'the window is known to be exceeded');
      assert.equal(r.archived, 2);
      assert.ok(r.fullComparison);
      assert.equal(r.fullComparison.salesforceIds, 1);
      assert.equal(r.fullComparison.liveDeals, 4);
      assert.equal(r.fullComparison.missing, 3);
      assert.equal(r.fullComparison.archived, 2);
      assert.match(r.fullComparison.reason, /older than getDeleted's 15 days/);
      assert.deepEqual(await h.store.getCursor(CURSOR_DELETES), { modstamp: startedAt, id: '' });
      for (const id of [binned.Id, purged.Id]) {
        const dealId = links.get(id)?.dealId ?? '';
        const audit = await h.store.auditFor(`deal:${dealId}`, 10);
        assert.ok(
          audit.some((a) => a.reason === 'archive' && a.field === 'archived' && a.newValue === 'true'),
          `archive audited for ${id}`,
        );
      }
      const status = await readStatus(h.store, new Date(h.sf.clock));
      assert.equal(status.deletes.checkedThrough, startedAt);
      assert.equal(status.deletes.lastFullComparison?.archived, 2);
      assert.match(
        formatStatus(status),
        /Last full comparison .*: 1 opportunity ids in Salesforce, 4 live deals compared, 3 missing, 2 archived/,
      );

      // Only when needed: the next passes use neither the comparison nor (within the hour) getDeleted.
      h.sf.clock += 10_000;
      const again = await h.engine.runPass();
      assert.equal(again.fullComparison, undefined);
      assert.equal(calls(h, 'allOpportunityIds'), 1);
      h.sf.clock += 2 * 3600_000;
      await h.engine.runPass();
      assert.equal(calls(h, 'allOpportunityIds'), 1);
      assert.equal(calls(h, 'deletedOpportunities'), getDeleted + 1, 'back to getDeleted from the new mark');
    });

    test('deletes are known from their own mark, not from where the opportunity feed moved to', async () => {
      const h = await ready();
      const [gone, , , edited] = await three(h);
      assert.ok(gone && edited);
      h.sf.clock += 16 * DAY;
      hardDelete(h, gone.Id);
      h.sf.updateOpportunity(edited.Id, { Name: 'Moves the opportunity cursor' });
      h.restart();
      await h.engine.runPass();
      const opp = await h.store.getCursor(CURSOR_OPPORTUNITIES);
      assert.equal(opp?.id, edited.Id);
      assert.equal(h.hs.dealByOpportunity(gone.Id), undefined);
    });

    test('getDeleted runs when the stored mark is an hour old, not at every start', async () => {
      const h = await ready();
      const [gone] = await three(h);
      assert.ok(gone);
      const before = calls(h, 'deletedOpportunities');
      hardDelete(h, gone.Id);
      // A restart 10 minutes after sync was turned on: the mark is fresh, no getDeleted yet.
      h.sf.clock += 10 * 60_000;
      h.restart();
      await h.engine.runPass();
      assert.equal(calls(h, 'deletedOpportunities'), before);
      assert.ok(h.hs.dealByOpportunity(gone.Id));
      // An hour after the mark (another restart): getDeleted finds the purged opportunity.
      h.sf.clock += 55 * 60_000;
      h.restart();
      await h.engine.runPass();
      assert.equal(calls(h, 'deletedOpportunities'), before + 1);
      assert.equal(h.hs.dealByOpportunity(gone.Id), undefined);
    });

    test('Salesforce saying the start is too old (earliestDateAvailable, INVALID_REPLICATION_DATE) runs it too', async () => {
      const h = await ready();
      const [gone] = await three(h);
      assert.ok(gone);
      h.sf.clock += 2 * DAY;
      hardDelete(h, gone.Id);
      h.sf.earliestDeletedAvailable = new Date(h.sf.clock - 3600_000).toISOString();
      h.restart();
      const getDeleted = calls(h, 'deletedOpportunities');
      const r = await h.engine.runPass();
      assert.equal(calls(h, 'deletedOpportunities'), getDeleted + 1);
      assert.match(r.fullComparison?.reason ?? '', /keeps deletes only from/);
      assert.equal(h.hs.dealByOpportunity(gone.Id), undefined);

      const h2 = await ready();
      const [gone2] = await three(h2);
      assert.ok(gone2);
      h2.sf.clock += 2 * DAY;
      hardDelete(h2, gone2.Id);
      h2.sf.faults.set('deletedOpportunities', [
        new DealbridgeError(
          'SALESFORCE_QUERY_FAILED',
          'Salesforce HTTP 400 INVALID_REPLICATION_DATE: deleted records were purged after startDate',
        ),
      ]);
      h2.restart();
      const r2 = await h2.engine.runPass();
      assert.match(r2.fullComparison?.reason ?? '', /INVALID_REPLICATION_DATE/);
      assert.equal(h2.hs.dealByOpportunity(gone2.Id), undefined);
    });

    test('a comparison Salesforce refuses is a CURSOR_TOO_OLD warning, retried after the hour', async () => {
      const h = await ready();
      const [gone, other] = await three(h);
      assert.ok(gone && other);
      h.sf.clock += GET_DELETED_WINDOW_MS + DAY;
      hardDelete(h, gone.Id);
      const mark = await h.store.getCursor(CURSOR_DELETES);
      h.sf.faults.set('allOpportunityIds', [
        new DealbridgeError('SALESFORCE_QUERY_FAILED', 'Salesforce HTTP 400 QUERY_TIMEOUT: try again'),
      ]);
      h.restart();
      h.sf.updateOpportunity(other.Id, { Name: 'Still syncs' });
      const r = await h.engine.runPass();
      assert.equal(r.fullComparison, undefined);
      assert.equal(h.hs.dealByOpportunity(other.Id)?.properties.dealname, 'Still syncs');
      const [warning] = await h.store.listErrors({ recordKeys: [DELETES_ERROR_KEY] });
      assert.equal(warning?.code, 'CURSOR_TOO_OLD');
      assert.match(warning?.message ?? '', /QUERY_TIMEOUT/);
      assert.deepEqual(await h.store.getCursor(CURSOR_DELETES), mark, 'the mark stays');
      assert.ok(h.hs.dealByOpportunity(gone.Id));

      h.sf.clock += 60_000;
      await h.engine.runPass();
      assert.equal(calls(h, 'allOpportunityIds'), 1, 'not tried again within the hour');
      h.sf.clock += 3600_000;
      const later = await h.engine.runPass();
      assert.equal(later.fullComparison?.archived, 1);
      assert.equal(h.hs.dealByOpportunity(gone.Id), undefined);
      assert.deepEqual(await h.store.listErrors({ recordKeys: [DELETES_ERROR_KEY] }), []);
    });

    test('an outage during the comparison stops the pass and leaves the mark for the next one', async () => {
      const h = await ready();
      const [gone] = await three(h);
      assert.ok(gone);
      h.sf.clock += 16 * DAY;
      hardDelete(h, gone.Id);
      const mark = await h.store.getCursor(CURSOR_DELETES);
      h.sf.faults.set('allOpportunityIds', [new DealbridgeError('SALESFORCE_UNAVAILABLE', 'Salesforce 503')]);
      h.restart();
      await assert.rejects(h.engine.runPass(), /Salesforce 503/);
      assert.deepEqual(await h.store.getCursor(CURSOR_DELETES), mark);
      const r = await h.engine.runPass();
      assert.equal(r.fullComparison?.archived, 1);
    });
  });
}
