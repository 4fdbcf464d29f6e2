// searchSince past the result cap: the window is split at the last timestamp read, the records
// of the first window dropped by id, and every record comes once, with the search pacer asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchSince } from './search-since.js';

interface Req {
  filterGroups: { filters: { value: string }[] }[];
  after?: string;
}

test('past the cap the window starts again at the last timestamp, and no record comes twice', async () => {
  // 500 deals, 2 per millisecond; a cap of 400 (two pages of 200) makes three windows.
  const deals = Array.from({ length: 500 }, (_, i) => ({
    id: String(i + 1),
    properties: { hs_lastmodifieddate: new Date(1_700_000_000_000 + Math.floor(i / 2)).toISOString() },
  }));
  const calls: { from: number; after?: string; search?: boolean }[] = [];
  const t = {
    request: (_m: string, _p: string, body: unknown, o?: { search?: boolean }) => {
      const b = body as Req;
      const from = Number(b.filterGroups[0]!.filters[0]!.value);
      calls.push({ from, ...(b.after ? { after: b.after } : {}), ...(o?.search ? { search: true } : {}) });
      const hits = deals.filter((d) => Date.parse(d.properties.hs_lastmodifieddate) >= from);
      const start = Number(b.after ?? 0);
      const page = hits.slice(start, start + 200);
      const next = start + 200 < hits.length ? { next: { after: String(start + 200) } } : undefined;
      return Promise.resolve({
        status: 200,
        headers: {},
        body: { results: page, ...(next ? { paging: next } : {}) },
      });
    },
  };
  const seen: string[] = [];
  const q = {
    objectType: 'deals' as const,
    property: 'hs_lastmodifieddate',
    since: deals[0]!.properties.hs_lastmodifieddate,
    properties: [],
    what: 'test',
  };
  for await (const page of searchSince(t, (_w, fn) => fn(), q, 400)) seen.push(...page.map((d) => d.id));
  assert.equal(new Set(seen).size, 500, 'every deal');
  assert.equal(seen.length, 500, 'none twice');
  assert.ok(
    calls.every((c) => c.search),
    'through the search pacer',
  );
  const windows = [...new Set(calls.map((c) => c.from))];
  assert.ok(windows.length >= 2, `the window was split: ${windows.join(', ')}`);
  assert.ok(
    calls.every((c) => Number(c.after ?? 0) + 200 <= 400),
    'never pages past the cap',
  );
});
