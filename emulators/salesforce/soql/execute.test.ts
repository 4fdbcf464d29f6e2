import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFixture, names, query } from './fixture.js';
import { executeSoql, prepareSoql } from './index.js';

const fx = buildFixture();
const { ds } = fx;
const where = (cond: string, order = 'ORDER BY Name') =>
  names(ds, `SELECT Name FROM Opportunity WHERE ${cond} ${order}`);

test('= and != on text are case-insensitive; != includes nulls', () => {
  assert.deepEqual(where("Name = 'BIG deal'"), ['Big Deal']);
  assert.deepEqual(where("Name != 'big deal'"), ['No Amount', 'Old Lost', 'small_deal 50%']);
  assert.deepEqual(where("Name <> 'big deal'"), ['No Amount', 'Old Lost', 'small_deal 50%']);
  assert.deepEqual(where("Account.Industry != 'energy'"), ['No Amount', 'small_deal 50%']);
});

test('number comparisons; null never orders', () => {
  assert.deepEqual(where('Amount > 100'), ['Big Deal', 'Old Lost']);
  assert.deepEqual(where('Amount >= 700'), ['Big Deal', 'Old Lost']);
  assert.deepEqual(where('Amount < 100'), ['small_deal 50%']);
  assert.deepEqual(where('Amount <= 50.5'), ['small_deal 50%']);
  assert.deepEqual(where('Amount = 5000'), ['Big Deal']);
  assert.deepEqual(where('Amount != 700'), ['Big Deal', 'No Amount', 'small_deal 50%']);
  assert.deepEqual(where('Amount = null'), ['No Amount']);
  assert.deepEqual(where('Amount != null'), ['Big Deal', 'Old Lost', 'small_deal 50%']);
  assert.deepEqual(where('Amount > -1 AND Amount < 60.0'), ['small_deal 50%']);
});

test('LIKE: % and _ wildcards, escapes, case-insensitive', () => {
  assert.deepEqual(where("Name LIKE 'big%'"), ['Big Deal']);
  assert.deepEqual(where("Name LIKE '%DEAL%'"), ['Big Deal', 'small_deal 50%']);
  assert.deepEqual(where("Name LIKE '_ig Deal'"), ['Big Deal']);
  assert.deepEqual(where("Name LIKE 'small\\_deal%'"), ['small_deal 50%']);
  assert.deepEqual(where("Name LIKE '%50\\%'"), ['small_deal 50%']);
  assert.deepEqual(where("Name LIKE 'Big'"), []);
  assert.deepEqual(where("Description LIKE '%'"), []);
  assert.deepEqual(names(ds, "SELECT LastName FROM Contact WHERE LastName LIKE 'o\\'b%'"), ["O'Brien"]);
});

test('IN and NOT IN (NOT IN drops nulls, unlike !=), also through parent fields', () => {
  assert.deepEqual(where("StageName IN ('prospecting', 'Closed Won')"), ['Big Deal', 'small_deal 50%']);
  assert.deepEqual(where("StageName NOT IN ('prospecting', 'Closed Won')"), ['No Amount', 'Old Lost']);
  assert.deepEqual(where("Account.Name IN ('ACME')"), ['Big Deal', 'Old Lost']);
  assert.deepEqual(where(`AccountId NOT IN ('${fx.accounts[0]!.Id as string}')`), ['small_deal 50%']);
  assert.deepEqual(where(`AccountId != '${fx.accounts[0]!.Id as string}'`), ['No Amount', 'small_deal 50%']);
  assert.deepEqual(where("Account.Industry NOT IN ('Energy')"), []);
  assert.deepEqual(where('Amount IN (700, null)'), ['No Amount', 'Old Lost']);
});

test('booleans: = null means = false, != null means = true (SOQL reference, "Use null in WHERE")', () => {
  assert.deepEqual(where('IsWon = null'), ['No Amount', 'Old Lost', 'small_deal 50%']);
  assert.deepEqual(where('IsWon != null'), ['Big Deal']);
  assert.deepEqual(names(ds, 'SELECT Name FROM User WHERE IsActive IN (null) ORDER BY Name'), ['Bob Seller']);
});

test('AND, OR, NOT and parentheses', () => {
  assert.deepEqual(where("(StageName = 'Prospecting' OR IsWon = true) AND Amount > 100"), ['Big Deal']);
  assert.deepEqual(where("StageName = 'Prospecting' OR (IsWon = true AND Amount > 100)"), [
    'Big Deal',
    'small_deal 50%',
  ]);
  assert.deepEqual(where('NOT (Amount > 100 OR Amount = null)'), ['small_deal 50%']);
  assert.deepEqual(where('NOT IsWon = true'), ['No Amount', 'Old Lost', 'small_deal 50%']);
  assert.deepEqual(where('IsWon = false AND Amount != null AND Amount < 1000'), [
    'Old Lost',
    'small_deal 50%',
  ]);
});

