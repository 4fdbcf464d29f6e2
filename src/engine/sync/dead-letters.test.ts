// Dead letters in the sync pass (issue #17): a record that keeps failing is retried with backoff
// until its 20th attempt, then no more by itself; a fresh change in Salesforce is still synced
// (not a retry), and a person's retry gives it a fresh budget.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEAD_LETTER_ATTEMPTS } from '../record-errors.js';
import { formatStatus, readStatus } from '../status/read-status.js';
import { passHarness, passStores } from '../testing/pass-harness.js';
import type { Harness } from '../testing/fakes.js';

const HOUR = 3600_000;

for (const [kind, openState] of Object.entries(passStores)) {
  const { ready, linkedContact } = passHarness(openState);

  /** One opportunity HubSpot refuses, failed until it is a dead letter (7 h between passes). */
  async function deadLetter(h: Harness) {
    const { c } = linkedContact(h);
    const opp = h.sf.addOpportunity({ Name: 'Refused deal' }, [c.Id]);
    h.hs.rejectDeal = (p) =>
      p.dealname === 'Refused deal' ? 'Property values were not valid: dealname' : null;
    const key = `opportunity:${opp.Id}`;
    const error = async () => (await h.store.listErrors({ recordKeys: [key] }))[0];
    await h.engine.runPass();
    for (let i = 1; i < DEAD_LETTER_ATTEMPTS; i++) {
      assert.equal((await error())?.deadLetteredAt, null, `not yet after ${i} attempts`);
      h.sf.clock += 7 * HOUR;
      await h.engine.runPass();
    }
    return { opp, key, error };
  }

  describe(`dead letters in the sync pass (${kind} store)`, () => {
    test('after 20 failed attempts a record is a dead letter and is not retried by itself', async () => {
      const h = await ready();
      const { error } = await deadLetter(h);
      const dead = await error();
      assert.equal(dead?.attempts, 20);
      assert.equal(dead?.nextRetryAt, null);
      assert.equal(dead?.deadLetteredAt, new Date(h.sf.clock).toISOString());
      const writes = h.hs.calls.get('upsertDeals') ?? 0;
      for (const step of [7 * HOUR, 24 * HOUR, 8 * 24 * HOUR]) {
        h.sf.clock += step;
        await h.engine.runPass();
      }
      assert.equal(h.hs.calls.get('upsertDeals') ?? 0, writes, 'no write for the dead letter');
      assert.equal((await error())?.attempts, 20);
      const status = await readStatus(h.store, new Date(h.sf.clock));
      assert.equal(status.deadLetters, 1);
      assert.equal(status.errors.total, 1, 'still an error');
      assert.equal(status.errors.dueNow, 0);
      assert.match(
        formatStatus(status),
        /^Dead letters: 1 \(failed 20 times or for 7 days; retried only by hand/m,
      );
    });

    test('a fresh change in Salesforce is synced; a failure keeps it a dead letter, a success clears it', async () => {
      const h = await ready();
      const { opp, error } = await deadLetter(h);
      const marker = (await error())?.deadLetteredAt;
      h.sf.clock += HOUR;
      h.sf.updateOpportunity(opp.Id, { Amount: '2000' });
      await h.engine.runPass();
      const still = await error();
      assert.equal(still?.attempts, 21, 'the change was attempted');
      assert.equal(still?.deadLetteredAt, marker);
      assert.equal(still?.nextRetryAt, null);

      h.hs.rejectDeal = () => null;
      h.sf.clock += HOUR;
      h.sf.updateOpportunity(opp.Id, { Amount: '3000' });
      await h.engine.runPass();
      assert.equal(await error(), undefined);
      assert.equal(h.hs.dealByOpportunity(opp.Id)?.properties.amount, '3000');
    });

    test('retried by hand, it is due at once with 20 automatic attempts again', async () => {
      const h = await ready();
      const { opp, key, error } = await deadLetter(h);
      h.sf.clock += HOUR;
      assert.equal(await h.store.retryByHand([key], new Date(h.sf.clock).toISOString()), 1);
      await h.engine.runPass();
      const again = await error();
      assert.equal(again?.attempts, 1, 'counted afresh');
      assert.equal(again?.deadLetteredAt, null);
      assert.ok(again?.nextRetryAt, 'retried with backoff again');

      h.hs.rejectDeal = () => null;
      h.sf.clock += 2 * 60_000;
      await h.engine.runPass();
      assert.equal(await error(), undefined);
      assert.ok(h.hs.dealByOpportunity(opp.Id));
    });
  });
}
