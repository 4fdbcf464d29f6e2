// Generated records (bulk seeding): built on first use, found by their unique values until then,
// and ordinary records afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore, type Rec } from './objects.js';

function store(count: number, first = 2001): ObjectStore {
  const s = new ObjectStore('deals', ['ext']);
  s.insert({ id: 1500, p: { ext: 'API-1' }, createdAt: 1, updatedAt: 1, archivedAt: 0 });
  s.addGenerated({
    first,
    count,
    make: (i): Rec => ({
      id: first + i,
      p: { ext: `G-${i}`, dealname: `d${i}` },
      createdAt: 2,
      updatedAt: 2,
      archivedAt: 0,
    }),
    find: (prop, key) => (prop === 'ext' && /^G-\d+$/.test(key) ? Number(key.slice(2)) : -1),
  });
  return s;
}

test('untouched generated records are counted, listed, read and found by unique value', () => {
  const s = store(5);
  assert.equal(s.liveCount, 6);
  assert.deepEqual(
    [...s.values()].map((r) => r.id),
    [1500, 2001, 2002, 2003, 2004, 2005],
  );
  assert.equal(s.byUnique('ext', 'G-3')?.id, 2004);
  assert.equal(s.byUnique('ext', 'G-9'), undefined, 'index beyond the range');
  assert.equal(s.get(2006), undefined);
  assert.equal(s.get(2002)?.p.dealname, 'd1');
  assert.equal(s.get(2002), s.get(2002), 'built once, then kept');
  assert.equal(s.conflict('ext', 'G-0'), 2001);
  assert.equal(s.conflict('ext', 'G-0', 2001), undefined, 'not a conflict with itself');
});

test('a generated record whose unique value changed is found by the new value only', () => {
  const s = store(5);
  const r = s.get(2003)!;
  s.apply(r, { ext: 'MOVED' }, 10);
  assert.equal(s.byUnique('ext', 'G-2'), undefined);
  assert.equal(s.byUnique('ext', 'MOVED')?.id, 2003);
  assert.equal(s.conflict('ext', 'G-2'), undefined, 'the old value is free');
  s.archive(s.get(2004)!, 11);
  assert.equal(s.byUnique('ext', 'G-3'), undefined, 'archived records are not found');
  assert.equal(s.liveCount, 5);
});

test('new records after generated ones, a late unique property, and clear', () => {
  const s = store(3);
  s.insert({ id: 2004, p: { ext: 'API-2' }, createdAt: 3, updatedAt: 3, archivedAt: 0 });
  assert.deepEqual(
    [...s.values()].map((r) => r.id),
    [1500, 2001, 2002, 2003, 2004],
  );
  s.addUniqueProperty('dealname');
  assert.equal(s.byUnique('dealname', 'd2')?.id, 2003);
  s.clear();
  assert.equal(s.get(2001), undefined);
  assert.deepEqual([...s.values()], []);
});
