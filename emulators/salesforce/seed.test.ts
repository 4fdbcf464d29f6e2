import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock } from './clock.js';
import { seedDemo, seedSized } from './seed.js';
import { demoPeople } from './demo-people.js';
import { formatDateTime } from './time.js';

function fixedClock(): Clock {
  const c = new Clock();
  c.set(Date.parse('2025-03-01T12:00:00Z'), true);
  return c;
}

test('demoPeople is stable: 10 users, 60 accounts (some with domains), 300 contacts with unique emails', () => {
  const a = demoPeople();
  assert.deepEqual(demoPeople(), a);
  assert.equal(a.users.length, 10);
  assert.equal(a.accounts.length, 60);
  assert.equal(a.contacts.length, 300);
  assert.equal(new Set(a.contacts.map((c) => c.email)).size, 300);
  assert.ok(a.accounts.some((x) => x.domain) && a.accounts.some((x) => !x.domain));
  const names = new Set(a.accounts.map((x) => x.name));
  assert.ok(a.contacts.every((c) => c.accountName === undefined || names.has(c.accountName)));
  assert.equal(a.users[0]!.email, 'alice.martin@northwind-sales.example');
});

test('the demo org matches demoPeople and has 500 opportunities over two record types', () => {
  const store = seedDemo(fixedClock());
  const people = demoPeople();
  const users = [...store.scan('User', { includeDeleted: false })];
  assert.deepEqual(users.map((u) => u.Email).sort(), people.users.map((u) => u.email).sort());
  const contacts = [...store.scan('Contact', { includeDeleted: false })];
  assert.deepEqual(contacts.map((c) => c.Email).sort(), people.contacts.map((c) => c.email).sort());
  const opps = [...store.scan('Opportunity', { includeDeleted: false })];
  assert.equal(opps.length, 500);
  const recordTypes = new Set(opps.map((o) => o.RecordTypeId));
  assert.equal(recordTypes.size, 2);
  const stages = new Set(opps.map((o) => o.StageName));
  assert.ok(stages.has('Closed Won') && stages.has('Closed Lost') && stages.has('Prospecting'));
  const roles = [...store.scan('OpportunityContactRole', { includeDeleted: false })];
  const perOpp = new Map<string, number>();
  for (const r of roles)
    perOpp.set(r.OpportunityId as string, (perOpp.get(r.OpportunityId as string) ?? 0) + 1);
  assert.ok([...perOpp.values()].every((n) => n >= 1 && n <= 3));
  assert.ok(perOpp.size < 500, 'some opportunities have no contact role');
  const created = opps.map((o) => o.CreatedDate as number);
  assert.ok(Math.min(...created) < Date.parse('2024-01-01'), 'dates are mixed over two years');
});

test('same seed, same org; another seed, another org', () => {
  const a = seedSized(fixedClock(), { seed: 7, opportunities: 300 });
  const b = seedSized(fixedClock(), { seed: 7, opportunities: 300 });
  const c = seedSized(fixedClock(), { seed: 8, opportunities: 300 });
  const dump = (s: typeof a) =>
    [...s.scan('Opportunity', { includeDeleted: false })].map((o) =>
      [o.Id, o.Name, o.StageName, o.Amount, formatDateTime(o.CreatedDate as number)].join('|'),
    );
  assert.deepEqual(dump(a), dump(b));
  assert.notDeepEqual(dump(a), dump(c));
});

test('sized seeds scale contact roles to 1.5 per opportunity on average', () => {
  const s = seedSized(fixedClock(), { opportunities: 4000 });
  const roles = s.table('OpportunityContactRole')!.liveCount;
  assert.ok(roles > 5400 && roles < 6600, `roles ${roles}`);
});
