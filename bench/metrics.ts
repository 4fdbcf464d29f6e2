// Benchmark of a /metrics scrape on a large store (issue #15): every scrape reads the store afresh
// (cursors, errors by code, dead letters, the newest import run, the last pass), so its cost grows
// with what the store holds. A store with 100,000 stored errors (10 % of them dead letters) and
// the usual cursors is scraped many times; the goal is a scrape well inside Prometheus' default
// 10 s timeout: median ≤ 250 ms and p95 ≤ 1 s on these 2 cores.
// Run: npm run bench:metrics [-- --errors 100000 --scrapes 30 --store sqlite|postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncErrorRecord } from '../src/engine/ports/store.js';
import { createMetrics } from '../src/ops/metrics.js';
import { parseExposition } from '../src/ops/exposition.js';
import { openStore } from '../src/store/index.js';
import { f1, row, status } from './lib/table.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const ERRORS = Number(arg('--errors', '100000'));
const SCRAPES = Number(arg('--scrapes', '30'));
const KIND = arg('--store', 'sqlite');
const CODES = [
  'CURRENCY_NOT_ENABLED',
  'INVALID_PICKLIST',
  'OWNER_NOT_FOUND',
  'HUBSPOT_REJECTED',
  'VALUE_TOO_LONG',
];
const GOAL = { medianMs: 250, p95Ms: 1000 };

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dealbridge-bench-metrics-'));
  const schema = `bench_metrics_${process.pid}`;
  const url =
    KIND === 'postgres' ? `postgres://postgres@127.0.0.1:5432/test?schema=${schema}` : join(dir, 'state.db');
  const store = await openStore(url);
  try {
    const at = new Date().toISOString();
    for (let i = 0; i < ERRORS; i += 1000) {
      const batch: SyncErrorRecord[] = [];
      for (let j = i; j < Math.min(ERRORS, i + 1000); j++) {
        const dead = j % 10 === 0;
        batch.push({
          recordKey: `opportunity:006${String(j).padStart(15, '0')}`,
          code: CODES[j % CODES.length]!,
          message: 'bench',
          field: null,
          severity: j % CODES.length === 2 ? 'warning' : 'error',
          attempts: dead ? 20 : 1,
          firstSeenAt: at,
          lastSeenAt: at,
          nextRetryAt: dead ? null : at,
          deadLetteredAt: dead ? at : null,
        });
      }
      await store.recordErrors(batch);
    }
    for (const name of [
      'opportunity',
      'opportunityContactRole',
      'account',
      'opportunitySweep',
      'opportunityDeletes',
    ])
      await store.setCursor(name, { modstamp: at, id: '' });
    await store.savePassSummary({
      kind: 'sync',
      startedAt: at,
      finishedAt: at,
      created: 1,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      archived: 0,
      skippedByReason: {},
    });
    const metrics = createMetrics({
      connections: () => [{ name: 'default', store, adapters: () => ({}) }],
    });
    await metrics.render(); // warm: prepared statements, the registry's first collect
    const times: number[] = [];
    let body = '';
    for (let i = 0; i < SCRAPES; i++) {
      const t0 = performance.now();
      body = (await metrics.render()).body;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = quantile(times, 0.5);
    const p95 = quantile(times, 0.95);
    const series = parseExposition(body).length;
    const w = [34, 12, 10, 8];
    const lines = [
      row(['scrape of /metrics', 'measured', 'goal', ''], w),
      row([`store (${KIND})`, `${ERRORS.toLocaleString('en-US')} errors`, '', ''], w),
      row(['median', `${f1(median)} ms`, `≤ ${GOAL.medianMs} ms`, status(median <= GOAL.medianMs)], w),
      row(['p95', `${f1(p95)} ms`, `≤ ${GOAL.p95Ms} ms`, status(p95 <= GOAL.p95Ms)], w),
      row(['max', `${f1(times.at(-1) ?? NaN)} ms`, '', ''], w),
      row(['series / body', `${series} / ${(body.length / 1024).toFixed(1)} KiB`, '', ''], w),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    process.stdout.write(
      JSON.stringify({
        bench: 'metrics',
        store: KIND,
        errors: ERRORS,
        scrapes: SCRAPES,
        medianMs: median,
        p95Ms: p95,
        maxMs: times.at(-1),
        series,
        bodyBytes: body.length,
        ok: median <= GOAL.medianMs && p95 <= GOAL.p95Ms,
      }) + '\n',
    );
    if (median > GOAL.medianMs || p95 > GOAL.p95Ms) process.exitCode = 1;
  } finally {
    if (KIND === 'postgres') {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
