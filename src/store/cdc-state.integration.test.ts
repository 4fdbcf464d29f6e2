import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from './testing/dialects.js';

describeEachDialect('store: Change Data Capture state (migrations 0007, 0011)', (h) => {
  test('the replay id moves only with its transaction; the status keeps it', async () => {
    const store = await h.open();
    const ch = '/data/ChangeEvents';
    assert.equal(await store.getCdcState(ch), undefined);
    await store.saveCdcStatus(ch, 'connecting', null);
    await store.transaction(() => store.saveReplayId(ch, '17', '2026-12-04T10:00:00.000Z'));
    await assert.rejects(
      store.transaction(async () => {
        await store.saveReplayId(ch, '42', '2026-12-04T10:00:05.000Z');
        throw new Error('the outcome could not be stored');
      }),
    );
    await store.saveCdcStatus(ch, 'down', 'connection dropped', 'CDC_STREAM_DOWN');
    const s = await store.getCdcState(ch);
    assert.equal(s?.replayId, '17', 'a rolled-back outcome leaves the replay id where it was');
    assert.equal(s?.lastEventAt, '2026-12-04T10:00:00.000Z');
    assert.equal(s?.status, 'down');
    assert.equal(s?.reason, 'connection dropped');
    assert.equal(s?.code, 'CDC_STREAM_DOWN', 'the catalogue code is kept with the status (migration 0011)');
    assert.match(s?.updatedAt ?? '', /^\d{4}-\d\d-\d\dT/);
    await store.clearReplayId(ch);
    assert.equal((await store.getCdcState(ch))?.replayId, null);
    assert.equal((await store.getCdcState(ch))?.status, 'down');
    await store.saveCdcStatus(ch, 'live', null);
    assert.equal((await store.getCdcState(ch))?.code, null, 'a status without a code clears it');
  });

  test('event deliveries are counted apart from REST calls', async () => {
    const store = await h.open();
    await store.recordApiCalls('salesforce', 3, '2026-12-04T10:10:00.000Z');
    await store.recordApiCalls('salesforce-events', 40, '2026-12-04T10:20:00.000Z');
    assert.deepEqual(await store.apiCalls('salesforce-events', '2026-12-04T09:00:00.000Z'), [
      { hour: '2026-12-04T10:00:00.000Z', count: 40 },
    ]);
    assert.deepEqual(await store.apiCalls('salesforce', '2026-12-04T09:00:00.000Z'), [
      { hour: '2026-12-04T10:00:00.000Z', count: 3 },
    ]);
  });
});
