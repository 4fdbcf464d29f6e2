import { test } from 'node:test';
import assert from 'node:assert/strict';
import Big from 'big.js';
import { DealbridgeError } from '../../errors/index.js';
import type { OpportunityMirror } from '../ports/store.js';
import { computeRollups, defaultRollupPropertyNames, rollupProperties } from './index.js';
import type { AmountConverter, RollupValues } from './index.js';

function opp(id: string, over: Partial<OpportunityMirror>): OpportunityMirror {
  return {
    id,
    name: id,
    accountId: '001A',
    amount: null,
    currencyIsoCode: null,
    closeDate: null,
    createdDate: '2024-01-01T00:00:00.000Z',
    isClosed: false,
    isWon: false,
    isDeleted: false,
    inScope: true,
    systemModstamp: '2024-06-01T00:00:00.000Z',
    ...over,
  };
}

const won = (o: Partial<OpportunityMirror>) => ({ isClosed: true, isWon: true, ...o });
const lost = (o: Partial<OpportunityMirror>) => ({ isClosed: true, isWon: false, ...o });

/** Single-currency: the amount to 2 places, as the real converter does. */
const asIs: AmountConverter = (amount) => new Big(amount).round(2, Big.roundHalfUp).toFixed(2);

// Issue 5: A won, created January, closed March; B won, created February, closed February; C open.
const A = opp(
  '006A',
  won({ createdDate: '2024-01-10T12:00:00.000Z', closeDate: '2024-03-20', amount: '1000' }),
);
const B = opp(
  '006B',
  won({ createdDate: '2024-02-05T08:00:00.000Z', closeDate: '2024-02-28', amount: '250.50' }),
);
const C = opp('006C', { createdDate: '2024-04-01T00:00:00.000Z', closeDate: '2024-06-30', amount: '99999' });

const empty: RollupValues = {
  numAssociatedDeals: 0,
  firstDealCreatedDate: null,
  recentDealCloseDate: null,
  recentDealAmount: null,
  totalRevenue: null,
};

const cases: {
  name: string;
  opps: OpportunityMirror[];
  rule?: 'created' | 'closed';
  expect: RollupValues;
}[] = [
  {
    name: 'issue 5: A, B won and C open, rule created → B (created last)',
    opps: [A, B, C],
    expect: {
      numAssociatedDeals: 3,
      firstDealCreatedDate: '2024-01-10T12:00:00.000Z',
      recentDealCloseDate: '2024-03-20',
      recentDealAmount: '250.50',
      totalRevenue: '1250.50',
    },
  },
  {
    name: 'issue 5 with rule closed → A (closed last)',
    opps: [C, B, A],
    rule: 'closed',
    expect: {
      numAssociatedDeals: 3,
      firstDealCreatedDate: '2024-01-10T12:00:00.000Z',
      recentDealCloseDate: '2024-03-20',
      recentDealAmount: '1000.00',
      totalRevenue: '1250.50',
    },
  },
  {
    name: 'a lost opportunity counts in the number, not in revenue',
    opps: [
      A,
      opp('006L', lost({ createdDate: '2023-12-01T00:00:00.000Z', closeDate: '2024-12-01', amount: '5000' })),
    ],
    expect: {
      numAssociatedDeals: 2,
      firstDealCreatedDate: '2023-12-01T00:00:00.000Z',
      recentDealCloseDate: '2024-03-20',
      recentDealAmount: '1000.00',
      totalRevenue: '1000.00',
    },
  },
  {
    name: 'a won opportunity without amount counts 0',
    opps: [
      A,
      opp('006N', won({ createdDate: '2024-05-01T00:00:00.000Z', closeDate: '2024-05-02', amount: null })),
    ],
    expect: {
      numAssociatedDeals: 2,
      firstDealCreatedDate: '2024-01-10T12:00:00.000Z',
      recentDealCloseDate: '2024-05-02',
      recentDealAmount: '0.00',
      totalRevenue: '1000.00',
    },
  },
  {
    name: 'only open and lost: count and first created, won values cleared',
    opps: [C, opp('006L', lost({ createdDate: '2024-03-01T00:00:00.000Z', amount: '7' }))],
    expect: { ...empty, numAssociatedDeals: 2, firstDealCreatedDate: '2024-03-01T00:00:00.000Z' },
  },
  { name: 'empty set clears everything, count 0', opps: [], expect: empty },
  {
    name: 'deleted and out-of-scope opportunities do not count (removing a role / deleting recomputes)',
    opps: [A, { ...B, isDeleted: true }, { ...C, inScope: false }],
    expect: {
      numAssociatedDeals: 1,
      firstDealCreatedDate: '2024-01-10T12:00:00.000Z',
      recentDealCloseDate: '2024-03-20',
      recentDealAmount: '1000.00',
      totalRevenue: '1000.00',
    },
  },
  {
    name: 'everything deleted → cleared',
    opps: [{ ...A, isDeleted: true }],
    expect: empty,
  },
  {
    name: 'tie on created date → the greater Id, whatever the input order',
    opps: [
      opp('006Y', won({ createdDate: '2024-02-01T00:00:00.000Z', closeDate: '2024-02-01', amount: '2' })),
      opp('006Z', won({ createdDate: '2024-02-01T00:00:00.000Z', closeDate: '2024-02-01', amount: '3' })),
      opp('006X', won({ createdDate: '2024-02-01T00:00:00.000Z', closeDate: '2024-02-01', amount: '1' })),
    ],
    expect: {
      numAssociatedDeals: 3,
      firstDealCreatedDate: '2024-02-01T00:00:00.000Z',
      recentDealCloseDate: '2024-02-01',
      recentDealAmount: '3.00',
      totalRevenue: '6.00',
    },
  },
  {
    name: 'rule closed, tie on close date → the later created',
    rule: 'closed',
    opps: [
      opp('006P', won({ createdDate: '2024-03-01T00:00:00.000Z', closeDate: '2024-04-01', amount: '30' })),
      opp('006Q', won({ createdDate: '2024-01-01T00:00:00.000Z', closeDate: '2024-04-01', amount: '10' })),
    ],
    expect: {
      numAssociatedDeals: 2,
      firstDealCreatedDate: '2024-01-01T00:00:00.000Z',
      recentDealCloseDate: '2024-04-01',
      recentDealAmount: '30.00',
      totalRevenue: '40.00',
    },
  },
  {
    name: 'created dates compared as instants, not as text (+0000 offsets)',
    opps: [
      opp('006E', won({ createdDate: '2024-02-01T10:00:00.000+0200', closeDate: '2024-02-02', amount: '1' })),
      opp('006F', won({ createdDate: '2024-02-01T09:00:00.000Z', closeDate: '2024-02-02', amount: '2' })),
    ],
    expect: {
      numAssociatedDeals: 2,
      firstDealCreatedDate: '2024-02-01T10:00:00.000+0200',
      recentDealCloseDate: '2024-02-02',
      recentDealAmount: '2.00',
      totalRevenue: '3.00',
    },
  },
  {
    name: 'exact cents: 0.10 + 0.20 = 0.30, no float drift',
    opps: [
      opp('006G', won({ closeDate: '2024-01-01', amount: '0.1' })),
      opp('006H', won({ closeDate: '2024-01-01', amount: '0.2' })),
    ],
    expect: {
      numAssociatedDeals: 2,
      firstDealCreatedDate: '2024-01-01T00:00:00.000Z',
      recentDealCloseDate: '2024-01-01',
      recentDealAmount: '0.20',
      totalRevenue: '0.30',
    },
  },
];

