// The Connections API over the in-memory runtime (inject, no socket): the state and callback URL,
// the start's authorize URL with PKCE and state, a bad My Domain URL refused with its field, and the
// public callback refusing a state it did not issue (no session needed, none granted).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiClient } from './testing.js';

test('GET state, POST start (authorize URL with S256 challenge and state), a bad login URL refused', async () => {
  const c = await apiClient();
  const status = (await c.get('/api/connections/salesforce')).json();
  assert.equal(status.source, 'configuration', 'the fake runtime has configured credentials: they win');
  assert.equal(status.connected, false);
  assert.match(status.callbackUrl, /^http:\/\/localhost(:\d+)?\/connect\/salesforce\/callback$/);

  const bad = await c.send('POST', '/api/connections/salesforce/start', {
    loginKind: 'mydomain',
    loginUrl: 'http://acme.my.salesforce.com',
    clientId: 'id',
    clientSecret: 'secret',
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.json().field, 'loginUrl');
  assert.match(bad.json().message, /https/);

  const started = await c.send('POST', '/api/connections/salesforce/start', {
    loginKind: 'sandbox',
    clientId: '3MVG9-client',
    clientSecret: 'SECRET-connected-app',
  });
  assert.equal(started.status, 200);
  const url = new URL(started.json().authorizeUrl);
  assert.equal(url.origin + url.pathname, 'https://test.salesforce.com/services/oauth2/authorize');
  assert.equal(url.searchParams.get('client_id'), '3MVG9-client');
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.match(url.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{32}$/);
  assert.ok(!started.body.includes('SECRET-connected-app'));
  const after = (await c.get('/api/connections/salesforce')).json();
  assert.equal(after.clientId, '3MVG9-client');
  assert.equal(after.hasClientSecret, true);
  assert.ok(!JSON.stringify(after).includes('SECRET-connected-app'), 'the secret never comes back');
});

test('the callback needs no session and refuses a state it did not issue', async () => {
  const c = await apiClient();
  const r = await c.app.inject({
    method: 'GET',
    url: '/connect/salesforce/callback?code=aPrx1&state=forged',
  });
  assert.equal(r.statusCode, 400);
  assert.match(String(r.headers['content-type']), /text\/html/);
  assert.match(r.body, /OAUTH_STATE_MISMATCH/);
  assert.match(
    r.body,
    /<meta http-equiv="refresh" content="0;url=\/connections\?error=OAUTH_STATE_MISMATCH">/,
  );
  assert.equal(r.headers['set-cookie'], undefined, 'no session is made');
  const api = await c.app.inject({ method: 'GET', url: '/api/connections/salesforce' });
  assert.equal(api.statusCode, 401, 'the rest of the API still needs the session');
});
