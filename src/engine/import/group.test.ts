import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupPages } from './group.js';

async function* pages(sizes: number[]): AsyncIterable<number[]> {
  let n = 0;
  for (const size of sizes) yield Array.from({ length: size }, () => n++);
}

async function collect(it: AsyncIterable<number[]>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const g of it) out.push(g);
  return out;
}

test('pages are grouped into batches of at least the size, in order, the rest last', async () => {
  const groups = await collect(groupPages(pages([2000, 2000, 2000, 500]), 4000));
  assert.deepEqual(
    groups.map((g) => g.length),
    [4000, 2500],
  );
  assert.deepEqual(
    groups.flat(),
    Array.from({ length: 6500 }, (_, i) => i),
  );
});

test('a size below a page yields every page as it comes; no pages, no group', async () => {
  assert.deepEqual(
    (await collect(groupPages(pages([2000, 700]), 50))).map((g) => g.length),
    [2000, 700],
  );
  assert.deepEqual(await collect(groupPages(pages([]), 4000)), []);
});
