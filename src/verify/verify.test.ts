import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HsObjectType } from '../domain/hubspot.js';
import { runImport } from '../engine/import/run.js';
import { defaultRollupPropertyNames } from '../engine/rollups/index.js';
import { createHarness, type Harness } from '../engine/testing/fakes.js';
import { expectedRollup, lifecycleOk, toPortal, type CurrencyFacts, type OppFacts } from './expect.js';
import { runVerify, type Check } from './run.js';
import { dayOf, sameInstant, sameNumber } from './values.js';

const single: CurrencyFacts = {
  multiCurrency: false,
  corporate: 'USD',
  portal: 'USD',
  dated: false,
  rates: [],
};
const dated: CurrencyFacts = {
  multiCurrency: true,
  corporate: 'USD',
  portal: 'USD',
  dated: true,
  rates: [
    { IsoCode: 'EUR', ConversionRate: '0.5', StartDate: '2024-01-01', NextStartDate: '2024-04-01' },
    { IsoCode: 'EUR', ConversionRate: '0.8', StartDate: '2024-04-01', NextStartDate: '9999-12-31' },
    { IsoCode: 'GBP', ConversionRate: '0.75', StartDate: null, NextStartDate: null },
  ],
};

const opp = (id: string, o: Partial<OppFacts>): OppFacts => ({
  id,
  amount: null,
  currency: null,
  closeDate: null,
  createdDate: '2024-01-01T00:00:00.000Z',
  isClosed: false,
  isWon: false,
  ...o,
});
const A = opp('006A', {
  isClosed: true,
  isWon: true,
  amount: '1000',
  createdDate: '2024-01-10T12:00:00.000Z',
  closeDate: '2024-03-20',
});
const B = opp('006B', {
  isClosed: true,
  isWon: true,
  amount: '250.50',
  createdDate: '2024-02-05T08:00:00.000Z',
  closeDate: '2024-02-28',
});
const C = opp('006C', { amount: '99999', createdDate: '2024-04-01T00:00:00.000Z' });
const L = opp('006L', {
  isClosed: true,
  amount: '5000',
  createdDate: '2023-12-01T00:00:00.000Z',
  closeDate: '2024-12-01',
});

describe('verify expectations (own rules, not the sync’s)', () => {
  const cases: [string, OppFacts[], 'created' | 'closed', Record<string, unknown>][] = [
    [
      'issue 5, created rule → B',
      [A, B, C],
      'created',
      {
        count: 3,
        firstCreated: A.createdDate,
        recentClose: '2024-03-20',
        recentAmount: '250.50',
        revenue: '1250.50',
      },
    ],
    [
      'issue 5, closed rule → A',
      [C, B, A],
      'closed',
      { count: 3, recentAmount: '1000.00', revenue: '1250.50' },
    ],
    [
      'lost counts, no revenue',
      [A, L],
      'created',
      { count: 2, firstCreated: L.createdDate, revenue: '1000.00' },
    ],
    [
      'won without amount counts 0',
      [opp('006N', { isClosed: true, isWon: true, closeDate: '2024-05-02' })],
      'created',
      { recentAmount: '0.00', revenue: '0.00' },
    ],
    [
      'empty',
      [],
      'created',
      { count: 0, firstCreated: null, recentClose: null, recentAmount: null, revenue: null },
    ],
  ];
  for (const [name, opps, rule, want] of cases) {
    test(`rollup: ${name}`, () => {
      const got = expectedRollup(opps, rule, single) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, k);
    });
  }

  const conversions: [string, string, string | null, string | null, string | null][] = [
    ['last day of the first period', '100', 'EUR', '2024-03-31', '200.00'],
    ['first day of the next period', '100', 'EUR', '2024-04-01', '125.00'],
    ['before the first period → the first', '100', 'EUR', '2023-06-01', '200.00'],
    ['CurrencyType rate (no periods)', '3', 'GBP', '2024-04-01', '4.00'],
    ['corporate currency as it is', '0.005', 'USD', '2024-04-01', '0.01'],
    ['no rate', '1', 'CHF', '2024-04-01', null],
  ];
  for (const [name, amount, cur, date, want] of conversions) {
    test(`currency: ${name}`, () => assert.equal(toPortal(dated, amount, cur, date), want));
  }

  const stages: [string | null, Partial<OppFacts>[], boolean][] = [
    ['lead', [{ isWon: true, isClosed: true }], false],
    ['customer', [{ isWon: true, isClosed: true }], true],
    ['evangelist', [{}], true],
    ['other', [{ isWon: true, isClosed: true }], true],
    ['salesqualifiedlead', [{}], false],
    ['lead', [{ isClosed: true }], true],
  ];
  for (const [actual, opps, ok] of stages) {
    test(`lifecycle ${actual} with ${JSON.stringify(opps)} → ${ok}`, () => {
      assert.equal(
        lifecycleOk(
          actual,
          opps.map((o, i) => opp(String(i), o)),
        ).ok,
        ok,
      );
    });
  }

  test('value comparison', () => {
    assert.ok(sameNumber('1250.50', '1250.5'));
    assert.ok(!sameNumber('1250.50', '1250.51'));
    assert.ok(sameNumber(null, ''));
    assert.equal(dayOf('1711929600000'), '2024-04-01');
    assert.equal(dayOf('2024-04-01T00:00:00.000Z'), '2024-04-01');
    assert.ok(sameInstant('2024-02-01T10:00:00.000+0200', '2024-02-01T08:00:00Z'));
  });
});

