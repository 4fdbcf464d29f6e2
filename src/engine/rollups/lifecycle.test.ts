import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lifecycleOrder, nextLifecycleStage } from './index.js';

const open = { isClosed: false, isWon: false, isDeleted: false };
const won = { isClosed: true, isWon: true, isDeleted: false };
const lost = { isClosed: true, isWon: false, isDeleted: false };
const deletedWon = { ...won, isDeleted: true };
const deletedOpen = { ...open, isDeleted: true };

// [current stage, roles, expected stage to write (null = leave it)]
const cases: [string | null, (typeof open)[], string | null][] = [
  ['lead', [open], 'opportunity'],
  ['subscriber', [open], 'opportunity'],
  ['salesqualifiedlead', [open], 'opportunity'],
  ['lead', [won], 'customer'],
  ['opportunity', [won], 'customer'], // role added after the win, or the deal won
  ['lead', [open, won], 'customer'],
  ['lead', [lost], null], // lost only: no change
  ['lead', [lost, open], 'opportunity'],
  ['opportunity', [open], null], // already there
  ['customer', [open], null], // never backwards
  ['evangelist', [won], null],
  ['customer', [won], null],
  ['other', [won], null], // never changed
  ['Other', [open], null],
  [null, [open], 'opportunity'], // empty → lowest
  ['', [won], 'customer'],
  ['12345678', [open], 'opportunity'], // a custom stage id we do not know → lowest
  ['  LEAD ', [open], 'opportunity'],
  ['lead', [], null],
  ['lead', [deletedWon], null], // a deleted opportunity does not count
  ['lead', [deletedWon, open], 'opportunity'],
  ['lead', [deletedOpen], null],
];

for (const [current, roles, expected] of cases) {
  void test(`lifecycle ${JSON.stringify(current)} with ${JSON.stringify(roles.map((r) => (r.isDeleted ? 'deleted-' : '') + (r.isWon ? 'won' : r.isClosed ? 'lost' : 'open')))} → ${JSON.stringify(expected)}`, () => {
    assert.equal(nextLifecycleStage(current, roles), expected);
  });
}

void test('lifecycle order is HubSpot’s, other excluded', () => {
  assert.deepEqual(lifecycleOrder, [
    'subscriber',
    'lead',
    'marketingqualifiedlead',
    'salesqualifiedlead',
    'opportunity',
    'customer',
    'evangelist',
  ]);
  assert.ok(Object.isFrozen(lifecycleOrder));
});