test('parent fields several levels up, compared case-insensitively', () => {
  assert.deepEqual(where("Owner.Email = 'BOB@example.com'"), ['Old Lost', 'small_deal 50%']);
  assert.deepEqual(where("Account.Owner.Name = 'Ann Admin'"), ['Big Deal', 'Old Lost']);
  assert.deepEqual(where('Account.Owner.IsActive = true'), ['Big Deal', 'Old Lost']);
  // A missing parent reads as null, and a null boolean matches false.
  assert.deepEqual(where('Account.Owner.IsActive = false'), ['No Amount', 'small_deal 50%']);
  assert.deepEqual(where('Account.Name = null'), ['No Amount']);
});

test('date fields against dates and date literals (clock 2024-05-15T12:00Z, a Wednesday)', () => {
  assert.deepEqual(where('CloseDate = TODAY'), ['Big Deal']);
  assert.deepEqual(where('CloseDate = YESTERDAY'), ['small_deal 50%']);
  assert.deepEqual(where('CloseDate < TODAY'), ['Old Lost', 'small_deal 50%']);
  assert.deepEqual(where('CloseDate <= TODAY'), ['Big Deal', 'Old Lost', 'small_deal 50%']);
  assert.deepEqual(where('CloseDate > TODAY'), ['No Amount']);
  assert.deepEqual(where('CloseDate >= YESTERDAY'), ['Big Deal', 'No Amount', 'small_deal 50%']);
  assert.deepEqual(where('CloseDate != TODAY'), ['No Amount', 'Old Lost', 'small_deal 50%']);
  assert.deepEqual(where('CloseDate = LAST_N_DAYS:1'), ['Big Deal', 'small_deal 50%']);
  assert.deepEqual(where('CloseDate = LAST_N_DAYS:0'), ['Big Deal']);
  assert.deepEqual(where('CloseDate = NEXT_N_DAYS:45'), []);
  assert.deepEqual(where('CloseDate = NEXT_N_DAYS:46'), ['No Amount']);
  assert.deepEqual(where('CloseDate = THIS_MONTH'), ['Big Deal', 'small_deal 50%']);
  assert.deepEqual(where('CloseDate = NEXT_MONTH'), ['No Amount']);
  assert.deepEqual(where('CloseDate = THIS_WEEK'), ['Big Deal', 'small_deal 50%']);
  assert.deepEqual(where('CloseDate = LAST_YEAR'), ['Old Lost']);
  assert.deepEqual(where('CloseDate = THIS_QUARTER'), ['Big Deal', 'No Amount', 'small_deal 50%']);
  assert.deepEqual(where('CloseDate = LAST_N_MONTHS:5'), ['Old Lost']);
  assert.deepEqual(where('CloseDate >= 2024-05-14 AND CloseDate < 2024-06-30'), [
    'Big Deal',
    'small_deal 50%',
  ]);
});

test('datetime fields against datetime literals (any offset) and date literals', () => {
  assert.deepEqual(where('CreatedDate = TODAY'), ['No Amount']);
  assert.deepEqual(where('CreatedDate = LAST_N_DAYS:1'), ['Big Deal', 'No Amount']);
  assert.deepEqual(where('CreatedDate = LAST_N_DAYS:60'), ['Big Deal', 'No Amount', 'small_deal 50%']);
  assert.deepEqual(where('CreatedDate > 2024-05-14T07:00:00-02:00'), ['No Amount']);
  assert.deepEqual(where('CreatedDate >= 2024-05-14T08:00:00.000+0000'), ['Big Deal', 'No Amount']);
  assert.deepEqual(where('CreatedDate = 2024-05-14T10:00:00+02:00'), ['Big Deal']);
  ds.clock = new Date('2024-05-16T00:00:01Z');
  try {
    assert.deepEqual(where('CreatedDate = YESTERDAY'), ['No Amount']);
  } finally {
    ds.clock = new Date('2024-05-15T12:00:00.000Z');
  }
});

test('ORDER BY: nulls first ascending, last descending, NULLS override, case-insensitive text, parent fields', () => {
  const order = (o: string) => names(ds, `SELECT Name FROM Opportunity ORDER BY ${o}`);
  assert.deepEqual(order('Amount'), ['No Amount', 'small_deal 50%', 'Old Lost', 'Big Deal']);
  assert.deepEqual(order('Amount DESC'), ['Big Deal', 'Old Lost', 'small_deal 50%', 'No Amount']);
  assert.deepEqual(order('Amount ASC NULLS LAST'), ['small_deal 50%', 'Old Lost', 'Big Deal', 'No Amount']);
  assert.deepEqual(order('Amount DESC NULLS FIRST'), ['No Amount', 'Big Deal', 'Old Lost', 'small_deal 50%']);
  assert.deepEqual(order('Owner.Email, Name DESC'), ['No Amount', 'Big Deal', 'small_deal 50%', 'Old Lost']);
  assert.deepEqual(order('Account.Name DESC NULLS LAST, Name'), [
    'small_deal 50%',
    'Big Deal',
    'Old Lost',
    'No Amount',
  ]);
  assert.deepEqual(order('IsWon DESC, CloseDate'), ['Big Deal', 'Old Lost', 'small_deal 50%', 'No Amount']);
  assert.deepEqual(order('SystemModstamp, Id'), ['Old Lost', 'No Amount', 'Big Deal', 'small_deal 50%']);
});

