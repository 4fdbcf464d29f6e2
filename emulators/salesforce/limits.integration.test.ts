// Point 5: Sforce-Limit-Info on every REST response, the daily allocation and /limits; versions list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, rawFetch, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: 'demo', dailyApiAllocation: 5, tokenTtlSeconds: 7 * 86_400 });
});
after(() => org.close());

test('every REST response carries Sforce-Limit-Info: api-usage=N/M, counting calls', async () => {
  const a = await org.raw('GET', `${API}/limits`);
  assert.equal(a.headers.get('sforce-limit-info'), 'api-usage=1/5');
  const b = await org.raw('GET', `${API}/sobjects/Nope/describe`);
  assert.equal(b.status, 404);
  assert.equal(b.headers.get('sforce-limit-info'), 'api-usage=2/5', 'errors carry it too');
  const limits = a.body as { DailyApiRequests: { Max: number; Remaining: number } };
  assert.deepEqual(limits.DailyApiRequests, { Max: 5, Remaining: 4 });
});

test('past the allocation calls get 403 REQUEST_LIMIT_EXCEEDED until the day rolls over', async () => {
  await org.raw('GET', `${API}/limits`);
  await org.raw('GET', `${API}/limits`);
  await org.raw('GET', `${API}/limits`);
  const over = await org.raw('GET', `${API}/limits`);
  assert.equal(over.status, 403);
  assert.deepEqual(over.body, [
    { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
  ]);
  assert.equal(over.headers.get('sforce-limit-info'), 'api-usage=5/5');
  await assert.rejects(
    async () => org.conn.query('SELECT Id FROM Account LIMIT 1'),
    (e: { errorCode: string }) => e.errorCode === 'REQUEST_LIMIT_EXCEEDED',
  );
  const token = await rawFetch(
    `${org.emu.url}/services/oauth2/token`,
    'POST',
    `grant_type=client_credentials&client_id=${org.emu.clientId}&client_secret=${org.emu.clientSecret}`,
    {
      'Content-Type': 'application/x-www-form-urlencoded',
    },
  );
  assert.equal(token.status, 200, 'OAuth does not count against the allocation');
  await org.admin('POST', 'clock', { advance: '24h' });
  const next = await org.raw('GET', `${API}/limits`);
  assert.equal(next.status, 200);
  assert.equal(next.headers.get('sforce-limit-info'), 'api-usage=1/5');
  await org.admin('POST', 'limits', { allocation: 100000, used: 0 });
});

test('GET /services/data lists versions 50.0 to 62.0 without auth; other versions are 404', async () => {
  const r = await rawFetch(`${org.emu.url}/services/data/`, 'GET');
  assert.equal(r.status, 200);
  const list = r.body as { label: string; url: string; version: string }[];
  assert.equal(list.length, 13);
  assert.deepEqual(list[0], { label: "Winter '21", url: '/services/data/v50.0', version: '50.0' });
  assert.deepEqual(list.at(-1), { label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
  assert.equal((await org.raw('GET', '/services/data/v49.0/limits')).status, 404);
  assert.equal((await org.raw('GET', '/services/data/v55.0/limits')).status, 200);
  const resources = (await org.raw('GET', API)).body as Record<string, string>;
  assert.equal(resources.sobjects, `${API}/sobjects`);
});
