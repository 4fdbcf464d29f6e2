// The HubSpot adapter against the HubSpot emulator's faults (answers that cannot be read) and its
// rate limits (pacing under the burst limit).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHubspotEmulator, type HubspotEmulator } from '../../emulators/hubspot/index.js';
import { isDealbridgeError } from '../errors/index.js';
import { createHubspotAdapter } from './adapter.js';
import { admin, fast, oppId, rejectsWith, useAdapterWorld, world } from './testing/adapter-world.js';

useAdapterWorld(() => createHubspotEmulator({ seed: 'demo', rateLimits: false }));

describe('HubSpot adapter: answers that cannot be read (emulator faults)', () => {
  const read = () => world.hs.readByIds('deals', ['1'], []);
  const path = '/crm/v3/objects/deals/batch/read';

  it('a 200 that is not JSON (cut off, HTML) is retried; lasting, it is HUBSPOT_BAD_RESPONSE with what arrived', async () => {
    await admin('POST', '/faults', { path, rawBody: '{"status":"COMPLETE","resu', times: 1 });
    await admin('POST', '/faults', {
      path,
      rawBody: '<html>proxy</html>',
      contentType: 'text/html',
      times: 1,
    });
    assert.deepEqual(await read(), []);
    await admin('POST', '/faults', { path, rawBody: '{"status":"COMPLETE","resu', times: 10 });
    await assert.rejects(read(), (e: unknown) => {
      assert.ok(isDealbridgeError(e) && e.code === 'HUBSPOT_BAD_RESPONSE', String(e));
      assert.match(
        e.message,
        /POST \/crm\/v3\/objects\/deals\/batch\/read with HTTP 200 and a body that is not JSON, 4 times: "\{\\"status/,
      );
      return true;
    });
    await admin('DELETE', '/faults');
  });

  it('an answer broken off while read is retried, without waiting for the connection to time out', async () => {
    const cut = createHubspotAdapter({
      baseUrl: world.emu.url,
      accessToken: world.emu.accessToken,
      retryPolicy: fast,
      bodyIdleMs: 200,
    });
    await admin('POST', '/faults', { path, truncateAfter: 10, times: 1 });
    const t = Date.now();
    assert.deepEqual(await cut.readByIds('deals', ['1'], []), []);
    assert.ok(Date.now() - t < 5000, `${Date.now() - t} ms`);
    await admin('POST', '/faults', { path, truncateAfter: 10, times: 4 });
    await rejectsWith(cut.readByIds('deals', ['1'], []), 'HUBSPOT_BAD_RESPONSE');
    await admin('DELETE', '/faults');
  });

  it('JSON that is not what the API documents is HUBSPOT_BAD_RESPONSE naming the call and the field', async () => {
    await admin('POST', '/faults', { path, rawBody: '{"status":"COMPLETE","results":{"id":"1"}}', times: 1 });
    await assert.rejects(read(), (e: unknown) => {
      assert.ok(isDealbridgeError(e) && e.code === 'HUBSPOT_BAD_RESPONSE', String(e));
      assert.match(e.message, /^read deals: HubSpot's answer is not what its API documents at results: /);
      return true;
    });
    await admin('POST', '/faults', { path: '/crm/v3/objects/deals/batch/upsert', rawBody: '[]', times: 1 });
    await rejectsWith(
      world.hs.upsertDeals([{ opportunityId: oppId(901), properties: { dealname: 'X' } }]),
      'HUBSPOT_BAD_RESPONSE',
    );
  });

  it('an upsert whose answer leaves an input out fails that input alone', async () => {
    const inputs = [902, 903].map((n) => ({ opportunityId: oppId(n), properties: { dealname: `D${n}` } }));
    await admin('POST', '/faults', {
      path: '/crm/v3/objects/deals/batch/upsert',
      dropResults: { match: oppId(903) },
      times: 1,
    });
    const out = await world.hs.upsertDeals(inputs);
    assert.deepEqual(
      out.results.map((r) => r.opportunityId),
      [oppId(902)],
    );
    assert.deepEqual(
      out.errors.map((e) => [e.index, e.code]),
      [[1, 'HUBSPOT_BAD_RESPONSE']],
    );
    assert.match(
      out.errors[0]?.message ?? '',
      new RegExp(`no result and no error for opportunity ${oppId(903)}`),
    );
  });
});

describe('HubSpot adapter pacing (emulator with rate limits on)', () => {
  let limited: HubspotEmulator;
  before(async () => {
    limited = await createHubspotEmulator({ seed: 'empty', rateLimits: true, burst: 40 });
    // A one-second window keeps the test short; the pacer learns Max and the interval from headers.
    await fetch(`${limited.url}/__emulator/limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ intervalMs: 1000, burst: 40 }),
    });
  });
  after(() => limited.close());

  it('a saturating load (8 callers, 240 requests) stays under 1 % 429s', async () => {
    const a = createHubspotAdapter({
      baseUrl: limited.url,
      accessToken: limited.accessToken,
      maxConcurrency: 8,
    });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 30; i++) await a.readByIds('deals', ['1'], []);
      }),
    );
    const elapsed = Date.now() - started;
    const share = a.transport.rateLimited / a.transport.requests;
    assert.ok(share < 0.01, `429 share ${a.transport.rateLimited}/${a.transport.requests}`);
    // 240 requests at ≤ 40 per ~1 s: at least ~5 s; and not much slower than the allowance permits
    assert.ok(elapsed >= 4500, `too fast for the limit: ${elapsed} ms`);
    assert.ok(elapsed < 12_000, `too slow: ${elapsed} ms`);
    assert.equal(a.usage().requests, a.transport.requests);
  });
});
