// Transactions, and set-based statements split into chunks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dealLink, role, sfId, syncError } from './testing/fixtures.js';
import { describeEachDialect, describeEachSqlDialect } from './testing/dialects.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describeEachDialect('store: transactions', (h) => {
  test('commits everything the store did inside fn and returns its value', async () => {
    const store = await h.open();
    const value = await store.transaction(async () => {
      await store.setSetting('a', 1);
      await store.saveDealLinks([dealLink('006A')]);
      await store.setCursor('Opportunity', { modstamp: '2024-05-20T00:00:00.000Z', id: '006A' });
      return 'done';
    });
    assert.equal(value, 'done');
    assert.equal(await store.getSetting('a'), 1);
    assert.equal((await store.getDealLinks(['006A'])).size, 1);
    assert.equal((await store.getCursor('Opportunity'))?.id, '006A');
  });

  test('a throw rolls back every write, multi-statement ones included, and rethrows', async () => {
    const store = await h.open();
    await store.setSetting('a', 'before');
    const many = Array.from({ length: 9_000 }, (_, i) => dealLink(sfId('006', i)));
    await assert.rejects(
      store.transaction(async () => {
        await store.setSetting('a', 'inside');
        await store.saveDealLinks(many);
        await store.recordErrors([syncError('x')]);
        await store.recordApiCalls('hubspot', 5, '2024-05-20T10:00:00.000Z');
        assert.equal(await store.getSetting('a'), 'inside', 'reads inside see the transaction');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await store.getSetting('a'), 'before');
    assert.equal((await store.getDealLinks(many.map((l) => l.opportunityId))).size, 0);
    assert.deepEqual(await store.listErrors(), []);
    assert.deepEqual(await store.apiCalls('hubspot', '2024-05-20T00:00:00.000Z'), []);
  });

  test('a nested transaction joins the outer one', async () => {
    const store = await h.open();
    await assert.rejects(
      store.transaction(async () => {
        await store.transaction(() => store.setSetting('inner', true));
        throw new Error('outer fails');
      }),
      /outer fails/,
    );
    assert.equal(await store.getSetting('inner'), undefined);
  });

  test('work outside the transaction never sees its uncommitted writes', async () => {
    const store = await h.open();
    const written = deferred();
    const outsideRead = written.promise.then(() => store.getSetting('secret'));
    await assert.rejects(
      store.transaction(async () => {
        await store.setSetting('secret', 'uncommitted');
        written.resolve();
        await new Promise((r) => setTimeout(r, 100));
        throw new Error('rollback');
      }),
    );
    assert.equal(await outsideRead, undefined);
  });
});

// SQL only: it counts the statements the store sends to the database.
describeEachSqlDialect('store: set-based statements', (h) => {
  test('a pass of 10,000 records costs a handful of statements', async () => {
    const statements: string[] = [];
    const store = await h.open({ onQuery: (sql) => statements.push(sql) });
    const ids = Array.from({ length: 10_000 }, (_, i) => sfId('006', i));
    statements.length = 0;
    await store.saveDealLinks(ids.map((id) => dealLink(id)));
    const writes = statements.filter((s) => /^insert/i.test(s)).length;
    assert.equal(writes, 1, `saveDealLinks(10,000) took ${writes} inserts`);
    statements.length = 0;
    assert.equal((await store.getDealLinks(ids)).size, 10_000);
    assert.equal(statements.length, 1, 'one select for 10,000 ids');
  });
});

describeEachDialect('store: many ids at once (chunked statements on SQL)', (h) => {
  test('lookups and writes over more than 70,000 ids are split and complete', async () => {
    const store = await h.open();
    const n = 70_123;
    const oppIds = Array.from({ length: n }, (_, i) => sfId('006', i));
    await store.saveDealLinks(oppIds.map((id) => dealLink(id)));
    const asked = [...oppIds, sfId('006', n + 1), sfId('006', n + 2)];
    const links = await store.getDealLinks(asked);
    assert.equal(links.size, n);
    assert.equal(links.get(sfId('006', n - 1))?.dealId, `deal-${sfId('006', n - 1)}`);

    const byOpp = await store.contactIdsForOpportunities(asked);
    assert.equal(byOpp.size, asked.length, 'every asked id is answered, across chunks');

    // Writes and lookups of other areas across several chunks (the batch is 10,000 rows).
    const m = 25_001;
    await store.saveContactRoles(
      oppIds.slice(0, m).map((id, i) => role(sfId('00K', i), id, sfId('003', i % 12_500))),
    );
    const contactIds = Array.from({ length: 12_500 }, (_, i) => sfId('003', i));
    assert.equal((await store.opportunityIdsForContacts(contactIds)).length, m);
    assert.deepEqual((await store.contactIdsForOpportunities(oppIds.slice(0, m))).get(sfId('006', 12_501)), [
      sfId('003', 1),
    ]);
    const keys = oppIds.slice(0, m).map((id) => `opportunity:${id}`);
    await store.recordErrors(keys.map((k) => syncError(k)));
    assert.equal((await store.listErrors({ recordKeys: keys })).length, m);
    assert.equal(await store.clearErrors([...keys, ...keys]), m);
  });
});
