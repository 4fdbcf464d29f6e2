// The Records search ("by name or ID", issue #17 §4/§5) on each store: a 15-character id, an
// 18-character id typed in upper (or lower) case, a HubSpot deal id, and names whose `%`, `_`,
// quotes and backslashes are plain characters, never wildcards or syntax.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { to18 } from '../../domain/salesforce-id.js';
import { MemoryStore } from '../../engine/testing/memory-store.js';
import { describeEachDialect } from '../../store/testing/dialects.js';
import { dealLink, opp } from '../../store/testing/fixtures.js';
import { searchOpportunities, type SearchStore } from './opportunity-search.js';

// Mixed case on purpose: the 15-character form is case-sensitive.
const ID = to18('006Ab00000XyZ1q');
const OTHER = to18('006ab00000xyz1Q');
const NAMES = {
  [ID]: 'Globex 100% deal',
  [OTHER]: 'Initech_upsell',
  [to18('006Ab00000QQQ1a')]: "O'Brien \\ Sons",
  [to18('006Ab00000QQQ2a')]: 'Umbrella 1000 deal',
  [to18('006Ab00000QQQ3a')]: 'Initech-upsell',
};

type Seedable = SearchStore & Pick<MemoryStore, 'saveOpportunities' | 'saveDealLinks'>;

async function check(store: Seedable) {
  await store.saveOpportunities(Object.entries(NAMES).map(([id, name]) => opp(id, { name })));
  await store.saveDealLinks([dealLink(ID, { dealId: '9876543210' })]);
  const ids = async (q: string) => (await searchOpportunities(store, q)).map((h) => h.id);

  assert.deepEqual(await ids(ID), [ID], '18-char id as stored');
  assert.deepEqual(await ids(ID.slice(0, 15)), [ID], '15-char id');
  assert.deepEqual(await ids(ID.toUpperCase()), [ID], 'upper-case 18-char id');
  assert.deepEqual(await ids(ID.toLowerCase()), [ID], 'lower-case 18-char id');
  assert.deepEqual(await ids(OTHER.slice(0, 15)), [OTHER], 'the other case of the same letters');
  assert.deepEqual(await ids('9876543210'), [ID], 'HubSpot deal id');

  assert.deepEqual(await ids('100%'), [ID], '% literal');
  assert.deepEqual(await ids('%'), [ID]);
  assert.deepEqual(await ids('_'), [OTHER], '_ literal, not any one character');
  assert.deepEqual(await ids("O'Brien"), [to18('006Ab00000QQQ1a')], 'a quote');
  assert.deepEqual(await ids('\\'), [to18('006Ab00000QQQ1a')], 'a backslash');
  assert.deepEqual(await ids("' OR 1=1 --"), []);
}

describeEachDialect('Records search', (h) => {
  test('ids in every form, deal ids, and literal % _ quote backslash', async () => {
    await check(await h.open());
  });
});

test('Records search on the in-memory test store behaves the same', async () => {
  await check(new MemoryStore());
});
