// Issue #17's safety switches in the web API (inject, over the engine's fakes): dead letters on
// the Sync health page and brought back by "Resync selected"; the pause switch behind the session,
// the CSRF header and the origin check, stopping the sync and resync until the resume.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readPause } from '../engine/pause.js';
import { apiClient as client, TEST_SECRETS, type ApiClient as Client } from './testing.js';

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

  test('pause and resume: state-changing routes behind the CSRF and origin checks; paused, nothing is written', async () => {
    const c = await client();
    await c.send('PUT', '/api/settings/opportunitySync', { value: 'on' });
    assert.equal((await c.app.inject({ method: 'POST', url: '/api/sync/pause' })).statusCode, 401);
    const login = await c.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { token: TEST_SECRETS.adminToken },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const { csrfToken } = login.json<{ csrfToken: string }>();
    const noCsrf = await c.app.inject({ method: 'POST', url: '/api/sync/pause', headers: { cookie } });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json<{ error: string }>().error, 'csrf');
    const crossSite = await c.app.inject({
      method: 'POST',
      url: '/api/sync/pause',
      headers: { cookie, 'x-csrf-token': csrfToken, origin: 'https://elsewhere.example' },
    });
    assert.equal(crossSite.statusCode, 403);
    assert.equal(crossSite.json<{ error: string }>().error, 'cross_origin');
    assert.equal((await readPause(c.rt.store)).paused, false, 'a refused request changes nothing');

    const paused = await c.send('POST', '/api/sync/pause');
    assert.equal(paused.status, 200, paused.body);
    assert.deepEqual(paused.json(), {
      paused: true,
      since: new Date(c.rt.sf.clock).toISOString(),
      changed: true,
    });
    assert.equal((await c.send('POST', '/api/sync/pause')).json().changed, false, 'pausing twice');
    const health = (await c.get('/api/health')).json();
    assert.equal(health.status.paused, true);
    assert.equal(health.status.pausedSince, paused.json().since);
    assert.equal((await c.get('/api/overview')).json().paused, true);

    const opp = inScope(c, { Name: 'Waiting deal' });
    const pass = await (await c.rt.engine()).runPass();
    assert.equal(pass.paused, true);
    const resync = await c.send('POST', `/api/records/${opp.Id}/resync`);
    assert.equal(resync.status, 200, resync.body);
    assert.equal(resync.json().ran, false);
    assert.equal(resync.json().paused, true);
    assert.equal(c.rt.hs.dealByOpportunity(opp.Id), undefined, 'nothing written while paused');

    const resumed = await c.send('POST', '/api/sync/resume');
    assert.deepEqual(resumed.json(), { paused: false, since: null, changed: true });
    assert.equal((await (await c.rt.engine()).runPass()).created, 1);
    assert.ok(c.rt.hs.dealByOpportunity(opp.Id));
    assert.equal((await c.get('/api/health')).json().status.paused, false);
  });
});
