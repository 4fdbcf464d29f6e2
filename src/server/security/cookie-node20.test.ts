// cookie@2 (under @fastify/cookie and light-my-request) declares `engines.node >= 22`, the project
// runs on Node >= 20.19. Rather than pin an older cookie through `overrides`, this shows that the
// functions the server relies on work on the Node running the tests (CI runs the minimum, 20), and
// fails if cookie's declared floor moves past what package.json promises without anyone noticing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { parseCookie, stringifySetCookie } from 'cookie';
import { buildServer } from '../app.js';

const require = createRequire(import.meta.url);
const manifest = (entry: string) =>
  JSON.parse(readFileSync(join(dirname(require.resolve(entry)), '..', 'package.json'), 'utf8')) as {
    version: string;
    engines?: { node?: string };
  };
const ours = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};

test('the Node floor is the one docs/security.md explains (cookie@2 says >= 22, we run on >= 20.19)', () => {
  const cookie = manifest('cookie');
  assert.match(cookie.version, /^2\./);
  assert.equal(cookie.engines?.node, '>=22', 'cookie changed its floor: update docs/security.md');
  assert.equal(ours.engines.node, '>=20.19');
});

test("cookie's parse and Set-Cookie serialisation work on this Node, with the options the session uses", async () => {
  const header = stringifySetCookie({
    name: 'dealbridge_session',
    value: 'abc-DEF_123',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: '/',
  });
  assert.match(header, /^dealbridge_session=abc-DEF_123; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  assert.deepEqual(
    { ...parseCookie('a=1; dealbridge_session=abc-DEF_123') },
    {
      a: '1',
      dealbridge_session: 'abc-DEF_123',
    },
  );
  // And through @fastify/cookie and light-my-request, as the server uses them.
  const app = await buildServer({ adminToken: 'test-admin-token-0123456789', secureCookies: true });
  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { token: 'test-admin-token-0123456789' },
  });
  assert.match(String(login.headers['set-cookie']), /HttpOnly; Secure; SameSite=Strict/);
  const session = await app.inject({
    method: 'GET',
    url: '/api/session',
    cookies: { dealbridge_session: String(login.cookies[0]?.value) },
  });
  assert.equal(session.statusCode, 200);
});
