// The Prometheus metrics of a dealbridge process (docs/operations.md lists them): one registry per
// process, built here so that `serve` and a later `dealbridge worker` expose the same names. Every
// dealbridge series carries `connection` (today always `default`); a scrape reads the store and the
// adapters afresh (readings.ts), and only what happens inside this process (a pass ends) is counted
// as it happens. Names follow Prometheus' conventions: `dealbridge_` prefix, `_total` counters,
// seconds as the unit of time.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PassSummary } from '../engine/ports/store.js';
import { withDeadline } from './deadline.js';
import {
  IMPORT_OUTCOMES,
  readApi,
  readStore,
  type MetricsConnection,
  type StoreReadings,
} from './readings.js';

export type { MetricsConnection } from './readings.js';

/** The outcomes a pass counts (PassSummary), as the `outcome` label of records synced. */
export const PASS_OUTCOMES = ['created', 'updated', 'unchanged', 'skipped', 'failed', 'archived'] as const;

/** A pass lasts from well under a second (nothing changed) to many minutes (a backlog). */
const PASS_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

export interface DealbridgeMetrics {
  readonly registry: Registry;
  /** A sync pass of this process ended (the loop's onPass): its records by outcome, its duration. */
  passFinished(connection: string, pass: PassSummary): void;
  /** The exposition: every connection read afresh, then the registry in Prometheus' text format. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** The connections this process serves, read at every scrape. */
  connections(): MetricsConnection[];
  now?: () => Date;
  /** A store that has not answered a scrape's reads by then is reported down (default 5 s). */
  storeDeadlineMs?: number;
  /** Node's process metrics (memory, CPU, event loop; unprefixed, as prom-client names them). */
  processMetrics?: boolean;
}

const CONNECTION = ['connection'] as const;

