// The create-only retry of upsertDeals: after a crash between a write and storing its link, a deal
// that already exists is sent createdate again and HubSpot refuses the batch; only that deal may
// lose createdate — the new deals beside it must keep theirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { upsertDeals } from './apply.js';
import { FakeHubspot } from '../testing/fake-hubspot.js';

const input = (id: string, createdate: string) => ({
  opportunityId: id,
  properties: { dealname: `Deal ${id}`, createdate },
});

test('a batch refused for one existing deal keeps createdate on the new deals', async () => {
  const hubspot = new FakeHubspot();
  await upsertDeals(hubspot, [input('006A', '2024-01-05T00:00:00.000Z')]);
  const batch = [
    input('006A', '2024-01-05T00:00:00.000Z'),
    ...['006B', '006C', '006D'].map((id) =>
      input(id, '2024-02-0' + (id.slice(-1).charCodeAt(0) % 10) + 'T00:00:00.000Z'),
    ),
  ];
  const { results, failures } = await upsertDeals(hubspot, batch);
  assert.deepEqual(failures, []);
  assert.equal(results.length, 4);
  for (const i of batch.slice(1)) {
    const deal = [...hubspot.objects.deals.values()].find(
      (d) => d.properties.salesforce_opportunity_id === i.opportunityId,
    );
    assert.equal(deal?.properties.createdate, i.properties.createdate, `createdate of ${i.opportunityId}`);
  }
});
