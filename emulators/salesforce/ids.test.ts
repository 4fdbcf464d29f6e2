import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idSuffix, makeId, normalizeId } from './ids.js';

test('the case-safe suffix encodes upper-case positions per 5-character chunk', () => {
  // 001A0 | 00000 | 6Vm9r: 'A' at position 3 → 8 → I; none → A; 'V' at position 1 → 2 → C.
  assert.equal(idSuffix('001A0000006Vm9r'), 'IAC');
  assert.equal(idSuffix('001000000000000'), 'AAA');
  assert.equal(idSuffix('ZZZZZZZZZZZZZZZ'), '555');
});

test('15-character ids get their suffix; 18-character ids are case-insensitive', () => {
  assert.equal(normalizeId('001A0000006Vm9r'), '001A0000006Vm9rIAC');
  assert.equal(normalizeId('001a0000006vm9riac'), '001A0000006Vm9rIAC');
  assert.equal(normalizeId('001A0000006VM9RIAC'), '001A0000006Vm9rIAC');
  assert.equal(normalizeId('001A0000006Vm9rIAD'), undefined, 'digit/letter mismatch cannot be repaired');
  assert.equal(normalizeId('001A0000006Vm9'), undefined);
  assert.equal(normalizeId('001A0000006Vm9r-AC'), undefined);
});

test('generated ids carry the key prefix and a valid suffix', () => {
  for (const n of [0, 1, 61, 62, 123_456_789]) {
    const id = makeId('006', n);
    assert.equal(id.length, 18);
    assert.ok(id.startsWith('006'));
    assert.equal(normalizeId(id.toLowerCase()), id);
    assert.equal(idSuffix(id.slice(0, 15)), id.slice(15));
  }
  assert.notEqual(makeId('006', 1), makeId('006', 2));
});