export function createMetrics(opts: MetricsOptions): DealbridgeMetrics {
  const registry = new Registry();
  const registers = [registry];
  const now = opts.now ?? (() => new Date());
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const recordsSynced = new Counter({
    name: 'dealbridge_records_synced_total',
    help: 'Opportunities the sync passes of this process handled, by outcome',
    labelNames: [...CONNECTION, 'outcome'],
    registers,
  });
  const passDuration = new Histogram({
    name: 'dealbridge_sync_pass_duration_seconds',
    help: 'How long the sync passes of this process took',
    labelNames: CONNECTION,
    buckets: PASS_BUCKETS,
    registers,
  });
  const apiRequests = new Counter({
    name: 'dealbridge_api_requests_total',
    help: 'HTTP requests this process sent to each side (retries and pages each count)',
    labelNames: [...CONNECTION, 'side'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'dealbridge_api_rate_limited_total',
    help: 'Answers that refused a request for a rate limit: HTTP 429 (Salesforce also 403 REQUEST_LIMIT_EXCEEDED)',
    labelNames: [...CONNECTION, 'side'],
    registers,
  });
  const feedLag = new Gauge({
    name: 'dealbridge_feed_lag_seconds',
    help: "How far each change feed's cursor is behind now",
    labelNames: [...CONNECTION, 'feed'],
    registers,
  });
  const recordErrors = new Gauge({
    name: 'dealbridge_record_errors',
    help: 'Records with a stored error or warning, by code',
    labelNames: [...CONNECTION, 'code', 'severity'],
    registers,
  });
  const queueDepth = new Gauge({
    name: 'dealbridge_queue_depth',
    help: 'Work waiting: records due for a retry (queue="retry") and dead letters (queue="dead_letter")',
    labelNames: [...CONNECTION, 'queue'],
    registers,
  });
  const paused = new Gauge({
    name: 'dealbridge_sync_paused',
    help: '1 while the pause switch stops every write to HubSpot',
    labelNames: CONNECTION,
    registers,
  });
  const lastPass = new Gauge({
    name: 'dealbridge_sync_last_pass_timestamp_seconds',
    help: 'When the last sync pass of any process on this store ended',
    labelNames: CONNECTION,
    registers,
  });
  const importRunning = new Gauge({
    name: 'dealbridge_import_running',
    help: '1 while the newest import run is running',
    labelNames: CONNECTION,
    registers,
  });
  const importRecords = new Gauge({
    name: 'dealbridge_import_records',
    help: 'Opportunities of the newest import run, processed so far and by outcome',
    labelNames: [...CONNECTION, 'outcome'],
    registers,
  });
  const importExpected = new Gauge({
    name: 'dealbridge_import_expected_records',
    help: 'Opportunities the newest import run expects to process (its total, once counted)',
    labelNames: CONNECTION,
    registers,
  });
  const storeUp = new Gauge({
    name: 'dealbridge_store_up',
    help: '1 when the last scrape could read the state store; 0 and no store readings when not',
    labelNames: CONNECTION,
    registers,
  });

  // Read afresh every scrape: cleared first, so a series that is gone (a code fixed, a connection
  // removed) goes too. The two counters are set from the adapters' own monotonic counts.
  const readAtScrape = [
    ...[feedLag, recordErrors, queueDepth, paused, lastPass, importRunning, importRecords, importExpected],
    ...[apiRequests, rateLimited, storeUp],
  ];

  const storeDeadlineMs = opts.storeDeadlineMs ?? 5000;
  const seen = new Set<string>();
  let rendering: Promise<unknown> = Promise.resolve();
  async function refresh(): Promise<void> {
    for (const m of readAtScrape) m.reset();
    for (const c of opts.connections()) {
      const connection = c.name;
      // A connection's pass series exist (at 0) before its first pass: rate() and alerts see them.
      if (!seen.has(connection)) {
        seen.add(connection);
        for (const outcome of PASS_OUTCOMES) recordsSynced.inc({ connection, outcome }, 0);
        passDuration.zero({ connection });
      }
      // The adapters' counters are in memory: reported even when the store cannot be read.
      const api = readApi(c);
      for (const side of ['salesforce', 'hubspot'] as const) {
        apiRequests.inc({ connection, side }, api[side].requests);
        rateLimited.inc({ connection, side }, api[side].rateLimited);
      }
      let r: StoreReadings;
      try {
        r = await withDeadline(readStore(c, now()), storeDeadlineMs, 'the state store');
      } catch {
        storeUp.set({ connection }, 0);
        continue;
      }
      storeUp.set({ connection }, 1);
      for (const [feed, lag] of Object.entries(r.feedLagSeconds)) feedLag.set({ connection, feed }, lag);
      for (const e of r.recordErrors)
        recordErrors.set({ connection, code: e.code, severity: e.severity }, e.count);
      queueDepth.set({ connection, queue: 'retry' }, r.retryWaiting);
      queueDepth.set({ connection, queue: 'dead_letter' }, r.deadLetters);
      paused.set({ connection }, r.paused ? 1 : 0);
      if (r.lastPassAt !== null) lastPass.set({ connection }, r.lastPassAt);
      if (r.import) {
        importRunning.set({ connection }, r.import.running ? 1 : 0);
        for (const outcome of IMPORT_OUTCOMES)
          importRecords.set({ connection, outcome }, r.import.counts[outcome]);
        if (r.import.expected !== null) importExpected.set({ connection }, r.import.expected);
      }
    }
  }

  return {
    registry,
    passFinished(connection, pass) {
      seen.add(connection);
      for (const outcome of PASS_OUTCOMES) recordsSynced.inc({ connection, outcome }, pass[outcome]);
      const seconds = (Date.parse(pass.finishedAt) - Date.parse(pass.startedAt)) / 1000;
      if (Number.isFinite(seconds) && seconds >= 0) passDuration.observe({ connection }, seconds);
    },
    render() {
      // One scrape at a time: a second one's reset must not empty the gauges the first is writing out.
      const next = rendering.then(async () => {
        await refresh();
        return { contentType: registry.contentType, body: await registry.metrics() };
      });
      rendering = next.catch(() => undefined);
      return next;
    },
  };
}
