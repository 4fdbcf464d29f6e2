import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DealbridgeError } from '../errors/index.js';
import { challengeOf, newVerifier } from './pkce.js';
import { loginKindOf, loginUrlOf } from './login-url.js';

test('login URLs: production, sandbox, My Domain (https, or http on loopback only)', () => {
  assert.equal(loginUrlOf('production'), 'https://login.salesforce.com');
  assert.equal(loginUrlOf('sandbox'), 'https://test.salesforce.com');
  assert.equal(
    loginUrlOf('mydomain', 'https://acme.my.salesforce.com/some/path'),
    'https://acme.my.salesforce.com',
  );
  assert.equal(loginUrlOf('mydomain', 'http://127.0.0.1:4567'), 'http://127.0.0.1:4567');
  for (const bad of ['http://acme.my.salesforce.com', 'ftp://x', 'not a url', ''])
    assert.throws(
      () => loginUrlOf('mydomain', bad),
      (e) => e instanceof DealbridgeError && e.code === 'CONFIG_INVALID',
    );
  assert.equal(loginKindOf('https://test.salesforce.com'), 'sandbox');
  assert.equal(loginKindOf('https://acme.my.salesforce.com'), 'mydomain');
});

test('PKCE: a 43-character base64url verifier and its S256 challenge (RFC 7636 appendix B)', () => {
  const v = newVerifier();
  assert.match(v, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newVerifier(), v);
  assert.equal(
    challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  );
});
