import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CURSOR_CONTACT_ROLES, CURSOR_OPPORTUNITIES } from './sync/change-feed.js';
import { readSettings, readSyncStartedAt, settingParsers, writeSetting } from './user-settings.js';
import { FakeSalesforce, MemoryStore } from './testing/fakes.js';

describe('settings', () => {
  test('parse the CLI forms and reject others', () => {
    assert.equal(settingParsers.opportunitySync('on'), true);
    assert.equal(settingParsers.opportunitySync('OFF'), false);
    assert.throws(() => settingParsers.opportunitySync('maybe'), /on or off/);
    assert.equal(settingParsers.recentDealAmountRule('closed'), 'closed');
    assert.throws(() => settingParsers.recentDealAmountRule('latest'), /created or closed/);
    assert.equal(settingParsers.fallbackOwnerId('none'), null);
    assert.throws(() => settingParsers.salesforceBudgetPercent('120'));
  });

  test('opportunity sync is off by default; turning it on starts both cursors at Salesforce time', async () => {
    const store = new MemoryStore();
    const sf = new FakeSalesforce();
    sf.clock = Date.parse('2024-03-01T12:00:00.000Z');
    assert.equal((await readSettings(store)).opportunitySync, false);
    await assert.rejects(writeSetting(store, 'opportunitySync', true), /Salesforce/);
    const r = await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    assert.equal(r.cursorStart, '2024-03-01T12:00:00.000Z');
    assert.equal(await readSyncStartedAt(store), '2024-03-01T12:00:00.000Z', 'T of the scope contract');
    assert.deepEqual(await store.getCursor(CURSOR_OPPORTUNITIES), {
      modstamp: '2024-03-01T12:00:00.000Z',
      id: '',
    });
    assert.deepEqual(await store.getCursor(CURSOR_CONTACT_ROLES), {
      modstamp: '2024-03-01T12:00:00.000Z',
      id: '',
    });
    // On again: the cursors stay where the sync has got to.
    await store.setCursor(CURSOR_OPPORTUNITIES, { modstamp: '2024-03-02T00:00:00.000Z', id: '006X' });
    sf.clock += 86_400_000;
    assert.equal((await writeSetting(store, 'opportunitySync', true, { salesforce: sf })).changed, false);
    assert.equal((await store.getCursor(CURSOR_OPPORTUNITIES))?.id, '006X');
    assert.equal(await readSyncStartedAt(store), '2024-03-01T12:00:00.000Z', 'T stays');
  });
});
