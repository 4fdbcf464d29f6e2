import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunk } from './chunk.js';

test('chunk: batches of the size, the last one shorter, none for no items; a size below 1 is refused', () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([], 100), []);
  assert.throws(() => chunk([1], 0), RangeError);
});
