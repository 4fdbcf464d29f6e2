import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPending } from './scope.js';
import { createHarness, type Harness } from '../testing/fakes.js';

/** n opportunities, each with its own contact (in HubSpot, carrying its id, unless `absent`) and account. */
function org(h: Harness, n: number, absent: (i: number) => boolean = () => false) {
  for (let i = 0; i < n; i++) {
    const c = h.sf.addContact({ Email: `c${i}@example.com`, LastName: `C${i}` });
    if (!absent(i)) h.hs.addContact(`c${i}@example.com`, { salesforce_contact_id: c.Id });
    const a = h.sf.addAccount({ Name: `A${i}`, Website: null });
    h.hs.addCompany({ name: `A${i}`, salesforce_account_id: a.Id });
    h.sf.addOpportunity({ AccountId: a.Id }, [c.Id]);
  }
}

test("the next page's contacts and accounts fill the room of a page's last look-up calls", async () => {
  const h = await createHarness({ batchSize: 150 });
  h.sf.pageSize = 150;
  await h.enable();
  org(h, 300);
  const r = await h.engine.runPass();
  assert.equal(r.created, 300);
  // 300 contacts and 300 accounts: 3 reads each (page 1: 100 + 50 with 50 of page 2; page 2: 100),
  // where page by page would take 4.
  assert.equal(h.hs.calls.get('readByUniqueProperty:contacts'), 3);
  assert.equal(h.hs.calls.get('readByUniqueProperty:companies'), 3);
  for (const d of h.hs.live('deals')) {
    assert.equal(h.hs.associated(d.id, 'contacts').length, 1);
    assert.equal(h.hs.associated(d.id, 'companies').length, 1);
  }
});

test('contacts of the next page that are not in HubSpot are left to their own batch', async () => {
  const h = await createHarness({ batchSize: 150 });
  h.sf.pageSize = 150;
  await h.enable();
  org(h, 300, (i) => i >= 150 && i % 2 === 0);
  const r = await h.engine.runPass();
  assert.equal(r.created, 225);
  assert.equal(r.skippedByReason.no_contact_in_hubspot, 75);
  assert.equal(Object.keys(await readPending(h.store)).length, 75);
  assert.equal(h.hs.live('companies').length, 300, 'no company created for a padding account');
});
