// Issue #17's safety switches in the web API (inject, over the engine's fakes): dead letters on
// the Sync health page and brought back by "Resync selected".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiClient as client, type ApiClient as Client } from './testing.js';

/** An opportunity whose contact is in HubSpot (in scope). */
function inScope(c: Client, fields: Record<string, unknown> = {}) {
  const contact = c.rt.sf.addContact({ Email: 'ann@example.com', LastName: 'Ann' });
  c.rt.hs.addContact('ann@example.com');
  return c.rt.sf.addOpportunity({ Name: 'Refused deal', ...fields }, [contact.Id]);
}

describe('web API: safety switches', () => {
  test('dead letters: counted and marked on Sync health and in the CSV; resync brings one back', async () => {
    const c = await client();
    await c.send('PUT', '/api/settings/opportunitySync', { value: 'on' });
    const opp = inScope(c);
    const key = `opportunity:${opp.Id}`;
    c.rt.hs.rejectDeal = (p) => (p.dealname === 'Refused deal' ? 'Property values were not valid' : null);
    await (await c.rt.engine()).runPass();
    // As the 20th failed attempt leaves it (the engine's own path: src/engine/sync/dead-letters.test.ts).
    const [err] = await c.rt.store.listErrors({ recordKeys: [key] });
    assert.ok(err);
    const dead = new Date(c.rt.sf.clock).toISOString();
    await c.rt.store.recordErrors([{ ...err, attempts: 20, nextRetryAt: null, deadLetteredAt: dead }]);

    const health = (await c.get('/api/health')).json();
    assert.equal(health.status.deadLetters, 1);
    assert.equal(health.status.errors.total, 1);
    const [record] = health.errorGroups[0].records;
    assert.equal(record.recordKey, key);
    assert.equal(record.deadLetteredAt, dead);
    assert.equal(record.nextRetryAt, null);
    const csv = (await c.get('/api/errors.csv')).body.trim().split('\r\n');
    assert.match(csv[0] ?? '', /,next_retry,dead_lettered_at,fix$/);
    assert.ok(csv[1]?.includes(`,20,`) && csv[1].includes(`,${dead},`), csv[1]);
    assert.equal((await c.get(`/api/records/${opp.Id}`)).json().error.deadLetteredAt, dead);

    c.rt.hs.rejectDeal = () => null;
    const r = await c.send('POST', '/api/resync', { recordKeys: [key] });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json().deadLetters, 1);
    assert.equal(r.json().synced, 1);
    assert.ok(c.rt.hs.dealByOpportunity(opp.Id));
    const after = (await c.get('/api/health')).json();
    assert.equal(after.status.deadLetters, 0);
    assert.deepEqual(after.errorGroups, []);
  });
});
