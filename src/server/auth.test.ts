import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildServer } from './app.js';

const adminToken = 'test-admin-token-0123456789';

async function server() {
  return buildServer({
    adminToken,
    routes: (app) => {
      app.get('/api/secret', async () => ({ secret: 'pipeline data' }));
      app.post('/api/action', async () => ({ done: true }));
    },
  });
}

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? String(raw[0]) : String(raw);
  return first.split(';')[0] ?? '';
}

test('a request without a session gets 401 and no data', async () => {
  const app = await server();
  const api = await app.inject({ method: 'GET', url: '/api/secret' });
  assert.equal(api.statusCode, 401);
  assert.doesNotMatch(api.body, /pipeline data/);
  const page = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 401);
  assert.match(page.body, /Admin token/);
  const post = await app.inject({ method: 'POST', url: '/api/action' });
  assert.equal(post.statusCode, 401);
});

test('login sets an HttpOnly SameSite=Strict session cookie; a wrong token is refused', async () => {
  const app = await server();
  const bad = await app.inject({ method: 'POST', url: '/api/login', payload: { token: 'nope' } });
  assert.equal(bad.statusCode, 401);
  assert.equal(bad.headers['set-cookie'], undefined);
  const ok = await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } });
  assert.equal(ok.statusCode, 200);
  const setCookie = String(ok.headers['set-cookie']);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  const res = await app.inject({ method: 'GET', url: '/api/secret', headers: { cookie: cookieOf(ok) } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { secret: 'pipeline data' });
});

test('state-changing requests need the CSRF token of the session', async () => {
  const app = await server();
  const login = await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } });
  const cookie = cookieOf(login);
  const { csrfToken } = login.json<{ csrfToken: string }>();
  const without = await app.inject({ method: 'POST', url: '/api/action', headers: { cookie } });
  assert.equal(without.statusCode, 403);
  const wrong = await app.inject({
    method: 'POST',
    url: '/api/action',
    headers: { cookie, 'x-csrf-token': 'x' },
  });
  assert.equal(wrong.statusCode, 403);
  const right = await app.inject({
    method: 'POST',
    url: '/api/action',
    headers: { cookie, 'x-csrf-token': csrfToken },
  });
  assert.equal(right.statusCode, 200);
});

test('logout ends the session', async () => {
  const app = await server();
  const login = await app.inject({ method: 'POST', url: '/api/login', payload: { token: adminToken } });
  const cookie = cookieOf(login);
  const { csrfToken } = login.json<{ csrfToken: string }>();
  const out = await app.inject({
    method: 'POST',
    url: '/api/logout',
    headers: { cookie, 'x-csrf-token': csrfToken },
  });
  assert.equal(out.statusCode, 200);
  const after = await app.inject({ method: 'GET', url: '/api/secret', headers: { cookie } });
  assert.equal(after.statusCode, 401);
});
