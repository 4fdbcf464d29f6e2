// Rate limits over raw HTTP: headers, the three 429 bodies @hubspot/api-client keys on, tiers,
// burst override, and the clock that rolls the windows.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const start = async (opts: Parameters<typeof startPortal>[0]) =>
  (p = await startPortal({ rateLimits: true, clock: Date.UTC(2025, 0, 1, 12), ...opts }));

describe('rate limits', () => {
  test("every response carries HubSpot's limit headers; the count goes down", async () => {
    const portal = await start({ tier: 'starter' });
    const a = await portal.api('GET', '/crm/v3/objects/deals');
    const b = await portal.api('GET', '/crm/v3/objects/deals');
    assert.equal(a.headers.get('x-hubspot-ratelimit-max'), '100');
    assert.equal(a.headers.get('x-hubspot-ratelimit-interval-milliseconds'), '10000');
    assert.equal(a.headers.get('x-hubspot-ratelimit-daily'), '250000');
    assert.equal(
      Number(a.headers.get('x-hubspot-ratelimit-remaining')) - 1,
      Number(b.headers.get('x-hubspot-ratelimit-remaining')),
    );
    assert.equal(
      Number(a.headers.get('x-hubspot-ratelimit-daily-remaining')) - 1,
      Number(b.headers.get('x-hubspot-ratelimit-daily-remaining')),
    );
  });

  test('tier and --burst set the window size', async () => {
    const portal = await start({ tier: 'enterprise', burst: 250 });
    const r = await portal.api('GET', '/crm/v3/objects/deals');
    assert.equal(r.headers.get('x-hubspot-ratelimit-max'), '250');
    assert.equal(r.headers.get('x-hubspot-ratelimit-daily'), '1000000');
  });

  test('past the burst: 429 TEN_SECONDLY_ROLLING; the window rolls with the clock', async () => {
    const portal = await start({ burst: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await portal.api('GET', '/crm/v3/objects/deals')).status, 200);
    const r = await portal.api('GET', '/crm/v3/objects/deals');
    assert.equal(r.status, 429);
    assert.equal(r.body.status, 'error');
    assert.equal(r.body.errorType, 'RATE_LIMIT');
    assert.equal(r.body.policyName, 'TEN_SECONDLY_ROLLING');
    assert.equal(r.body.message, 'You have reached your ten_secondly_rolling limit.');
    assert.ok(r.body.correlationId && r.body.requestId, 'r.body.correlationId && r.body.requestId');
    assert.equal(r.headers.get('x-hubspot-ratelimit-remaining'), '0');
    await portal.admin('POST', '/clock', { advanceMs: 10_001 });
    assert.equal((await portal.api('GET', '/crm/v3/objects/deals')).status, 200);
    const stats = await portal.admin('GET', '/stats');
    assert.equal(stats.body.rateLimited.TEN_SECONDLY_ROLLING, 1);
    assert.equal(stats.body.routes['GET /crm/v3/objects/{objectType}']['429'], 1);
  });

  test('search: 4 per second, SECONDLY body, no limit headers', async () => {
    const portal = await start({ burst: 1000 });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await portal.api('POST', '/crm/v3/objects/deals/search', {});
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    assert.equal(last!.body.policyName, 'SECONDLY');
    assert.equal(last!.body.message, 'You have reached your secondly limit.');
    assert.equal(last!.headers.get('x-hubspot-ratelimit-max'), null);
    await portal.admin('POST', '/clock', { advanceMs: 1001 });
    assert.equal((await portal.api('POST', '/crm/v3/objects/deals/search', {})).status, 200);
  });

  test('daily limit: 429 DAILY until the next day', async () => {
    const portal = await start({});
    await portal.admin('POST', '/limits', { daily: 2 });
    await portal.api('GET', '/crm/v3/objects/deals');
    await portal.api('GET', '/crm/v3/objects/deals');
    const r = await portal.api('GET', '/crm/v3/objects/deals');
    assert.equal(r.status, 429);
    assert.equal(r.body.policyName, 'DAILY');
    assert.equal(r.body.message, 'You have reached your daily limit.');
    await portal.admin('POST', '/clock', { advanceMs: 86_400_000 });
    assert.equal((await portal.api('GET', '/crm/v3/objects/deals')).status, 200);
  });

  test('401 comes before 429 and does not use the budget', async () => {
    const portal = await start({ burst: 1 });
    assert.equal((await portal.api('GET', '/crm/v3/objects/deals', undefined, 'bad')).status, 401);
    assert.equal((await portal.api('GET', '/crm/v3/objects/deals')).status, 200);
  });
});
