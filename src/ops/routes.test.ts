// /healthz, /readyz and /metrics on the server (issue #15, Operations): no web login for any of
// them; /metrics for loopback clients only without DEALBRIDGE_METRICS_TOKEN, and only with
// `Authorization: Bearer <token>` when it is set; /readyz 503 when the store does not answer, a
// migration is pending or the process drains. The security of everything else is unchanged.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildServer } from '../server/app.js';
import { registerApi } from '../server/routes/index.js';
import { createServerContext } from '../server/serve.js';
import { fakeRuntime, TEST_SECRETS } from '../server/testing.js';
import { isLoopback } from './routes.js';

const METRICS_TOKEN = 'metrics-token-7Hq2LmX9pR4w';

async function server(o: { metricsToken?: string; trustProxy?: boolean } = {}) {
  const rt = await fakeRuntime();
  rt.config.server = {
    secureCookies: false,
    trustProxy: o.trustProxy ?? false,
    ...(o.metricsToken ? { metricsToken: o.metricsToken } : {}),
  };
  const ctx = createServerContext(rt, TEST_SECRETS.adminToken);
  if (o.metricsToken) ctx.secrets.push(o.metricsToken);
  const lines: string[] = [];
  const app = await buildServer({
    adminToken: TEST_SECRETS.adminToken,
    secrets: ctx.secrets,
    trustProxy: o.trustProxy ?? false,
    logStream: { write: (l: string) => lines.push(l) },
    routes: (a) => void registerApi(a, ctx),
  });
  return { app, rt, ctx, lines };
}

const noSecret = (text: string) => {
  for (const s of [...Object.values(TEST_SECRETS), METRICS_TOKEN])
    assert.ok(!text.includes(s), `a secret (${s.slice(0, 4)}…) in ${text.slice(0, 200)}`);
};

describe('probes', () => {
  test('/healthz and /readyz answer without a login, with the security headers', async () => {
    const { app } = await server();
    for (const url of ['/healthz', '/readyz']) {
      const res = await app.inject({ method: 'GET', url, remoteAddress: '203.0.113.9' });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
      assert.equal(res.headers['cache-control'], 'no-store');
      noSecret(res.body);
    }
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.deepEqual(ready.json(), {
      status: 'ready',
      checks: { store: { ok: true }, migrations: { ok: true }, draining: { ok: true } },
    });
    assert.equal((await app.inject({ method: 'HEAD', url: '/healthz' })).statusCode, 200);
  });

  test('/readyz is 503 while draining', async () => {
    const { app, ctx } = await server();
    ctx.draining = true;
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().status, 'not ready');
    assert.deepEqual(res.json().checks.draining, { ok: false });
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'still alive');
  });

  test('/readyz is 503 when a migration is pending, naming it', async () => {
    const { app, rt } = await server();
    rt.migrationStatus = async () => ({ applied: ['0001-initial'], pending: ['0007-connections'] });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json().checks.migrations, { ok: false, pending: ['0007-connections'] });
    assert.deepEqual(res.json().checks.store, { ok: true });
  });

  test('/readyz is 503 when the store is unreachable or does not answer, with a code and no message', async () => {
    const { app, rt } = await server();
    rt.migrationStatus = async () => {
      throw Object.assign(
        new Error(`connect ECONNREFUSED 127.0.0.1:5432 password ${TEST_SECRETS.clientSecret}`),
        {
          code: 'ECONNREFUSED',
        },
      );
    };
    const refused = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(refused.statusCode, 503);
    assert.deepEqual(refused.json().checks.store, { ok: false, code: 'STORE_UNREACHABLE' });
    assert.doesNotMatch(refused.body, /ECONNREFUSED|5432/);
    noSecret(refused.body);
    rt.migrationStatus = () => new Promise(() => {}); // a store that never answers
    const t0 = Date.now();
    const hung = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(hung.statusCode, 503);
    assert.ok(Date.now() - t0 < 10_000, 'answers without waiting for the store');
  });
});

