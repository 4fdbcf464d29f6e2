import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SoqlError } from './errors.js';
import { parseSoql } from './parser.js';

const malformed = (soql: string, detail: string) =>
  assert.throws(
    () => parseSoql(soql),
    (e: SoqlError) => e.errorCode === 'MALFORMED_QUERY' && e.message.endsWith(detail),
    soql,
  );

test('a full query parses into the expected tree', () => {
  const q = parseSoql(
    'select Id, Account.Name, (SELECT ContactId FROM OpportunityContactRoles WHERE IsPrimary = true ORDER BY Role LIMIT 5) ' +
      "from Opportunity where (StageName = 'A' or StageName = 'B') and not Amount < -5 and Id not in ('x') " +
      'order by CloseDate desc nulls first, Name limit 10 offset 20',
  );
  assert.equal(q.from.name, 'Opportunity');
  assert.deepEqual(
    q.select.map((s) => s.kind),
    ['field', 'field', 'subquery'],
  );
  assert.deepEqual(q.select[1]!.kind === 'field' && q.select[1]!.path.parts, ['Account', 'Name']);
  const sub = q.select[2]!.kind === 'subquery' ? q.select[2]!.query : undefined;
  assert.equal(sub?.from.name, 'OpportunityContactRoles');
  assert.equal(sub?.limit?.value, 5);
  assert.equal(q.where?.kind, 'and');
  const items = q.where?.kind === 'and' ? q.where.items : [];
  assert.equal(items[0]!.kind, 'or');
  assert.equal(items[1]!.kind, 'not');
  const not = items[1]!.kind === 'not' ? items[1]!.item : undefined;
  assert.deepEqual(not?.kind === 'compare' && not.value, {
    kind: 'number',
    value: -5,
    pos: not?.kind === 'compare' ? not.value.pos : 0,
  });
  assert.equal(items[2]!.kind === 'in' && items[2]!.negated, true);
  assert.deepEqual(
    q.orderBy.map((o) => [o.path.parts.join('.'), o.descending, o.nullsLast]),
    [
      ['CloseDate', true, false],
      ['Name', false, false],
    ],
  );
  assert.equal(q.limit?.value, 10);
  assert.equal(q.offset?.value, 20);
});

test('ORDER BY defaults: ASC NULLS FIRST, DESC NULLS LAST', () => {
  const q = parseSoql('SELECT Id FROM A ORDER BY X, Y DESC, Z ASC NULLS LAST');
  assert.deepEqual(
    q.orderBy.map((o) => [o.descending, o.nullsLast]),
    [
      [false, false],
      [true, true],
      [false, true],
    ],
  );
});

test('COUNT(), date literals, booleans, null', () => {
  const q = parseSoql(
    'SELECT COUNT() FROM A WHERE D = LAST_N_DAYS:30 AND E = TODAY AND F = TRUE AND G != null',
  );
  assert.equal(q.select[0]!.kind, 'count');
  const items = q.where?.kind === 'and' ? q.where.items : [];
  const values = items.map((c) => (c.kind === 'compare' ? c.value : undefined));
  assert.equal(values[0]?.kind === 'dateLiteral' && values[0].n, 30);
  assert.equal(values[1]?.kind === 'dateLiteral' && values[1].name, 'TODAY');
  assert.equal(values[2]?.kind === 'boolean' && values[2].value, true);
  assert.equal(values[3]?.kind, 'null');
});

test('syntax errors name the unexpected token, with position', () => {
  malformed('SELECT Id Name FROM A', "unexpected token: 'Name'");
  malformed('SELECT FROM A', "unexpected token: 'FROM'");
  malformed('SELECT Id FROM A WHERE', "unexpected token: '<EOF>'");
  malformed('SELECT Id FROM A WHERE X = 1 AND Y = 2 OR Z = 3', "unexpected token: 'OR'");
  malformed('SELECT Id FROM A WHERE X = 1 OR Y = 2 AND Z = 3', "unexpected token: 'AND'");
  malformed('SELECT * FROM A', "unexpected token: '*'");
  malformed('SELECT Id FROM A LIMIT 1.5', "unexpected token: '1.5'");
  malformed('SELECT Id FROM A WHERE X = "a"', "unexpected token: '\"'");
  malformed('SELECT Id FROM A WHERE X = LAST_N_DAYS', "unexpected token: '<EOF>'");
  malformed('SELECT Id FROM A WHERE X = Y', "unexpected token: 'Y'");
  malformed('SELECT Id FROM A WHERE X IN ()', "unexpected token: ')'");
  malformed('SELECT Id FROM A LIMIT 5 WHERE X = 1', "unexpected token: 'WHERE'");
  malformed('SELECT Id FROM A WHERE X = :y', 'Bind variables only allowed in Apex code');
  assert.throws(
    () => parseSoql('SELECT Id\nFROM A\nWHERE X = 1 junk'),
    (e: SoqlError) =>
      e.message === "\nWHERE X = 1 junk\n            ^\nERROR at Row:3:Column:13\nunexpected token: 'junk'",
  );
});

test('Salesforce features this emulator does not implement fail with MALFORMED_QUERY', () => {
  malformed(
    'SELECT Name, COUNT(Id) FROM A GROUP BY Name',
    'COUNT(fieldName) is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT Name FROM A GROUP BY Name',
    'GROUP BY is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT SUM(Amount) FROM A',
    'The function SUM() is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT TYPEOF What WHEN Account THEN Name END FROM Event',
    'TYPEOF is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT Id FROM A FOR UPDATE',
    'FOR VIEW/REFERENCE/UPDATE is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT Id FROM A WITH SECURITY_ENFORCED',
    'WITH is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT Id FROM A WHERE Id IN (SELECT AId FROM B)',
    'A semi-join or anti-join subquery is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT Id FROM A a',
    'An alias on the FROM object is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT Id, (SELECT Id, (SELECT Id FROM C) FROM B) FROM A',
    'A subquery nested in a subquery is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    "SELECT Id FROM A WHERE X INCLUDES ('a')",
    'INCLUDES is not supported by the dealbridge Salesforce emulator',
  );
  malformed(
    'SELECT Id FROM A WHERE D = THIS_FISCAL_YEAR',
    'The fiscal date literal THIS_FISCAL_YEAR is not supported by the dealbridge Salesforce emulator',
  );
});
