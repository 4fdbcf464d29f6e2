import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFixture, query } from './fixture.js';

const fx = buildFixture();
const { ds } = fx;
const id = (r: { Id?: unknown }) => r.Id as string;
const url = (type: string, rowId: string) => `/services/data/v62.0/sobjects/${type}/${rowId}`;

test('a record: attributes, selected fields only, select order, wire formats, nested parents', () => {
  const { records } = query(
    ds,
    'SELECT Name, amount, CloseDate, CreatedDate, IsWon, Description, Account.Name, Owner.Email, Account.Owner.Name, AccountId ' +
      "FROM Opportunity WHERE Name = 'Big Deal'",
  );
  const [o, a, u] = [fx.opps[0]!, fx.accounts[0]!, fx.users[0]!];
  assert.equal(
    JSON.stringify(records[0]),
    JSON.stringify({
      attributes: { type: 'Opportunity', url: url('Opportunity', id(o)) },
      Name: 'Big Deal',
      Amount: 5000,
      CloseDate: '2024-05-15',
      CreatedDate: '2024-05-14T08:00:00.000+0000',
      IsWon: true,
      Description: null,
      Account: {
        attributes: { type: 'Account', url: url('Account', id(a)) },
        Name: 'Acme',
        Owner: { attributes: { type: 'User', url: url('User', id(u)) }, Name: 'Ann Admin' },
      },
      Owner: { attributes: { type: 'User', url: url('User', id(u)) }, Email: 'ann@example.com' },
      AccountId: id(a),
    }),
  );
});

test('an empty reference is null, not an empty object', () => {
  const { records } = query(
    ds,
    "SELECT Id, Account.Name, Account.Owner.Email FROM Opportunity WHERE Name = 'No Amount'",
  );
  assert.deepEqual(records[0], {
    attributes: { type: 'Opportunity', url: url('Opportunity', id(fx.opps[2]!)) },
    Id: id(fx.opps[2]!),
    Account: null,
  });
});

test('child subqueries: nested query result with its own WHERE/ORDER BY/LIMIT, null when empty', () => {
  const { records } = query(
    ds,
    'SELECT Name, (SELECT ContactId, Contact.Email, Role, IsPrimary FROM OpportunityContactRoles ORDER BY Role DESC) ' +
      'FROM Opportunity ORDER BY Name',
  );
  const big = records[0]!;
  const [c0, c1] = [fx.contacts[0]!, fx.contacts[1]!];
  assert.deepEqual(Object.keys(big), ['attributes', 'Name', 'OpportunityContactRoles']);
  const roles = big.OpportunityContactRoles as {
    totalSize: number;
    done: boolean;
    records: Record<string, unknown>[];
  };
  assert.equal(roles.totalSize, 2);
  assert.equal(roles.done, true);
  assert.deepEqual(roles.records[0], {
    attributes: {
      type: 'OpportunityContactRole',
      url: roles.records[0]!.attributes && (roles.records[0]!.attributes as { url: string }).url,
    },
    ContactId: id(c1),
    Contact: { attributes: { type: 'Contact', url: url('Contact', id(c1)) }, Email: 'ob@globex.com' },
    Role: 'Influencer',
    IsPrimary: false,
  });
  assert.equal(roles.records[1]!.ContactId, id(c0));
  assert.match(
    (roles.records[0]!.attributes as { url: string }).url,
    /^\/services\/data\/v62\.0\/sobjects\/OpportunityContactRole\/00K/,
  );
  assert.equal(records.find((r) => r.Name === 'No Amount')!.OpportunityContactRoles, null);

  const filtered = query(
    ds,
    "SELECT Name, (SELECT Role FROM OpportunityContactRoles WHERE IsPrimary = false LIMIT 1) FROM Opportunity WHERE Name = 'Big Deal'",
  );
  const sub = filtered.records[0]!.OpportunityContactRoles as {
    totalSize: number;
    records: { Role: string }[];
  };
  assert.equal(sub.totalSize, 1);
  assert.equal(sub.records[0]!.Role, 'Influencer');
});

test('deleted children appear only with includeDeleted', () => {
  const soql =
    "SELECT Name, (SELECT Role FROM OpportunityContactRoles) FROM Opportunity WHERE Name = 'Old Lost'";
  assert.equal(query(ds, soql).records[0]!.OpportunityContactRoles, null);
  const all = query(ds, soql, true).records[0]!.OpportunityContactRoles as { totalSize: number };
  assert.equal(all.totalSize, 1);
});

test('parent-to-child from Account, canonical relationship names in output', () => {
  const { records } = query(
    ds,
    "SELECT name, (select lastname from contacts) FROM account WHERE name = 'acme'",
  );
  assert.deepEqual(Object.keys(records[0]!), ['attributes', 'Name', 'Contacts']);
  const contacts = records[0]!.Contacts as { records: { LastName: string }[] };
  assert.deepEqual(
    contacts.records.map((c) => c.LastName),
    ['Doe'],
  );
});
