// Change Data Capture end to end: both emulators, the real adapters (jsforce's streaming client),
// the SQLite store and runLiveSync as `sync` runs it. Polling is set far apart (10 minutes while
// CDC is live) so what arrives within seconds came by the live path, unless a test says otherwise.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { formatStatus, readStatus } from '../status/read-status.js';
import {
  closeWorld,
  collection,
  dealsOf,
  live,
  opportunity,
  SELECTED,
  until,
  world,
  type World,
} from '../testing/cdc-world.js';

describe('Change Data Capture, end to end', () => {
  let w: World;
  before(async () => {
    w = await world();
    await w.sfEmu.admin.call('POST', 'cdc/selection', { entities: SELECTED });
    w.start();
    await live(w);
  });
  after(() => closeWorld(w));
  afterEach(async () => {
    await w.sfEmu.admin.call('POST', 'cdc/overflow', { threshold: 100_000 });
  });

  test('create, update, delete and undelete reach HubSpot through CDC, the replay id stored after', async () => {
    const passesBefore = w.passes;
    const { oppId } = await opportunity(w, 'Live create');
    const deal = await until('the deal', () => w.hsRest.dealOf(oppId, ['amount']));
    assert.equal(deal.properties.dealname, 'Live create');
    await w.sfRest.update('Opportunity', oppId, { Amount: 4321.5 });
    await until(
      'the amount',
      async () => (await w.hsRest.dealOf(oppId, ['amount']))?.properties.amount === '4321.5',
    );
    await w.sfRest.delete('Opportunity', oppId);
    await until('the archive', async () => (await w.hsRest.dealOf(oppId)) === undefined);
    await w.sfEmu.admin.call('POST', 'undelete', { id: oppId });
    const back = await until('the restore', () => w.hsRest.dealOf(oppId, ['amount']));
    assert.equal(back.properties.amount, '4321.5');
    // Polling runs every 10 minutes here, so a pass comes only when the feed asks for one: a
    // contact-role event whose opportunity is not in its cache yet (under load the create's two
    // events can land in separate batches) asks once. Four changes by polling would be four.
    assert.ok(w.passes - passesBefore <= 2, `polling passes ran meanwhile: ${w.passes - passesBefore}`);
    const latest = ((await w.sfEmu.admin.call('GET', 'cdc')).body as { latestReplayId: number })
      .latestReplayId;
    // HubSpot has the deal before the outcome (and the replay id with it) is stored.
    await until('the last replay id stored', async () => {
      const state = await w.store.getCdcState('/data/ChangeEvents');
      return state?.status === 'live' && state.replayId === String(latest);
    });
    const events = await w.store.apiCalls(
      'salesforce-events',
      new Date(Date.now() - 3_600_000).toISOString(),
    );
    assert.ok(events.reduce((n, h) => n + h.count, 0) >= 6, 'deliveries are counted apart');
  });

  test('a transaction that changes 500 records arrives as one event and updates 500 deals', async () => {
    const contactId = await w.sfRest.create('Contact', { LastName: 'Bulk', Email: 'bulk.buyer@example.com' });
    await w.hsRest.createContact('bulk.buyer@example.com');
    const ids: string[] = [];
    for (let i = 0; i < 500; i += 200) {
      const n = Math.min(200, 500 - i);
      ids.push(
        ...(await collection(
          w,
          Array.from({ length: n }, (_, k) => ({
            attributes: { type: 'Opportunity' },
            Name: `Bulk ${i + k}`,
            StageName: 'Prospecting',
            CloseDate: '2027-04-30',
          })),
        )),
      );
    }
    for (let i = 0; i < 500; i += 200)
      await collection(
        w,
        ids.slice(i, i + 200).map((id) => ({
          attributes: { type: 'OpportunityContactRole' },
          OpportunityId: id,
          ContactId: contactId,
        })),
      );
    await until('500 deals', async () => (await dealsOf(w, ids, [])).length === 500, 60_000);
    const before = ((await w.sfEmu.admin.call('GET', 'cdc')).body as { latestReplayId: number })
      .latestReplayId;
    const clock = w.sfEmu.admin.state.clock;
    clock.set(clock.now() + 1000, true);
    await w.sfEmu.admin.call('POST', 'transaction', {
      type: 'Opportunity',
      ids,
      values: { Description: 'one transaction' },
    });
    clock.unfreeze();
    const after = ((await w.sfEmu.admin.call('GET', 'cdc')).body as { latestReplayId: number })
      .latestReplayId;
    assert.ok(
      after > before && after - before <= 2,
      `one event (replay ids may skip one): ${before} → ${after}`,
    );
    await until(
      'every deal updated',
      async () =>
        (await dealsOf(w, ids, ['description'])).filter((d) => d.properties.description === 'one transaction')
          .length === 500,
      30_000,
    );
  });

  test('a gap event re-reads its record by id', async () => {
    const { oppId } = await opportunity(w, 'Gap case');
    await until('the deal', () => w.hsRest.dealOf(oppId));
    await w.sfEmu.admin.call('POST', 'cdc/gap', { entity: 'Opportunity', next: 1 });
    await w.sfRest.update('Opportunity', oppId, { Amount: 777 });
    await until(
      'the amount read by id',
      async () => (await w.hsRest.dealOf(oppId, ['amount']))?.properties.amount === '777',
    );
  });

  test('GAP_OVERFLOW falls back to a cursor comparison from the stored cursors', async () => {
    const a = await opportunity(w, 'Overflow A');
    const b = await opportunity(w, 'Overflow B');
    await until(
      'both deals',
      async () => (await w.hsRest.dealOf(a.oppId)) && (await w.hsRest.dealOf(b.oppId)),
    );
    const passes = w.passes;
    // Two field changes per record (Description, LastModifiedDate): the second record overflows.
    await w.sfEmu.admin.call('POST', 'cdc/overflow', { threshold: 3 });
    w.later();
    await w.sfEmu.admin.call('POST', 'transaction', {
      type: 'Opportunity',
      ids: [a.oppId, b.oppId],
      values: { Description: 'overflowed' },
    });
    await until('both updated', async () => {
      const [da, db] = await Promise.all([
        w.hsRest.dealOf(a.oppId, ['description']),
        w.hsRest.dealOf(b.oppId, ['description']),
      ]);
      return da?.properties.description === 'overflowed' && db?.properties.description === 'overflowed';
    });
    // The pass wrote B mid-way; it counts once it has finished (its rollups after the deals).
    await until('the polling pass', async () => w.passes > passes);
  });

  test('a connection dropped mid-stream reconnects (with backoff) and loses nothing', async () => {
    const { oppId } = await opportunity(w, 'Dropped stream');
    await until('the deal', () => w.hsRest.dealOf(oppId));
    const n = w.statuses.length;
    await w.sfEmu.admin.call('POST', 'cdc/drop', {});
    await w.sfRest.update('Opportunity', oppId, { Amount: 31337 });
    await until(
      'the amount',
      async () => (await w.hsRest.dealOf(oppId, ['amount']))?.properties.amount === '31337',
      15_000,
    );
    await live(w);
    const seen = w.statuses.slice(n).map((s) => s.status);
    assert.ok(seen.includes('down') && seen.at(-1) === 'live', seen.join(' → '));
    assert.equal(w.statuses.slice(n).find((s) => s.status === 'down')?.code, 'CDC_STREAM_DOWN');
  });

  test('an expired replay id: a cursor comparison, then live again from new events', async () => {
    await w.stop();
    const { oppId } = await opportunity(w, 'While stopped');
    // 73 hours later the stored replay id is past the 72-hour retention.
    w.later(73 * 3600);
    w.statuses.length = 0;
    w.start();
    await until('the deal', () => w.hsRest.dealOf(oppId), 15_000);
    await live(w);
    assert.ok(
      w.statuses.some(
        (s) => s.status === 'down' && /replayId/.test(s.reason ?? '') && s.code === 'CDC_REPLAY_ID_EXPIRED',
      ),
      JSON.stringify(w.statuses),
    );
    const { oppId: next } = await opportunity(w, 'After expiry');
    await until('the new deal', () => w.hsRest.dealOf(next));
  });
});

describe('Change Data Capture not selected', () => {
  let w: World;
  before(async () => {
    w = await world();
  });
  after(() => closeWorld(w));

  test('polling is the live path at full cadence, and the status says why', async () => {
    w.start({ intervalMs: 500 });
    await until('the status', async () => w.statuses.at(-1)?.status === 'not-selected');
    assert.match(w.statuses.at(-1)?.reason ?? '', /Opportunity is not selected for Change Data Capture/);
    const { oppId } = await opportunity(w, 'Polled');
    w.later();
    await until('the deal by polling', () => w.hsRest.dealOf(oppId), 10_000);
    const status = await readStatus(w.store);
    assert.equal(status.livePath.path, 'polling');
    assert.equal(status.livePath.code, 'CDC_NOT_SELECTED');
    assert.match(
      formatStatus(status),
      /^CDC_NOT_SELECTED: In Salesforce, Setup › Integrations › Change Data Capture/m,
    );
    assert.match(
      formatStatus(status),
      /^Live path: polling \(Change Data Capture not-selected: Opportunity is not selected for Change Data Capture/m,
    );
  });
});