describe('verify over the fakes', () => {
  async function imported(): Promise<Harness & { ids: Record<string, string> }> {
    const h = await createHarness();
    const ann = h.sf.addContact({ Email: 'ann@example.com', LastName: 'Ann' });
    const bob = h.sf.addContact({ Email: 'bob@example.com', LastName: 'Bob' });
    h.hs.addContact('ann@example.com', { lifecyclestage: 'lead' });
    h.hs.addContact('bob@example.com', { lifecyclestage: 'lead' });
    const acc = h.sf.addAccount({ Name: 'Acme', Website: 'https://acme.example' });
    const won = h.sf.addOpportunity(
      { StageName: 'Closed Won', IsClosed: true, IsWon: true, Amount: '10', AccountId: acc.Id },
      [ann.Id, bob.Id],
    );
    const open = h.sf.addOpportunity({ Amount: '5', AccountId: acc.Id }, [bob.Id]);
    await runImport({ salesforce: h.sf, hubspot: h.hs, store: h.store });
    return Object.assign(h, { ids: { ann: ann.Id, bob: bob.Id, acc: acc.Id, won: won.Id, open: open.Id } });
  }
  const verify = (h: Harness) =>
    runVerify(
      {
        salesforce: h.sf,
        hubspot: h.hs,
        list: async function* (type: HsObjectType, props: string[]) {
          yield h.hs.live(type).map((o) => ({
            id: o.id,
            properties: Object.fromEntries(props.map((p) => [p, o.properties[p] ?? null])),
          }));
        },
      },
      { rule: 'created', lifecycle: true, names: defaultRollupPropertyNames },
    );
  const checks = async (h: Harness) => (await verify(h)).differences.map((d) => d.check).sort();

  test('clean after an import', async () => {
    const h = await imported();
    const r = await verify(h);
    assert.equal(r.ok, true, JSON.stringify(r.differences));
    assert.deepEqual(r.checked, { opportunities: 2, deals: 2, contacts: 2, companies: 1 });
  });

  test('duplicate Salesforce contacts on one HubSpot contact: the rollups expected over the union', async () => {
    const h = await createHarness();
    const a = h.sf.addContact({ Email: 'dup@example.com', LastName: 'A' });
    const b = h.sf.addContact({ Email: 'DUP@example.com', LastName: 'B' });
    const hs = h.hs.addContact('dup@example.com', { lifecyclestage: 'lead' });
    const won = { StageName: 'Closed Won', IsClosed: true, IsWon: true };
    h.sf.addOpportunity({ ...won, Amount: '10' }, [a.Id]);
    h.sf.addOpportunity({ ...won, Amount: '20' }, [a.Id, b.Id]);
    h.sf.addOpportunity({ Amount: '5' }, [b.Id]);
    await runImport({ salesforce: h.sf, hubspot: h.hs, store: h.store });
    const r = await verify(h);
    assert.equal(r.ok, true, JSON.stringify(r.differences));
    assert.equal(r.checked.contacts, 1);
    // What one Salesforce contact alone would give (b: 2 deals, 20.00) is a difference.
    const p = h.hs.objects.contacts.get(hs.id)!.properties;
    assert.equal(p.salesforce_num_associated_deals, '3');
    p.salesforce_num_associated_deals = '2';
    p.salesforce_total_revenue = '20.00';
    const after = await verify(h);
    assert.deepEqual(
      after.differences.map((d) => [d.record, d.field, d.expected]),
      [
        [`contact:${a.Id < b.Id ? a.Id : b.Id}`, 'salesforce_num_associated_deals', '3'],
        [`contact:${a.Id < b.Id ? a.Id : b.Id}`, 'salesforce_total_revenue', '30.00'],
      ],
    );
  });

  const tamper: [string, (h: Harness & { ids: Record<string, string> }) => void, Check[]][] = [
    [
      'a wrong deal amount',
      (h) => void (h.hs.dealByOpportunity(h.ids.won!)!.properties.amount = '11'),
      ['deal_field'],
    ],
    [
      'a deleted opportunity whose deal lives on',
      (h) => h.sf.updateOpportunity(h.ids.open!, { IsDeleted: true }),
      ['rollup', 'rollup', 'unexpected_deal'],
    ],
    [
      'a deal HubSpot lost',
      (h) => void (h.hs.dealByOpportunity(h.ids.open!)!.archived = true),
      ['missing_deal'],
    ],
    [
      'a contact association removed by hand',
      (h) => {
        const deal = h.hs.dealByOpportunity(h.ids.won!)!;
        for (const k of [...h.hs.associations])
          if (k.startsWith(`${deal.id}|contacts|`)) h.hs.associations.delete(k);
      },
      ['association_missing', 'association_missing'],
    ],
    [
      'a rollup edited in HubSpot',
      (h) => void (h.hs.live('contacts')[0]!.properties.salesforce_total_revenue = '9'),
      ['rollup'],
    ],
    [
      'a lifecycle stage moved back',
      (h) => void (h.hs.live('contacts')[0]!.properties.lifecyclestage = 'lead'),
      ['lifecycle'],
    ],
    [
      'a role added in Salesforce, not synced yet',
      (h) => void h.sf.addRole(h.ids.open!, h.ids.ann!),
      ['association_missing', 'rollup'],
    ],
  ];
  for (const [name, change, want] of tamper) {
    test(`finds ${name}`, async () => {
      const h = await imported();
      change(h);
      assert.deepEqual(await checks(h), want);
    });
  }
});
