import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRollupPropertyNames } from './index.js';
import type { OpportunityMirror, RecordLink } from '../ports/store.js';
import type { RollupContext } from './rollup-context.js';
import { planRollup, unionOpportunities, withLifecycle } from './plan.js';

const ctx: RollupContext = {
  settings: { lifecycleStage: true, recentDealAmountRule: 'created' },
  names: defaultRollupPropertyNames,
  convert: (amount) => amount,
  portalCurrency: 'USD',
};

const opp = (id: string, over: Partial<OpportunityMirror> = {}): OpportunityMirror => ({
  id,
  name: id,
  accountId: null,
  amount: '100',
  currencyIsoCode: null,
  closeDate: '2024-03-01',
  createdDate: '2024-01-01T00:00:00.000Z',
  isClosed: false,
  isWon: false,
  isDeleted: false,
  inScope: true,
  systemModstamp: '2024-01-01T00:00:00.000Z',
  ...over,
});

const link = (salesforceId: string, rollupHash: string | null = null): RecordLink => ({
  salesforceId,
  hubspotId: '501',
  matchedBy: 'email',
  rollupHash,
});

test("a HubSpot contact's rollups are over the union of its Salesforce contacts' deals, each once", () => {
  const shared = opp('006B', { isClosed: true, isWon: true, amount: '40' });
  const ofA = [opp('006A'), shared];
  const ofB = [shared, opp('006C', { isClosed: true, isWon: true, amount: '60' })];
  const union = unionOpportunities([ofB, ofA]);
  assert.deepEqual(
    union.map((o) => o.id),
    ['006A', '006B', '006C'],
  );
  const decision = planRollup('contact', [link('003B'), link('003A')], union, ctx, false);
  assert.equal(decision.action, 'write');
  if (decision.action !== 'write') return;
  const n = defaultRollupPropertyNames;
  assert.equal(decision.plan.properties[n.numAssociatedDeals], '3');
  assert.equal(decision.plan.properties[n.totalRevenue], '100.00');
  assert.equal(decision.plan.salesforceId, '003A', 'the lowest id names the record');
  assert.deepEqual(
    decision.plan.links.map((l) => l.salesforceId),
    ['003A', '003B'],
  );
  // Lifecycle follows the union too: a won deal of either contact makes the contact a customer.
  assert.equal(decision.plan.lifecycleTarget, 'customer');
  assert.equal(withLifecycle(decision.plan, 'lead').lifecycle, 'customer');
  assert.equal(withLifecycle(decision.plan, 'evangelist').lifecycle, null, 'never backwards');

  // Unchanged only when every link holds the fingerprint.
  const fp = decision.plan.fingerprint;
  assert.equal(
    planRollup('contact', [link('003A', fp), link('003B', fp)], union, ctx, false).action,
    'unchanged',
  );
  assert.equal(planRollup('contact', [link('003A', fp), link('003B')], union, ctx, false).action, 'write');
  assert.equal(
    planRollup('contact', [link('003A', fp), link('003B', '{"p":{}}')], union, ctx, false).action,
    'write',
    'links written apart by an older version',
  );
});
