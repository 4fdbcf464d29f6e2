// Security headers on every answer, no-store on the API, the origin check on state-changing
// requests (login included), and body size limits.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildServer } from '../app.js';

const adminToken = 'test-admin-token-0123456789';
const webRoot = mkdtempSync(join(tmpdir(), 'dealbridge-headers-'));
mkdirSync(join(webRoot, 'assets'));
writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(webRoot, 'assets', 'index-abc.js'), 'console.log(1)');
after(() => rmSync(webRoot, { recursive: true, force: true }));

async function server() {
  return buildServer({
    adminToken,
    webRoot,
    routes: (app) => {
      app.get('/api/thing', async () => ({ ok: true }));
      app.post('/api/thing', async (req) => ({ got: req.body }));
    },
  });
}

async function session(app: Awaited<ReturnType<typeof server>>) {
  const login = await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } });
  const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
  return { cookie, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
}

test('every answer carries a strict CSP, no framing, nosniff and no referrer', async () => {
  const app = await server();
  const headers = await session(app);
  for (const res of [
    await app.inject({ method: 'GET', url: '/login' }),
    await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } }),
    await app.inject({ method: 'GET', url: '/', headers: { cookie: headers.cookie } }),
    await app.inject({ method: 'GET', url: '/api/thing', headers: { cookie: headers.cookie } }),
    await app.inject({ method: 'GET', url: '/api/thing' }),
  ]) {
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'none'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
  }
});

test('API answers and the login page are no-store; hashed bundle files may be cached', async () => {
  const app = await server();
  const { cookie } = await session(app);
  const api = await app.inject({ method: 'GET', url: '/api/thing', headers: { cookie } });
  assert.equal(api.headers['cache-control'], 'no-store');
  const refused = await app.inject({ method: 'GET', url: '/api/thing' });
  assert.equal(refused.headers['cache-control'], 'no-store');
  const login = await app.inject({ method: 'GET', url: '/login' });
  assert.equal(login.headers['cache-control'], 'no-store');
  const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js', headers: { cookie } });
  assert.equal(asset.statusCode, 200);
  assert.notEqual(asset.headers['cache-control'], 'no-store');
});

test('the login page has no inline script or style (the CSP would block them)', async () => {
  const app = await server();
  const page = (await app.inject({ method: 'GET', url: '/login' })).body;
  assert.doesNotMatch(page, /<script|<style|\sstyle=|\son\w+=/i);
  const css = await app.inject({ method: 'GET', url: '/login.css' });
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers['content-type']), /text\/css/);
});

test('a state-changing request from another origin is refused, with or without the CSRF token', async () => {
  const app = await server();
  const headers = await session(app);
  const post = (extra: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/thing', headers: { ...headers, ...extra }, payload: { a: 1 } });
  assert.equal((await post({})).statusCode, 200, 'no Origin: a non-browser client with the token');
  assert.equal((await post({ origin: 'http://localhost:80' })).statusCode, 200, 'own origin');
  assert.equal(
    (await post({ origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode,
    200,
  );
  // Another port of the same host is the same site but not the same origin.
  assert.equal((await post({ origin: 'http://localhost:8081' })).statusCode, 403);
  assert.equal((await post({ origin: 'https://evil.example' })).statusCode, 403);
  assert.equal((await post({ origin: 'null' })).statusCode, 403);
  // Chromium's form POST under Referrer-Policy: no-referrer: Origin null, Sec-Fetch-Site says same-origin.
  assert.equal((await post({ origin: 'null', 'sec-fetch-site': 'same-origin' })).statusCode, 200);
  assert.equal((await post({ origin: 'null', 'sec-fetch-site': 'cross-site' })).statusCode, 403);
  assert.equal((await post({ 'sec-fetch-site': 'same-site' })).statusCode, 403);
  assert.equal((await post({ 'sec-fetch-site': 'cross-site' })).statusCode, 403);
  // Login itself (no session, no CSRF token yet) is covered by the origin check: no login CSRF.
  const crossLogin = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    payload: `token=${adminToken}`,
  });
  assert.equal(crossLogin.statusCode, 403);
  assert.equal(crossLogin.headers['set-cookie'], undefined);
});

test('request bodies are size-limited: API 100 KiB, login 4 KiB', async () => {
  const app = await server();
  const headers = { ...(await session(app)), 'content-type': 'application/json' };
  const big = await app.inject({
    method: 'POST',
    url: '/api/thing',
    headers,
    payload: JSON.stringify({ a: 'x'.repeat(200 * 1024) }),
  });
  assert.equal(big.statusCode, 413);
  const fine = await app.inject({
    method: 'POST',
    url: '/api/thing',
    headers,
    payload: JSON.stringify({ a: 'x'.repeat(50 * 1024) }),
  });
  assert.equal(fine.statusCode, 200);
  const bigLogin = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ token: 'x'.repeat(10 * 1024) }),
  });
  assert.equal(bigLogin.statusCode, 413);
  const bigForm = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `token=${'x'.repeat(10 * 1024)}`,
  });
  assert.equal(bigForm.statusCode, 413);
});
