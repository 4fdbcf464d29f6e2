// /metrics after a real run (issue #15, Operations): the real binary against both emulators (setup,
// sync on, the import of the demo org's opportunities, then new opportunities for `serve`'s first
// pass, with one 429 planted on each side), then a scrape from this host. Every value is checked
// against what it reports: the stored pass (`status --json`), the import run (`import status`),
// the requests each emulator served and the 429s it answered. The log of `serve` is JSON, one line
// per request with its id and one per pass with its id.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createHubspotEmulator } from '../../emulators/hubspot/index.js';
import { createSalesforceEmulator } from '../../emulators/salesforce/index.js';
import { HubspotRest } from '../engine/testing/hubspot-rest.js';
import { SalesforceRest } from '../engine/testing/salesforce-rest.js';
import { parseExposition, valueOf, type Sample } from './exposition.js';
import { runCli } from '../cli/testing/run-cli.js';

const bin = new URL('../../bin/dealbridge.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'dealbridge-metrics-'));
const ADMIN = 'metrics-admin-token-R7w2Kp9x';

let sf: Awaited<ReturnType<typeof createSalesforceEmulator>>;
let hs: Awaited<ReturnType<typeof createHubspotEmulator>>;
let env: NodeJS.ProcessEnv;

before(async () => {
  sf = await createSalesforceEmulator({ seed: 'demo', host: '127.0.0.1' });
  // Polling alone: the demo org selects Change Data Capture, whose start adds a pass of its own,
  // and this test counts exactly one pass (the CDC path has its own tests, src/engine/cdc).
  sf.admin.state.store.cdcSelected.clear();
  hs = await createHubspotEmulator({ seed: 'demo', host: '127.0.0.1', tier: 'professional' });
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    DEALBRIDGE_DATABASE_URL: join(dir, 'state.db'),
    SALESFORCE_LOGIN_URL: sf.url,
    SALESFORCE_CLIENT_ID: sf.clientId,
    SALESFORCE_CLIENT_SECRET: sf.clientSecret,
    HUBSPOT_BASE_URL: hs.url,
    HUBSPOT_ACCESS_TOKEN: hs.accessToken,
    DEALBRIDGE_ADMIN_TOKEN: ADMIN,
  };
});

