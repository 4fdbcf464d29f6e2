import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { keyId, newSecretKey, open, parseSecretKey, seal, SealError } from './cipher.js';

const key = randomBytes(32);

test('a sealed value opens with its key and row, and holds no plaintext', () => {
  const secret = 'refresh-token-5Aep861TSESvWeug_xvFHRBTTbf';
  const sealed = seal(key, secret, 'default/salesforce');
  assert.ok(!sealed.includes(secret));
  assert.ok(!Buffer.from(sealed).toString('latin1').includes('5Aep'));
  assert.equal(open(key, sealed, 'default/salesforce'), secret);
  assert.notEqual(seal(key, secret, 'default/salesforce'), sealed, 'a fresh IV every time');
});

test('a wrong key, another row or a changed byte does not open', () => {
  const sealed = seal(key, 'x', 'default/hubspot');
  assert.throws(() => open(randomBytes(32), sealed, 'default/hubspot'), SealError);
  assert.throws(() => open(key, sealed, 'other/hubspot'), SealError);
  const parts = sealed.split('.');
  const body = Buffer.from(parts[3]!, 'base64url');
  body[0] = body[0]! ^ 1;
  parts[3] = body.toString('base64url');
  assert.throws(() => open(key, parts.join('.'), 'default/hubspot'), SealError);
  assert.throws(() => open(key, 'v0.a.b.c', 'default/hubspot'), SealError);
});

test('keys are 32 bytes as base64 or hex; anything else is refused; ids differ per key', () => {
  const b64 = newSecretKey();
  assert.equal(parseSecretKey(b64)?.length, 32);
  assert.equal(parseSecretKey(randomBytes(32).toString('hex'))?.length, 32);
  assert.equal(parseSecretKey('short'), undefined);
  assert.equal(parseSecretKey(randomBytes(16).toString('base64')), undefined);
  assert.equal(parseSecretKey(randomBytes(31).toString('hex')), undefined);
  assert.notEqual(keyId(parseSecretKey(b64)!), keyId(randomBytes(32)));
  assert.match(keyId(key), /^[0-9a-f]{16}$/);
});
