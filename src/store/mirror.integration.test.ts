import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, opp, role } from './testing/fixtures.js';
import { describeEachDialect } from './testing/dialects.js';

describeEachDialect('store: mirror', (h) => {
  test('opportunities upsert and read back exactly, deleted and out-of-scope included', async () => {
    const store = await h.open();
    const a = opp('006A', {
      accountId: '001A',
      amount: '12345678901234567890.01',
      currencyIsoCode: 'EUR',
      isClosed: true,
      isWon: true,
      rowHash: 'a'.repeat(64),
    });
    const b = opp('006B', { amount: null, closeDate: null, isDeleted: true, inScope: false, rowHash: null });
    await store.saveOpportunities([a, b]);
    const got = await store.getOpportunities(['006A', '006B', '006Z']);
    assert.deepEqual(got.get('006A'), a);
    assert.deepEqual(got.get('006B'), b);
    assert.equal(got.size, 2);
    assert.equal(typeof got.get('006A')?.amount, 'string', 'money stays a decimal string');

    const renamed = {
      ...a,
      name: 'Renamed',
      isWon: false,
      systemModstamp: '2024-06-01T00:00:00.000Z',
      rowHash: 'b'.repeat(64),
    };
    await store.saveOpportunities([renamed]);
    assert.deepEqual((await store.getOpportunities(['006A'])).get('006A'), renamed);
  });

  test('contact roles: live roles link contacts and opportunities both ways, deleted ones do not', async () => {
    const store = await h.open();
    await store.saveContactRoles([
      role('00K1', '006A', '003X'),
      role('00K2', '006A', '003Y', { IsPrimary: true }),
      role('00K3', '006B', '003X'),
      role('00K4', '006C', '003Z', { IsDeleted: true }),
      role('00K5', '006A', '003X', { Role: 'Economic Buyer' }),
    ]);
    assert.deepEqual(await store.opportunityIdsForContacts(['003X', '003Q']), ['006A', '006B']);
    assert.deepEqual(await store.opportunityIdsForContacts(['003Z']), []);
    const byOpp = await store.contactIdsForOpportunities(['006A', '006B', '006C', '006D']);
    assert.deepEqual(Object.fromEntries(byOpp), {
      '006A': ['003X', '003Y'],
      '006B': ['003X'],
      '006C': [],
      '006D': [],
    });

    // The feed reports role 00K3 deleted and 00K4 restored.
    await store.saveContactRoles([
      role('00K3', '006B', '003X', { IsDeleted: true }),
      role('00K4', '006C', '003Z'),
    ]);
    assert.deepEqual(await store.opportunityIdsForContacts(['003X']), ['006A']);
    assert.deepEqual(await store.opportunityIdsForContacts(['003Z']), ['006C']);
  });

  test("roles' opportunities by role id: deleted roles too, unknown roles absent", async () => {
    const store = await h.open();
    await store.saveContactRoles([
      role('00K1', '006A', '003X'),
      role('00K2', '006B', '003Y', { IsDeleted: true }),
      role('00K3', '006A', '003Z'),
    ]);
    const got = await store.opportunityIdsOfRoles(['00K1', '00K2', '00K9']);
    assert.deepEqual(Object.fromEntries(got), { '00K1': '006A', '00K2': '006B' });
    assert.deepEqual(await store.opportunityIdsOfRoles([]), new Map());
  });

  test('a role moved to another opportunity or contact moves in the mirror', async () => {
    const store = await h.open();
    await store.saveContactRoles([role('00K1', '006A', '003X')]);
    await store.saveContactRoles([role('00K1', '006B', '003Y')]);
    assert.deepEqual(Object.fromEntries(await store.contactIdsForOpportunities(['006A', '006B'])), {
      '006A': [],
      '006B': ['003Y'],
    });
  });

  test('replaceContactRoles makes the given roles the full set of those opportunities', async () => {
    const store = await h.open();
    await store.saveContactRoles([
      role('00K1', '006A', '003X'),
      role('00K2', '006A', '003Y'),
      role('00K3', '006B', '003Y'),
    ]);
    await store.replaceContactRoles(
      ['006A', '006C'],
      [role('00K2', '006A', '003Y'), role('00K9', '006C', '003Q')],
    );
    assert.deepEqual(Object.fromEntries(await store.contactIdsForOpportunities(['006A', '006B', '006C'])), {
      '006A': ['003Y'],
      '006B': ['003Y'],
      '006C': ['003Q'],
    });
    await store.replaceContactRoles(['006A'], []);
    assert.deepEqual(await store.contactIdsForOpportunities(['006A']), new Map([['006A', []]]));
  });

  test('opportunitiesOfContacts: in-scope, live opportunities through live roles, one per contact', async () => {
    const store = await h.open();
    await store.saveOpportunities([
      opp('006A'),
      opp('006B', { isWon: true, isClosed: true }),
      opp('006C', { isDeleted: true }),
      opp('006D', { inScope: false }),
      opp('006E'),
    ]);
    await store.saveContactRoles([
      role('00K1', '006B', '003X'),
      role('00K2', '006A', '003X'),
      role('00K3', '006A', '003X', { Role: 'second role, same opportunity' }),
      role('00K4', '006C', '003X'),
      role('00K5', '006D', '003X'),
      role('00K6', '006E', '003X', { IsDeleted: true }),
      role('00K7', '006E', '003Y'),
      role('00K8', '006F', '003Y'), // no mirror for 006F yet
    ]);
    const got = await store.opportunitiesOfContacts(['003X', '003Y', '003N']);
    assert.deepEqual(
      got.get('003X')?.map((o) => o.id),
      ['006A', '006B'],
    );
    assert.equal(got.get('003X')?.[1]?.isWon, true);
    assert.deepEqual(
      got.get('003Y')?.map((o) => o.id),
      ['006E'],
    );
    assert.deepEqual(got.get('003N'), [], 'a contact without deals is answered, with an empty list');
  });

  test('opportunitiesOfAccounts: in-scope, live opportunities of each account', async () => {
    const store = await h.open();
    await store.saveOpportunities([
      opp('006B', { accountId: '001A' }),
      opp('006A', { accountId: '001A' }),
      opp('006C', { accountId: '001A', isDeleted: true }),
      opp('006D', { accountId: '001A', inScope: false }),
      opp('006E', { accountId: '001B' }),
      opp('006F'),
    ]);
    const got = await store.opportunitiesOfAccounts(['001A', '001B', '001C']);
    assert.deepEqual(
      got.get('001A')?.map((o) => o.id),
      ['006A', '006B'],
    );
    assert.deepEqual(
      got.get('001B')?.map((o) => o.id),
      ['006E'],
    );
    assert.deepEqual(got.get('001C'), []);
    // Moving an opportunity to another account moves it in the answer.
    await store.saveOpportunities([opp('006E', { accountId: '001C' })]);
    const moved = await store.opportunitiesOfAccounts(['001B', '001C']);
    assert.deepEqual(moved.get('001B'), []);
    assert.deepEqual(
      moved.get('001C')?.map((o) => o.id),
      ['006E'],
    );
  });

  test('accounts upsert and read back', async () => {
    const store = await h.open();
    const a = account('001A');
    const b = account('001B', { Website: null });
    await store.saveAccounts([a, b]);
    await store.saveAccounts([{ ...a, Name: 'Renamed' }]);
    const got = await store.getAccounts(['001A', '001B', '001Z']);
    assert.deepEqual(got.get('001A'), { ...a, Name: 'Renamed' });
    assert.deepEqual(got.get('001B'), b);
    assert.equal(got.size, 2);
  });

  test('searchOpportunities: case-insensitive substring of the name, % and _ literal, by name', async () => {
    const store = await h.open();
    await store.saveOpportunities([
      opp('006A', { name: 'Acme — Renewal 2024' }),
      opp('006B', { name: 'ACME expansion' }),
      opp('006C', { name: 'Globex 100% deal' }),
      opp('006D', { name: 'Initech_upsell', isDeleted: true }),
    ]);
    assert.deepEqual(
      (await store.searchOpportunities('acme', 10)).map((o) => o.id),
      ['006B', '006A'],
    );
    assert.deepEqual(
      (await store.searchOpportunities('acme', 1)).map((o) => o.id),
      ['006B'],
    );
    assert.deepEqual(
      (await store.searchOpportunities('100%', 10)).map((o) => o.id),
      ['006C'],
    );
    assert.deepEqual(
      (await store.searchOpportunities('_up', 10)).map((o) => o.id),
      ['006D'],
    );
    assert.deepEqual(await store.searchOpportunities('%', 10).then((r) => r.map((o) => o.id)), ['006C']);
    assert.deepEqual(await store.searchOpportunities('  ', 10), []);
  });
});