after(async () => {
  await Promise.allSettled([sf?.close(), hs?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[]) => runCli(args, env, dir);

/** Requests an emulator answered on its vendor API (its admin API and OAuth token calls apart). */
function served(routes: Record<string, Record<string, number>>, status?: string): number {
  return Object.entries(routes)
    .filter(([route]) => !/__emulator|oauth|token/i.test(route))
    .reduce(
      (n, [, byStatus]) =>
        n +
        Object.entries(byStatus).reduce((a, [s, c]) => a + (status === undefined || s === status ? c : 0), 0),
      0,
    );
}

test('a scrape after a real import and sync reports what happened', { timeout: 240_000 }, async () => {
  for (const args of [
    ['setup', '--json'],
    ['settings', 'set', 'opportunitySync', 'on'],
    ['import', '--json'],
  ]) {
    const r = await run(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
  }
  const [importRun] = (
    JSON.parse((await run(['import', 'status', '--json'])).out) as { runs: Record<string, number | string>[] }
  ).runs;
  assert.ok(importRun && Number(importRun.processed) > 0, 'the demo org has opportunities to import');

  // After T, in a later Salesforce second: three new opportunities whose contacts are in HubSpot,
  // one with a Type HubSpot has no option for (it syncs with a warning).
  sf.admin.state.clock.advance(2000);
  const tokens = await sf.admin.issueTokens();
  const sfRest = new SalesforceRest(
    tokens.instanceUrl,
    async () => (await sf.admin.issueTokens()).accessToken,
  );
  const hsRest = new HubspotRest(hs.url, hs.accessToken);
  for (const [i, type] of [
    [1, undefined],
    [2, undefined],
    [3, 'Partner Referral'],
  ] as const) {
    const email = `metrics.${i}@scrape.example`;
    const contactId = await sfRest.create('Contact', { LastName: `Metrics ${i}`, Email: email });
    await hsRest.createContact(email);
    const oppId = await sfRest.create('Opportunity', {
      Name: `Metrics ${i}`,
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      ...(type ? { Type: type } : {}),
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  }
  sf.admin.state.clock.advance(2000);
  // One 429 on each side during the pass; dealbridge retries both.
  await hsRest.call('POST', '/__emulator/faults', {
    path: '/crm/v3/objects/deals/batch/create',
    status: 429,
    times: 1,
  });
  sf.admin.state.faults.add({ route: 'query', status: 429, times: 1 });
  sf.admin.state.stats.reset();
  hs.admin.stats.reset();

  // A long interval: the first pass runs at start, then nothing calls out while the test reads.
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--interval', '1h'], { env, cwd: dir });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dealbridge web UI: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  let s: Sample[] = [];
  try {
    const scrape = async () => {
      const res = await fetch(`${url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return parseExposition(await res.text());
    };
    for (let i = 0; i < 600; i++) {
      s = await scrape();
      if ((valueOf(s, 'dealbridge_sync_pass_duration_seconds_count') ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(valueOf(s, 'dealbridge_sync_pass_duration_seconds_count'), 1, 'one pass ran');
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    assert.equal((await fetch(`${url}/api/overview`)).status, 401, 'a request to log, refused');
    const sfStats = sf.admin.state.stats.toJSON() as { routes: Record<string, Record<string, number>> };
    const hsStats = hs.admin.stats.toJSON() as { routes: Record<string, Record<string, number>> };

    const status = JSON.parse((await run(['status', '--json'])).out) as {
      lastPass: Record<string, number | string>;
      errors: { total: number };
      deadLetters: number;
      warnings: { byCode: Record<string, number> };
      cursors: { name: string; lagSeconds: number | null }[];
    };
    const c = { connection: 'default' };
    const synced = (outcome: string) => valueOf(s, 'dealbridge_records_synced_total', { ...c, outcome });
    assert.equal(synced('created'), 3, 'the three new opportunities');
    for (const outcome of ['created', 'updated', 'unchanged', 'skipped', 'failed', 'archived'])
      assert.equal(synced(outcome), status.lastPass[outcome], `${outcome}: as the stored pass says`);
    const duration =
      (Date.parse(String(status.lastPass.finishedAt)) - Date.parse(String(status.lastPass.startedAt))) / 1000;
    assert.equal(valueOf(s, 'dealbridge_sync_pass_duration_seconds_sum', c), duration);
    assert.equal(
      valueOf(s, 'dealbridge_sync_last_pass_timestamp_seconds', c),
      Date.parse(String(status.lastPass.finishedAt)) / 1000,
    );

    const api = (name: string, side: string) => valueOf(s, name, { ...c, side });
    assert.equal(
      api('dealbridge_api_requests_total', 'salesforce'),
      served(sfStats.routes),
      'as Salesforce served them',
    );
    assert.equal(
      api('dealbridge_api_requests_total', 'hubspot'),
      served(hsStats.routes),
      'as HubSpot served them',
    );
    assert.equal(api('dealbridge_api_rate_limited_total', 'hubspot'), 1);
    assert.equal(served(hsStats.routes, '429'), 1);
    assert.equal(api('dealbridge_api_rate_limited_total', 'salesforce'), 1);

    const opportunityLag = valueOf(s, 'dealbridge_feed_lag_seconds', { ...c, feed: 'opportunity' });
    assert.ok(
      opportunityLag !== undefined && opportunityLag >= 0 && opportunityLag < 3600,
      `lag ${opportunityLag}`,
    );
    for (const cursor of status.cursors)
      if (cursor.lagSeconds !== null)
        assert.ok(
          valueOf(s, 'dealbridge_feed_lag_seconds', { ...c, feed: cursor.name }) !== undefined,
          cursor.name,
        );

    assert.equal(
      valueOf(s, 'dealbridge_record_errors', { ...c, code: 'INVALID_PICKLIST', severity: 'warning' }),
      status.warnings.byCode.INVALID_PICKLIST,
    );
    assert.equal(status.warnings.byCode.INVALID_PICKLIST, 1);
    assert.equal(
      valueOf(s, 'dealbridge_queue_depth', { ...c, queue: 'retry' }),
      status.errors.total - status.deadLetters,
    );
    assert.equal(valueOf(s, 'dealbridge_queue_depth', { ...c, queue: 'dead_letter' }), status.deadLetters);

    assert.equal(valueOf(s, 'dealbridge_import_running', c), 0);
    for (const outcome of ['processed', 'created', 'updated', 'unchanged', 'skipped', 'failed'])
      assert.equal(valueOf(s, 'dealbridge_import_records', { ...c, outcome }), importRun[outcome], outcome);
    assert.equal(valueOf(s, 'dealbridge_import_expected_records', c), importRun.total);
    assert.equal(valueOf(s, 'dealbridge_store_up', c), 1);
    assert.equal(valueOf(s, 'dealbridge_sync_paused', c), 0);
    assert.ok((valueOf(s, 'process_resident_memory_bytes') ?? 0) > 0, 'the process metrics too');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }

  // The log: JSON lines on stderr (not a terminal), the human line on stdout as before.
  assert.match(
    out,
    /^dealbridge web UI: http:\/\/127\.0\.0\.1:\d+\/ \(log in with DEALBRIDGE_ADMIN_TOKEN\)\n/,
  );
  const lines = err
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const pass = lines.find((l) => l.msg === 'sync pass finished');
  assert.ok(pass, `a line for the pass: ${err}`);
  assert.match(String(pass.passId), /^[0-9a-f-]{36}$/);
  assert.equal(pass.created, 3);
  const refused = lines.filter((l) => (l.req as { url?: string } | undefined)?.url === '/api/overview');
  assert.ok(refused.length > 0, 'the refused request is logged');
  const ids = new Set(lines.filter((l) => l.requestId !== undefined).map((l) => l.requestId));
  assert.ok(
    [...ids].every((id) => /^[0-9a-f-]{36}$/.test(String(id))),
    'request ids are UUIDs',
  );
  assert.ok(
    !lines.some((l) => (l.req as { url?: string } | undefined)?.url === '/metrics'),
    'scrapes are not logged',
  );
  assert.ok(lines.some((l) => l.msg === 'draining: the pass in flight finishes, then the server closes'));
});
