import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdMap } from './id-map.js';

test('ascending ids, gaps, ids below the base and far beyond it all round-trip', () => {
  const m = new IdMap<string>();
  m.set(1001, 'a');
  m.set(1002, 'b');
  m.set(1010, 'c'); // small gap: dense
  m.set(5, 'low'); // below the base: sparse
  m.set(10_000_000, 'far'); // far beyond: sparse
  m.set(1002, 'B'); // overwrite keeps the size
  assert.equal(m.size, 5);
  assert.deepEqual(
    [1001, 1002, 1003, 1010, 5, 10_000_000].map((id) => m.get(id)),
    ['a', 'B', undefined, 'c', 'low', 'far'],
  );
  assert.deepEqual([...m.values()], ['a', 'B', 'c', 'low', 'far']);
  assert.deepEqual(
    [...m.entries()].map(([k]) => k),
    [1001, 1002, 1010, 5, 10_000_000],
  );
  assert.equal(m.delete(1002), true);
  assert.equal(m.delete(1002), false);
  assert.equal(m.delete(5), true);
  assert.equal(m.size, 3);
  assert.equal(m.has(1002), false);
  m.clear();
  assert.equal(m.size, 0);
  m.set(7, 'x');
  assert.equal(m.get(7), 'x');
});
