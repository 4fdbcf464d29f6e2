// Issue #10 §4: after a checkout installed without the UI bundle, a page says what to run instead
// of a bare 404 after login; `npm install` builds the bundle (package.json `prepare`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildServer } from './app.js';

test('a missing web bundle answers pages with what to run; the API keeps its 404', async () => {
  const app = await buildServer({ adminToken: 'a-token-of-enough-length', webRoot: '/nonexistent/web/dist' });
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { token: 'a-token-of-enough-length' },
    });
    assert.equal(login.statusCode, 200);
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const page = await app.inject({ method: 'GET', url: '/import', headers: { cookie } });
    assert.equal(page.statusCode, 503);
    assert.match(page.body, /npm run build:web/);
    const api = await app.inject({ method: 'GET', url: '/api/nothing-here', headers: { cookie } });
    assert.notEqual(api.statusCode, 503);
  } finally {
    await app.close();
  }
});

test('npm install builds the web UI: package.json has a prepare script that runs the build', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  };
  assert.equal(pkg.scripts.prepare, 'node scripts/prepare.mjs');
  assert.match(
    readFileSync(new URL('../../scripts/prepare.mjs', import.meta.url), 'utf8'),
    /vite\.config\.ts/,
  );
});
