// Performance smoke: a 100,000-opportunity org queried, sorted and formatted end to end. No timing
// assertions (shared machines); the checks are on the results, so a wrong fast path still fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticOrg } from './bench-data.js';
import { executeSoql, formatRecord, prepareSoql } from './index.js';

const N = 100_000;
const ds = syntheticOrg(N);
const opts = { includeDeleted: false };

test('100k rows: select with parent fields and a subquery, formatted', () => {
  const q = prepareSoql(
    'SELECT Id, Name, Amount, CloseDate, SystemModstamp, Account.Name, Owner.Email, ' +
      '(SELECT ContactId, Role, IsPrimary FROM OpportunityContactRoles) FROM Opportunity',
    ds,
  );
  const r = executeSoql(q, ds, opts);
  assert.equal(r.totalSize, N);
  let roles = 0;
  for (const row of r.rows) {
    const rec = formatRecord(q, row, ds, '62.0', opts) as {
      OpportunityContactRoles: { totalSize: number } | null;
    };
    roles += rec.OpportunityContactRoles?.totalSize ?? 0;
  }
  const expected = executeSoql(
    prepareSoql('SELECT COUNT() FROM OpportunityContactRole', ds),
    ds,
    opts,
  ).totalSize;
  assert.equal(roles, expected);
});

test('100k rows ordered by SystemModstamp, Id: a total order', () => {
  const r = executeSoql(prepareSoql('SELECT Id FROM Opportunity ORDER BY SystemModstamp, Id', ds), ds, opts);
  assert.equal(r.rows.length, N);
  for (let i = 1; i < r.rows.length; i++) {
    const [a, b] = [r.rows[i - 1]!, r.rows[i]!];
    const ok =
      (a.SystemModstamp as number) < (b.SystemModstamp as number) ||
      (a.SystemModstamp === b.SystemModstamp && (a.Id as string) < (b.Id as string));
    assert.ok(ok, `row ${i} out of order`);
  }
});

test('cursor query: SystemModstamp >= t ORDER BY SystemModstamp, Id LIMIT 2000', () => {
  const t = '2024-01-01T10:00:00Z';
  const r = executeSoql(
    prepareSoql(
      `SELECT Id, SystemModstamp FROM Opportunity WHERE SystemModstamp >= ${t} ORDER BY SystemModstamp, Id LIMIT 2000`,
      ds,
    ),
    ds,
    opts,
  );
  assert.equal(r.rows.length, 2000);
  assert.ok(r.rows.every((row) => (row.SystemModstamp as number) >= Date.parse(t)));
});