test('LIMIT and OFFSET, with and without ORDER BY', () => {
  assert.deepEqual(names(ds, 'SELECT Name FROM Opportunity ORDER BY Name LIMIT 2 OFFSET 1'), [
    'No Amount',
    'Old Lost',
  ]);
  assert.deepEqual(names(ds, 'SELECT Name FROM Opportunity LIMIT 2'), ['Big Deal', 'small_deal 50%']);
  assert.deepEqual(names(ds, 'SELECT Name FROM Opportunity OFFSET 3'), ['Old Lost']);
  assert.deepEqual(names(ds, 'SELECT Name FROM Opportunity LIMIT 0'), []);
  assert.deepEqual(names(ds, 'SELECT Name FROM Opportunity ORDER BY Name OFFSET 10'), []);
  assert.equal(query(ds, 'SELECT Name FROM Opportunity ORDER BY Name LIMIT 3').totalSize, 3);
});

test('COUNT(): totalSize is the count, no rows', () => {
  const count = (soql: string, all = false) => {
    const r = executeSoql(prepareSoql(soql, ds), ds, { includeDeleted: all });
    assert.deepEqual(r.rows, []);
    assert.equal(r.isCount, true);
    return r.totalSize;
  };
  assert.equal(count('SELECT COUNT() FROM Opportunity'), 4);
  assert.equal(count('SELECT COUNT() FROM Opportunity', true), 5);
  assert.equal(count("SELECT COUNT() FROM Opportunity WHERE StageName = 'Prospecting'"), 1);
  assert.equal(count('SELECT COUNT() FROM Opportunity LIMIT 2'), 2);
  assert.equal(count('SELECT count() FROM Contact WHERE Email = null'), 1);
});

test('deleted rows only with includeDeleted (queryAll); IsDeleted filters', () => {
  assert.deepEqual(names(ds, 'SELECT Name FROM Opportunity WHERE IsDeleted = true'), []);
  assert.deepEqual(names(ds, 'SELECT Name FROM Opportunity WHERE IsDeleted = true', true), ['Deleted One']);
  assert.equal(names(ds, 'SELECT Name FROM Opportunity', true).length, 5);
  const id = fx.opps[4]!.Id as string;
  assert.deepEqual(names(ds, `SELECT Name FROM Opportunity WHERE Id = '${id}'`), []);
  assert.deepEqual(names(ds, `SELECT Name FROM Opportunity WHERE Id = '${id}'`, true), ['Deleted One']);
});

test('Id filters use ds.get and accept 15-character and any-case 18-character ids', () => {
  const [a, b] = [fx.opps[0]!.Id as string, fx.opps[3]!.Id as string];
  const before = { ...ds.calls };
  assert.deepEqual(
    names(
      ds,
      `SELECT Name FROM Opportunity WHERE Id IN ('${a.slice(0, 15)}', '${b.toLowerCase()}', '${a}') ORDER BY Name`,
    ),
    ['Big Deal', 'Old Lost'],
  );
  assert.deepEqual(names(ds, `SELECT Name FROM Opportunity WHERE Id = '${b}' AND Amount > 1000`), []);
  assert.equal(ds.calls.scan, before.scan, 'no scan');
  assert.ok(ds.calls.get > before.get);
});

test('a reference filter on a child type uses ds.children', () => {
  const before = { ...ds.calls };
  const ids = [fx.opps[0]!.Id as string, fx.opps[1]!.Id as string];
  const q = prepareSoql(
    `SELECT Role FROM OpportunityContactRole WHERE OpportunityId IN ('${ids[0]}', '${ids[1]}') ORDER BY Role`,
    ds,
  );
  const roles = executeSoql(q, ds, { includeDeleted: false }).rows.map((r) => r.Role);
  assert.deepEqual(roles, ['Decision Maker', 'Economic Buyer', 'Influencer']);
  assert.equal(ds.calls.scan, before.scan);
  assert.equal(ds.calls.children, before.children + 2);
});

test('ORDER BY … LIMIT keeps the same rows as a full sort (bounded heap path)', () => {
  const many = buildFixture().ds;
  for (let i = 0; i < 300; i++)
    many.add('Opportunity', { Name: `Gen ${(i * 7919) % 300}`, Amount: i % 5 === 0 ? null : (i * 37) % 101 });
  const all = names(many, 'SELECT Name FROM Opportunity ORDER BY Amount DESC, Name');
  for (const [limit, offset] of [
    [10, 0],
    [5, 7],
    [1, 0],
    [50, 20],
  ] as const)
    assert.deepEqual(
      names(many, `SELECT Name FROM Opportunity ORDER BY Amount DESC, Name LIMIT ${limit} OFFSET ${offset}`),
      all.slice(offset, offset + limit),
    );
});
