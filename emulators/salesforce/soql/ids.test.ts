import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIdShaped, to18, toCanonicalId } from './ids.js';

test('15 → 18 matches the published example', () => {
  // Example from the salesforce_id_converter README (github.com/amureki/salesforce_id_converter).
  assert.equal(to18('00558000001N0Ke'), '00558000001N0KeAAK');
});

test('an 18-character id in any case maps back to the canonical id', () => {
  assert.equal(toCanonicalId('00558000001n0keaak'), '00558000001N0KeAAK');
  assert.equal(toCanonicalId('00558000001N0KEAAK'), '00558000001N0KeAAK');
  assert.equal(toCanonicalId('00558000001N0Ke'), '00558000001N0KeAAK');
});

test('non-ids are refused', () => {
  assert.equal(toCanonicalId('abc'), undefined);
  assert.equal(toCanonicalId('00558000001N0K-'), undefined);
  assert.equal(isIdShaped('0055800000 N0Ke'), false);
  assert.equal(isIdShaped('00558000001N0Ke'), true);
});
