// The metrics read what the store and the adapters hold at the scrape (issue #15: no parallel
// bookkeeping): cursors (any feed the store lists), stored errors and dead letters, the newest
// import run, the pause switch, the adapters' request and 429 counters; and count the passes
// of this process as they end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore } from '../engine/testing/fakes.js';
import type { PassSummary, SyncErrorRecord } from '../engine/ports/store.js';
import { SYNC_PAUSED_SETTING } from '../engine/pause.js';
import { parseExposition, valueOf } from './exposition.js';
import { createMetrics, type MetricsConnection } from './metrics.js';

const NOW = new Date('2026-05-20T12:00:00.000Z');

function error(key: string, code: string, o: Partial<SyncErrorRecord> = {}): SyncErrorRecord {
  return {
    recordKey: key,
    code,
    message: 'm',
    field: null,
    severity: 'error',
    attempts: 1,
    firstSeenAt: '2026-05-20T11:00:00.000Z',
    lastSeenAt: '2026-05-20T11:00:00.000Z',
    nextRetryAt: '2026-05-20T12:05:00.000Z',
    deadLetteredAt: null,
    ...o,
  };
}

function world() {
  const store = new MemoryStore();
  const counts = { sf: 0, sfLimited: 0, hs: 0, hsLimited: 0 };
  const connection: MetricsConnection = {
    name: 'default',
    store,
    adapters: () => ({
      salesforce: { requestCount: () => counts.sf, rateLimitedCount: () => counts.sfLimited },
      hubspot: { usage: () => ({ requests: counts.hs, rateLimited: counts.hsLimited }) },
    }),
  };
  const metrics = createMetrics({ connections: () => [connection], now: () => NOW, processMetrics: false });
  const scrape = async () => parseExposition((await metrics.render()).body);
  return { store, counts, connection, metrics, scrape };
}

test('lag for every cursor the store lists, a feed added later (CDC) included', async () => {
  const { store, scrape } = world();
  await store.setCursor('opportunity', { modstamp: '2026-05-20T11:59:30.000Z', id: '006A' });
  await store.setCursor('opportunityContactRole', { modstamp: '2026-05-20T11:50:00.000Z', id: '' });
  let s = await scrape();
  const lag = { connection: 'default', feed: 'opportunity' };
  assert.equal(valueOf(s, 'dealbridge_feed_lag_seconds', lag), 30);
  assert.equal(valueOf(s, 'dealbridge_feed_lag_seconds', { feed: 'opportunityContactRole' }), 600);
  await store.setCursor('opportunityCdc', { modstamp: '2026-05-20T11:59:59.000Z', id: '' });
  s = await scrape();
  assert.equal(valueOf(s, 'dealbridge_feed_lag_seconds', { feed: 'opportunityCdc' }), 1);
  await store.deleteCursor('opportunityCdc');
  s = await scrape();
  assert.equal(
    valueOf(s, 'dealbridge_feed_lag_seconds', { feed: 'opportunityCdc' }),
    undefined,
    'gone with it',
  );
});

test('errors by code and severity, the retry queue and dead letters, from the stored errors', async () => {
  const { store, scrape } = world();
  await store.recordErrors([
    error('opportunity:006A', 'OWNER_NOT_FOUND', { severity: 'warning', nextRetryAt: null }),
    error('opportunity:006B', 'CURRENCY_NOT_ENABLED'),
    error('opportunity:006C', 'CURRENCY_NOT_ENABLED'),
    error('opportunity:006D', 'HUBSPOT_REJECTED', {
      nextRetryAt: null,
      deadLetteredAt: '2026-05-20T10:00:00.000Z',
    }),
  ]);
  const s = await scrape();
  const errors = (code: string, severity: string) =>
    valueOf(s, 'dealbridge_record_errors', { code, severity });
  assert.equal(errors('CURRENCY_NOT_ENABLED', 'error'), 2);
  assert.equal(errors('HUBSPOT_REJECTED', 'error'), 1);
  assert.equal(errors('OWNER_NOT_FOUND', 'warning'), 1);
  assert.equal(
    valueOf(s, 'dealbridge_queue_depth', { queue: 'retry' }),
    2,
    'errors waiting, dead letter apart',
  );
  assert.equal(valueOf(s, 'dealbridge_queue_depth', { queue: 'dead_letter' }), 1);
  await store.clearErrors(['opportunity:006B', 'opportunity:006C']);
  const after = await scrape();
  assert.equal(valueOf(after, 'dealbridge_record_errors', { code: 'CURRENCY_NOT_ENABLED' }), undefined);
  assert.equal(valueOf(after, 'dealbridge_queue_depth', { queue: 'retry' }), 0);
});

test("API requests and 429s per side are the adapters' own counters", async () => {
  const { counts, scrape } = world();
  Object.assign(counts, { sf: 12, sfLimited: 1, hs: 40, hsLimited: 3 });
  let s = await scrape();
  const api = (name: string, side: string) => valueOf(s, name, { connection: 'default', side });
  assert.equal(api('dealbridge_api_requests_total', 'salesforce'), 12);
  assert.equal(api('dealbridge_api_requests_total', 'hubspot'), 40);
  assert.equal(api('dealbridge_api_rate_limited_total', 'salesforce'), 1);
  assert.equal(api('dealbridge_api_rate_limited_total', 'hubspot'), 3);
  counts.hs = 55;
  s = await scrape();
  assert.equal(api('dealbridge_api_requests_total', 'hubspot'), 55);
});

