// Login hardening (issue #17 §4/§5): throttled wrong tokens with a log line, a one-time login link
// instead of the token in a URL, sessions that expire idle and absolutely, token rotation, the
// Secure flag, and low-entropy tokens refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminTokenSchema } from '../../config/index.js';
import { buildServer, type ServerOptions } from '../app.js';
import { loginDelayMs } from './login-throttle.js';

const adminToken = 'test-admin-token-0123456789';

function logSink() {
  const lines: string[] = [];
  return { lines, stream: { write: (l: string) => lines.push(l) } };
}

async function server(extra: Partial<ServerOptions> = {}) {
  return buildServer({
    adminToken,
    routes: (app) => {
      app.get('/api/secret', async () => ({ secret: 'pipeline data' }));
    },
    ...extra,
  });
}

const cookieOf = (res: { headers: Record<string, unknown> }) => {
  const raw = res.headers['set-cookie'];
  return (Array.isArray(raw) ? String(raw[0]) : String(raw)).split(';')[0] ?? '';
};

test('200 wrong tokens in a burst: a few are checked, the rest wait, and it is logged', async () => {
  const log = logSink();
  const clock = { t: 1_000_000 };
  const app = await server({ logStream: log.stream, now: () => clock.t });
  const codes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/login', payload: { token: `wrong-${i}` } });
    codes.push(res.statusCode);
  }
  const checked = codes.filter((c) => c === 401).length;
  assert.ok(checked <= 6, `only the first few are compared (${checked})`);
  assert.equal(codes.filter((c) => c === 429).length, 200 - checked);
  // The right token from the same address waits too: guessing cannot go faster than the delay.
  const blocked = await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } });
  assert.equal(blocked.statusCode, 429);
  assert.ok(Number(blocked.headers['retry-after']) >= 1);
  assert.ok(log.lines.some((l) => /login failed for 127\.0\.0\.1/.test(l)));
  assert.ok(log.lines.some((l) => /too many wrong tokens/.test(l)));
  assert.ok(!log.lines.some((l) => l.includes(adminToken)), 'the token is never logged');
  // Another address is not held up by this one.
  const other = await app.inject({
    method: 'POST',
    url: '/api/login',
    remoteAddress: '10.0.0.9',
    payload: { token: adminToken },
  });
  assert.equal(other.statusCode, 200);
  // Once the delay has passed, the right token works and clears the count.
  clock.t += 60 * 60_000;
  const later = await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } });
  assert.equal(later.statusCode, 200);
});

test('the delay grows with each wrong token after the free ones, up to a cap', () => {
  assert.equal(loginDelayMs(1), 0);
  assert.equal(loginDelayMs(5), 0);
  const d = [6, 7, 8, 9].map((n) => loginDelayMs(n));
  assert.ok(
    d.every((x, i) => i === 0 || x === 2 * (d[i - 1] ?? 0)),
    `doubling: ${d.join(',')}`,
  );
  assert.equal(loginDelayMs(1000), 15 * 60_000);
});

test('a token in a URL is refused; the one-time login code works once and expires', async () => {
  const clock = { t: 5_000_000 };
  const app = await server({ now: () => clock.t });
  const byToken = await app.inject({ method: 'GET', url: `/login?token=${adminToken}` });
  assert.equal(byToken.statusCode, 400);
  assert.equal(byToken.headers['set-cookie'], undefined);

  const code = app.dealbridge.issueLoginCode();
  assert.ok(!code.includes(adminToken));
  const first = await app.inject({ method: 'GET', url: `/login?code=${code}` });
  assert.equal(first.statusCode, 302);
  const ok = await app.inject({ method: 'GET', url: '/api/secret', headers: { cookie: cookieOf(first) } });
  assert.equal(ok.statusCode, 200);
  const again = await app.inject({ method: 'GET', url: `/login?code=${code}` });
  assert.equal(again.statusCode, 401, 'used codes are dead');
  assert.equal(again.headers['set-cookie'], undefined);

  const stale = app.dealbridge.issueLoginCode();
  clock.t += 5 * 60_000 + 1;
  const expired = await app.inject({ method: 'GET', url: `/login?code=${stale}` });
  assert.equal(expired.statusCode, 401, 'codes expire unused');
});

test('sessions end when idle, and at their absolute lifetime even when busy', async () => {
  const clock = { t: 0 };
  const app = await server({
    now: () => clock.t,
    sessionLifetimes: { idleTimeoutMs: 10_000, absoluteTimeoutMs: 25_000 },
  });
  const login = async () =>
    cookieOf(await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } }));
  const get = async (cookie: string) =>
    (await app.inject({ method: 'GET', url: '/api/secret', headers: { cookie } })).statusCode;

  const idle = await login();
  clock.t += 10_001;
  assert.equal(await get(idle), 401, 'idle too long');

  const busy = await login();
  for (let i = 0; i < 4; i++) {
    clock.t += 6_000;
    assert.equal(await get(busy), 200, `used every 6 s (${clock.t})`);
  }
  clock.t += 6_000;
  assert.equal(await get(busy), 401, 'past the absolute lifetime despite use');
});

test('rotating the admin token ends every session, and only the new token logs in', async () => {
  const app = await server();
  const login = await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } });
  const cookie = cookieOf(login);
  const next = 'rotated-admin-token-9876543210';
  app.dealbridge.rotateAdminToken(next);
  assert.equal(
    (await app.inject({ method: 'GET', url: '/api/secret', headers: { cookie } })).statusCode,
    401,
  );
  const old = await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } });
  assert.equal(old.statusCode, 401);
  const fresh = await app.inject({ method: 'POST', url: '/api/login', payload: { token: next } });
  assert.equal(fresh.statusCode, 200);
  assert.throws(() => app.dealbridge.rotateAdminToken('aaaaaaaaaaaaaaaa'), /too easy to guess/);
});

test('the cookie is Secure with secureCookies, or behind a trusted proxy that says https', async () => {
  const login = { method: 'POST' as const, url: '/api/login', payload: { token: adminToken } };
  const plain = await (await server()).inject(login);
  assert.doesNotMatch(String(plain.headers['set-cookie']), /Secure/);
  const secure = await (await server({ secureCookies: true })).inject(login);
  assert.match(String(secure.headers['set-cookie']), /; Secure/);
  const proxied = await (
    await server({ trustProxy: true })
  ).inject({ ...login, headers: { 'x-forwarded-proto': 'https' } });
  assert.match(String(proxied.headers['set-cookie']), /; Secure/);
  const untrusted = await (await server()).inject({ ...login, headers: { 'x-forwarded-proto': 'https' } });
  assert.doesNotMatch(
    String(untrusted.headers['set-cookie']),
    /Secure/,
    'X-Forwarded-* ignored unless trusted',
  );
});

test('low-entropy admin tokens are refused by the one rule, with a reason', async () => {
  for (const bad of ['aaaaaaaaaaaaaaaa', 'abababababababab', 'passwordpassword', 'aabbccaabbccaabbx']) {
    const r = adminTokenSchema.safeParse(bad);
    assert.equal(r.success, false, bad);
    assert.match(r.error?.issues[0]?.message ?? '', /too easy to guess/);
    await assert.rejects(buildServer({ adminToken: bad }), /too easy to guess/);
  }
  assert.equal(adminTokenSchema.safeParse(adminToken).success, true);
});
