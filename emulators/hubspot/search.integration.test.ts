// CRM search over raw HTTP: filter groups, operators, sorts, query, limits and the 10,000 cap.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
before(async () => {
  p = await startPortal();
  const inputs = Array.from({ length: 30 }, (_, i) => ({
    properties: {
      dealname: `Deal ${i}${i % 3 === 0 ? ' robot' : ''}`,
      amount: String(i * 10),
      dealstage: i % 2 ? 'closedwon' : 'qualifiedtobuy',
    },
  }));
  assert.equal((await p.api('POST', '/crm/v3/objects/deals/batch/create', { inputs })).status, 201);
});
after(() => p.close());

const search = (body: unknown) => p.api('POST', '/crm/v3/objects/deals/search', body);
const f = (propertyName: string, operator: string, value?: string, extra: Record<string, unknown> = {}) => ({
  propertyName,
  operator,
  ...(value === undefined ? {} : { value }),
  ...extra,
});

describe('filters', () => {
  test('AND inside a group, OR across groups; numeric comparison', async () => {
    const r = await search({
      filterGroups: [
        { filters: [f('amount', 'GTE', '100'), f('dealstage', 'EQ', 'closedwon')] },
        { filters: [f('amount', 'EQ', '0')] },
      ],
      limit: 100,
    });
    assert.equal(r.status, 200);
    const amounts = r.body.results
      .map((x: { properties: { amount: string } }) => Number(x.properties.amount))
      .sort((a: number, b: number) => a - b);
    assert.deepEqual(amounts, [0, 110, 130, 150, 170, 190, 210, 230, 250, 270, 290]);
    assert.equal(r.body.total, 11);
  });

  test('BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN', async () => {
    const count = async (filters: unknown[]) =>
      (await search({ filterGroups: [{ filters }], limit: 0 })).body.total as number;
    assert.equal(await count([f('amount', 'BETWEEN', '50', { highValue: '80' })]), 4);
    assert.equal(await count([f('amount', 'IN', undefined, { values: ['10', '20', '999'] })]), 2);
    assert.equal(await count([f('dealstage', 'NOT_IN', undefined, { values: ['closedwon'] })]), 15);
    assert.equal(await count([f('amount', 'HAS_PROPERTY')]), 30);
    assert.equal(await count([f('description', 'NOT_HAS_PROPERTY')]), 30);
    assert.equal(await count([f('dealname', 'CONTAINS_TOKEN', 'robot')]), 10);
    assert.equal(await count([f('hs_is_closed_won', 'EQ', 'true')]), 15);
  });

  test('sorts and after paging; query matches deal names', async () => {
    const first = await search({
      sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }],
      limit: 2,
      properties: ['amount'],
    });
    assert.deepEqual(
      first.body.results.map((x: { properties: { amount: string } }) => x.properties.amount),
      ['290', '280'],
    );
    assert.equal(first.body.paging.next.after, '2');
    const next = await search({
      sorts: ['-amount'],
      limit: 2,
      after: first.body.paging.next.after,
      properties: ['amount'],
    });
    assert.deepEqual(
      next.body.results.map((x: { properties: { amount: string } }) => x.properties.amount),
      ['270', '260'],
    );
    const q = await search({ query: 'robot', limit: 0 });
    assert.equal(q.body.total, 10);
  });
});

describe('limits', () => {
  test('more than 5 groups, more than 25 filters, limit over 200, and paging past 10,000 are 400s', async () => {
    const group = { filters: [f('amount', 'HAS_PROPERTY')] };
    assert.equal((await search({ filterGroups: Array(6).fill(group) })).status, 400);
    const many = { filters: Array(9).fill(f('amount', 'HAS_PROPERTY')) };
    assert.equal((await search({ filterGroups: [many, many, many] })).status, 400);
    assert.equal((await search({ limit: 201 })).status, 400);
    assert.equal((await search({ limit: 100, after: '9950' })).status, 400);
    assert.equal((await search({ limit: 100, after: '9900' })).status, 200);
  });
});