test('passes by outcome and their duration; the last pass and the pause switch from the store', async () => {
  const { store, metrics, scrape } = world();
  let s = await scrape();
  assert.equal(
    valueOf(s, 'dealbridge_records_synced_total', { outcome: 'created' }),
    0,
    'there before a pass',
  );
  assert.equal(valueOf(s, 'dealbridge_sync_last_pass_timestamp_seconds'), undefined);
  const pass: PassSummary = {
    kind: 'sync',
    startedAt: '2026-05-20T11:59:00.000Z',
    finishedAt: '2026-05-20T11:59:02.500Z',
    created: 3,
    updated: 2,
    unchanged: 7,
    skipped: 1,
    failed: 1,
    archived: 0,
    skippedByReason: {},
  };
  metrics.passFinished('default', pass);
  metrics.passFinished('default', { ...pass, created: 1, startedAt: pass.finishedAt });
  await store.savePassSummary(pass);
  await store.setSetting(SYNC_PAUSED_SETTING, '2026-05-20T11:59:30.000Z');
  s = await scrape();
  const synced = (outcome: string) => valueOf(s, 'dealbridge_records_synced_total', { outcome });
  assert.equal(synced('created'), 4);
  assert.equal(synced('updated'), 4);
  assert.equal(synced('failed'), 2);
  assert.equal(synced('archived'), 0);
  assert.equal(valueOf(s, 'dealbridge_sync_pass_duration_seconds_count'), 2);
  assert.equal(valueOf(s, 'dealbridge_sync_pass_duration_seconds_sum'), 2.5);
  // Cumulative buckets: the second pass took 0 s, the first 2.5 s (a bucket includes its bound).
  assert.equal(valueOf(s, 'dealbridge_sync_pass_duration_seconds_bucket', { le: '0.1' }), 1);
  assert.equal(valueOf(s, 'dealbridge_sync_pass_duration_seconds_bucket', { le: '1' }), 1);
  assert.equal(valueOf(s, 'dealbridge_sync_pass_duration_seconds_bucket', { le: '2.5' }), 2);
  assert.equal(valueOf(s, 'dealbridge_sync_pass_duration_seconds_bucket', { le: '+Inf' }), 2);
  assert.equal(valueOf(s, 'dealbridge_sync_last_pass_timestamp_seconds'), Date.parse(pass.finishedAt) / 1000);
  assert.equal(valueOf(s, 'dealbridge_sync_paused'), 1);
});

test('import progress: the newest run', async () => {
  const { store, scrape } = world();
  const base = {
    finishedAt: null,
    checkpointId: null,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    message: null,
  };
  await store.createImportRun({
    ...base,
    id: 'old',
    status: 'completed',
    startedAt: '2026-05-19T10:00:00.000Z',
    total: 10,
    processed: 10,
  });
  await store.createImportRun({
    ...base,
    id: 'new',
    status: 'running',
    startedAt: '2026-05-20T10:00:00.000Z',
    total: 5000,
    processed: 1200,
    created: 1100,
    failed: 3,
  });
  const s = await scrape();
  assert.equal(valueOf(s, 'dealbridge_import_running'), 1);
  assert.equal(valueOf(s, 'dealbridge_import_expected_records'), 5000);
  assert.equal(valueOf(s, 'dealbridge_import_records', { outcome: 'processed' }), 1200);
  assert.equal(valueOf(s, 'dealbridge_import_records', { outcome: 'created' }), 1100);
  assert.equal(valueOf(s, 'dealbridge_import_records', { outcome: 'failed' }), 3);
});

test('a store that cannot be read: dealbridge_store_up 0, the in-memory counters still there', async () => {
  const { store, counts, scrape } = world();
  counts.hs = 9;
  assert.equal(valueOf(await scrape(), 'dealbridge_store_up'), 1);
  store.listCursors = async () => {
    throw new Error('SQLITE_BUSY');
  };
  const s = await scrape();
  assert.equal(valueOf(s, 'dealbridge_store_up'), 0);
  assert.equal(valueOf(s, 'dealbridge_api_requests_total', { side: 'hubspot' }), 9);
  assert.equal(valueOf(s, 'dealbridge_queue_depth', { queue: 'retry' }), undefined);
});

test('a store that does not answer: the scrape does not wait for it', async () => {
  const store = new MemoryStore();
  store.errorCountsByCode = () => new Promise(() => {});
  const metrics = createMetrics({
    connections: () => [{ name: 'default', store, adapters: () => ({}) }],
    storeDeadlineMs: 50,
    processMetrics: false,
  });
  const s = parseExposition((await metrics.render()).body);
  assert.equal(valueOf(s, 'dealbridge_store_up'), 0);
  assert.equal(valueOf(s, 'dealbridge_api_requests_total', { side: 'salesforce' }), 0);
});

test('every dealbridge series is named by the conventions and carries its connection', async () => {
  const { scrape } = world();
  const s = await scrape();
  assert.ok(s.length > 0);
  for (const sample of s) {
    assert.match(sample.name, /^dealbridge_[a-z_]+$/);
    assert.equal(sample.labels.connection, 'default', sample.name);
  }
  const names = new Set(s.map((x) => x.name));
  for (const counter of ['dealbridge_records_synced_total', 'dealbridge_api_requests_total'])
    assert.ok(names.has(counter), counter);
});