for (const c of cases) {
  void test(`rollups: ${c.name}`, () => {
    assert.deepEqual(computeRollups(c.opps, { rule: c.rule ?? 'created', convert: asIs }), c.expect);
  });
}

void test('rollups convert each won amount with its currency and close date', () => {
  const calls: [string, string | null, string | null][] = [];
  const convert: AmountConverter = (amount, cur, close) => {
    calls.push([amount, cur, close]);
    return new Big(amount).times(cur === 'EUR' ? 2 : 1).toFixed(2);
  };
  const v = computeRollups(
    [
      opp('006A', won({ amount: '10', currencyIsoCode: 'EUR', closeDate: '2024-03-01' })),
      opp('006B', won({ amount: '5', currencyIsoCode: 'USD', closeDate: '2024-01-01' })),
      opp('006C', { amount: '1000', currencyIsoCode: 'EUR' }),
    ],
    { rule: 'created', convert },
  );
  assert.equal(v.totalRevenue, '25.00');
  assert.deepEqual(
    calls.sort((a, b) => a[0].localeCompare(b[0])),
    [
      ['10', 'EUR', '2024-03-01'],
      ['5', 'USD', '2024-01-01'],
    ],
  );
});

void test('an amount that cannot be converted: the error names its opportunity, with code and field kept', () => {
  const convert: AmountConverter = (amount, cur, close) => {
    if (cur !== 'GBP') return asIs(amount, cur, close);
    throw new DealbridgeError('INVALID_VALUE', `no conversion rate for GBP on ${close}`, {
      field: 'CurrencyIsoCode',
    });
  };
  const opps = [A, opp('006G', won({ amount: '5', currencyIsoCode: 'GBP', closeDate: '2024-03-31' }))];
  assert.throws(
    () => computeRollups(opps, { rule: 'created', convert }),
    (e: unknown) =>
      e instanceof DealbridgeError &&
      e.code === 'INVALID_VALUE' &&
      e.field === 'CurrencyIsoCode' &&
      e.record === 'opportunity:006G' &&
      e.message === 'opportunity 006G, CurrencyIsoCode: no conversion rate for GBP on 2024-03-31',
  );
});

void test('a thousand won cents sum exactly', () => {
  const opps = Array.from({ length: 1000 }, (_, i) =>
    opp(`006${String(i).padStart(4, '0')}`, won({ amount: '0.01', closeDate: '2024-01-01' })),
  );
  assert.equal(computeRollups(opps, { rule: 'created', convert: asIs }).totalRevenue, '10.00');
});

void test('rollupProperties: names, strings, empty values clear', () => {
  const v = computeRollups([A, B, C], { rule: 'created', convert: asIs });
  assert.deepEqual(rollupProperties(v, defaultRollupPropertyNames), {
    salesforce_num_associated_deals: '3',
    salesforce_first_deal_created_date: '2024-01-10T12:00:00.000Z',
    salesforce_recent_deal_close_date: '2024-03-20',
    salesforce_recent_deal_amount: '250.50',
    salesforce_total_revenue: '1250.50',
  });
  const names = { ...defaultRollupPropertyNames, totalRevenue: 'my_revenue' };
  assert.deepEqual(rollupProperties(empty, names), {
    salesforce_num_associated_deals: '0',
    salesforce_first_deal_created_date: '',
    salesforce_recent_deal_close_date: '',
    salesforce_recent_deal_amount: '',
    my_revenue: '',
  });
  assert.equal(
    rollupProperties({ ...empty, firstDealCreatedDate: '2024-02-01T10:00:00.000+0200' }, names)
      .salesforce_first_deal_created_date,
    '2024-02-01T08:00:00.000Z',
  );
});
