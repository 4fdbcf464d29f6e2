// What an import run hands to its rollups: the mirror's contacts and accounts up to the checkpoint
// (in pages, never all in memory) plus the few the mirror no longer shows, which survive a resume.
// The same over src/store and the in-memory store (both list the mirror's ids).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../../store/index.js';
import { opp, role, sfId } from '../../store/testing/fixtures.js';
import { emptyTouched } from '../sync/batch.js';
import type { StateStore } from '../ports/store.js';
import { MemoryStore } from '../testing/fakes.js';
import { DeferredImportRollups } from './deferred-rollups.js';

const O = (n: number) => sfId('006', n);
const C = (n: number) => sfId('003', n);
const A = (n: number) => sfId('001', n);

/** A stored batch of opportunities 1..n: opportunity i has contact i (and contact 1) and account i % 3. */
async function storeBatch(store: StateStore, from: number, to: number) {
  const mirrors = [];
  const roles = [];
  const touched = emptyTouched();
  for (let i = from; i <= to; i++) {
    mirrors.push(opp(O(i), { accountId: A(i % 3) }));
    roles.push(role(sfId('00K', i), O(i), C(i)), role(sfId('00K', 1000 + i), O(i), C(1)));
    touched.contactIds.add(C(i)).add(C(1));
    touched.accountIds.add(A(i % 3));
  }
  await store.saveOpportunities(mirrors);
  await store.saveContactRoles(roles);
  return { touched, roles, mirrors };
}

async function collect(p: DeferredImportRollups, checkpoint: string | null, size: number) {
  const contacts: string[] = [];
  const accounts: string[] = [];
  let pages = 0;
  for await (const part of p.touched(checkpoint, size)) {
    assert.ok(part.contactIds.length + part.accountIds.length <= size);
    contacts.push(...part.contactIds);
    accounts.push(...part.accountIds);
    pages++;
  }
  return { contacts: [...new Set(contacts)].sort(), accounts: [...new Set(accounts)].sort(), pages };
}

const stores: [string, () => Promise<StateStore>][] = [
  ['src/store', () => openStore(':memory:')],
  ['memory store', async () => new MemoryStore()],
];

for (const [name, open] of stores)
  describe(`pending rollups of an import run (${name})`, () => {
    test('read from the mirror up to the checkpoint, in pages; what the mirror no longer shows is kept', async () => {
      const store = await open();
      const p = await DeferredImportRollups.load(store, 'run-1');
      const b1 = await storeBatch(store, 1, 10);
      // Opportunity 2 had contact 99 and account 7 before this run: gone from the mirror now.
      b1.touched.contactIds.add(C(99));
      b1.touched.accountIds.add(A(7));
      const write = p.add(b1);
      assert.ok(write, 'the two the mirror does not show are stored with the checkpoint');
      await write(store);
      assert.deepEqual([...p.contacts], [C(99)]);
      assert.deepEqual([...p.accounts], [A(7)]);
      // Opportunities past the checkpoint (the sync's, or the next batch) are not the run's yet.
      await storeBatch(store, 11, 12);
      const got = await collect(p, O(10), 3);
      assert.deepEqual(got.contacts, [...Array.from({ length: 10 }, (_, i) => C(i + 1)), C(99)].sort());
      assert.deepEqual(got.accounts, [A(0), A(1), A(2), A(7)]);
      assert.ok(got.pages >= 5, `pages of at most 3 ids (${got.pages})`);
      // A resume reads the kept ones back.
      const resumed = await DeferredImportRollups.load(store, 'run-1');
      assert.deepEqual([...resumed.contacts], [C(99)]);
      assert.deepEqual((await collect(resumed, null, 100)).contacts, [C(99)], 'nothing processed yet');
      await resumed.clear(store);
      assert.equal((await DeferredImportRollups.load(store, 'run-1')).contacts.size, 0);
      await store.close();
    });
  });