describe('/metrics access', () => {
  test('without a token: loopback clients only, no login needed', async () => {
    const { app, lines } = await server();
    for (const remoteAddress of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1']) {
      const res = await app.inject({ method: 'GET', url: '/metrics', remoteAddress });
      assert.equal(res.statusCode, 200, `${remoteAddress}: ${res.body}`);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      assert.match(res.body, /^dealbridge_records_synced_total\{/m);
    }
    for (const remoteAddress of ['203.0.113.9', '10.0.0.1', '::ffff:192.0.2.1', '2001:db8::1']) {
      const res = await app.inject({ method: 'GET', url: '/metrics', remoteAddress });
      assert.equal(res.statusCode, 403, remoteAddress);
      assert.equal(res.json().error, 'metrics_loopback_only');
    }
    assert.ok(
      lines.some((l) => /metrics refused for 203\.0\.113\.9/.test(l)),
      'refusals are logged',
    );
  });

  test('behind a trusted proxy on this host, a remote client forwarded by it is refused', async () => {
    const { app } = await server({ trustProxy: true });
    const viaProxy = (forwardedFor: string) =>
      app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': forwardedFor },
      });
    assert.equal((await viaProxy('198.51.100.7')).statusCode, 403);
    assert.equal((await viaProxy('127.0.0.1')).statusCode, 200);
    // A direct client saying it is loopback is still not on a loopback socket.
    const spoofed = await app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '198.51.100.7',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    assert.equal(spoofed.statusCode, 403);
  });

  test('with DEALBRIDGE_METRICS_TOKEN: the bearer token, from anywhere; 401 without it', async () => {
    const { app } = await server({ metricsToken: METRICS_TOKEN });
    const get = (headers: Record<string, string>, remoteAddress = '203.0.113.9') =>
      app.inject({ method: 'GET', url: '/metrics', headers, remoteAddress });
    const none = await get({}, '127.0.0.1');
    assert.equal(none.statusCode, 401, 'loopback needs the token too once one is set');
    assert.equal(none.json().error, 'metrics_unauthorized');
    assert.match(String(none.headers['www-authenticate']), /^Bearer /);
    assert.equal((await get({ authorization: `Bearer ${METRICS_TOKEN}x` })).statusCode, 401);
    assert.equal((await get({ authorization: `Basic ${METRICS_TOKEN}` })).statusCode, 401);
    // The web session does not open /metrics.
    const login = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { token: TEST_SECRETS.adminToken },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    assert.equal((await get({ cookie })).statusCode, 401);
    const ok = await get({ authorization: `Bearer ${METRICS_TOKEN}` });
    assert.equal(ok.statusCode, 200);
    noSecret(ok.body);
    // The metrics token opens nothing else.
    const api = await get({ authorization: `Bearer ${METRICS_TOKEN}` });
    assert.equal(api.statusCode, 200);
    const overview = await app.inject({
      method: 'GET',
      url: '/api/overview',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(overview.statusCode, 401);
  });

  test('the rest of the server still wants its login and CSRF token', async () => {
    const { app } = await server();
    assert.equal((await app.inject({ method: 'GET', url: '/api/overview' })).statusCode, 401);
    // Only GET and HEAD of the ops paths are open.
    const post = await app.inject({ method: 'POST', url: '/metrics', payload: {} });
    assert.equal(post.statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/metrics/../api/overview' })).statusCode, 401);
  });

  test('every answer carries its request id', async () => {
    const { app } = await server();
    const a = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'mine' } });
    const b = await app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(a.headers['x-request-id']), /^[0-9a-f-]{36}$/, "a client's own id is not trusted");
    assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
    const proxied = await (
      await server({ trustProxy: true })
    ).app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'from-the-proxy-1' },
    });
    assert.equal(proxied.headers['x-request-id'], 'from-the-proxy-1');
  });
});

test('isLoopback', () => {
  assert.equal(isLoopback('127.0.0.1'), true);
  assert.equal(isLoopback('::1'), true);
  assert.equal(isLoopback('::ffff:127.0.0.2'), true);
  assert.equal(isLoopback('128.0.0.1'), false);
  assert.equal(isLoopback('::ffff:10.0.0.1'), false);
  assert.equal(isLoopback('127.example'), false);
  assert.equal(isLoopback(undefined), false);
});
