// The recycle-bin check (deleted-deals.ts) over the fakes: which opportunities it hands back for a
// re-sync, and when it runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DealLink } from '../ports/store.js';
import { FakeHubspot } from '../testing/fake-hubspot.js';
import { FakeSalesforce } from '../testing/fake-salesforce.js';
import { MemoryStore } from '../testing/memory-store.js';
import { DeletedDealsCheck } from './deleted-deals.js';

const link = (opportunityId: string, dealId: string, archived = false): DealLink => ({
  opportunityId,
  dealId,
  propertiesHash: 'h',
  associationsHash: 'a',
  lastValues: {},
  archived,
  lastSyncedAt: null,
});

test('re-syncs the opportunities whose live link points to a deal in the recycle bin, once per interval', async () => {
  const hubspot = new FakeHubspot();
  const store = new MemoryStore();
  const made = await hubspot.upsertDeals(
    ['006A', '006B', '006C', '006D'].map((opportunityId) => ({
      opportunityId,
      properties: { dealname: 'x' },
    })),
  );
  const deal = new Map(made.results.map((r) => [r.opportunityId, r.dealId]));
  const id = (opp: string): string => deal.get(opp) ?? '';
  // A: deleted by a user, still linked. B: archived by dealbridge (its opportunity was deleted).
  // C: live. D: deleted, but its link already moved to a deal created again.
  await hubspot.archiveDeals([id('006A'), id('006B'), id('006D')]);
  await store.saveDealLinks([
    link('006A', id('006A')),
    link('006B', id('006B'), true),
    link('006C', id('006C')),
    link('006D', '9999'),
  ]);
  let now = Date.parse('2026-12-01T00:00:00Z');
  const resynced: string[][] = [];
  const deps = {
    hubspot,
    salesforce: new FakeSalesforce(),
    policy: 'keep' as const,
    store,
    now: () => new Date(now),
    resync: async (ids: string[]) => {
      resynced.push(ids);
    },
    checkBudget: () => {},
  };
  const check = new DeletedDealsCheck(5 * 60_000);

  assert.deepEqual(await check.run(deps), ['006A']);
  assert.deepEqual(resynced, [['006A']]);
  now += 4 * 60_000;
  assert.equal(await check.run(deps), undefined, 'not due yet');
  now += 60_000;
  assert.deepEqual(await check.run(deps), ['006A'], 'still linked to the deleted deal: tried again');
  assert.equal(hubspot.calls.get('archivedDeals'), 2);
});

test('with the delete policy the opportunity is deleted instead, its link archived, and kept in the audit log', async () => {
  const hubspot = new FakeHubspot();
  const salesforce = new FakeSalesforce();
  const store = new MemoryStore();
  const made = await hubspot.upsertDeals([{ opportunityId: '006A', properties: { dealname: 'x' } }]);
  const dealId = made.results[0]!.dealId;
  salesforce.addOpportunity({ Id: '006A', Name: 'x' });
  await hubspot.archiveDeals([dealId]);
  await store.saveDealLinks([link('006A', dealId)]);
  const resynced: string[][] = [];
  const deps = {
    hubspot,
    salesforce,
    policy: 'delete' as const,
    store,
    now: () => new Date('2026-12-01T00:00:00Z'),
    resync: async (ids: string[]) => void resynced.push(ids),
    checkBudget: () => {},
  };
  assert.deepEqual(await new DeletedDealsCheck(0).run(deps), ['006A']);
  assert.deepEqual(resynced, [], 'not written again');
  assert.equal(salesforce.opps.get('006A')?.IsDeleted, true);
  assert.equal((await store.getDealLinks(['006A'])).get('006A')?.archived, true);
  const [entry] = await store.auditFor('opportunity:006A', 5);
  assert.equal(entry?.reason, 'delete');
  assert.deepEqual(await new DeletedDealsCheck(0).run(deps), [], 'an archived link is not deleted twice');
});
