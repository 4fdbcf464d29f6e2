// `dealbridge worker` on real Postgres, through both emulators with the real binary: three workers
// share an import handed to them (`import --queue`), one is killed with SIGKILL while it holds a
// batch (another takes it over after the job timeout) and one is stopped with SIGTERM while it
// holds one (it finishes it: nothing is lost). The result is what one process's import gives:
// `verify` clean, one deal per opportunity. Also: one poller per connection at a time, a job that
// fails every attempt is a dead letter that `status` shows and `errors retry` puts back, and the
// worker refuses SQLite with exit code 2.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { HubspotAdapter } from '../hubspot/index.js';
import type { SalesforceAdapter } from '../salesforce/index.js';
import { openStore, type Store } from '../store/index.js';
import { POSTGRES_TEST_URL } from '../store/testing/dialects.js';
import { listerFor, runVerify } from '../verify/index.js';
import { defaultRollupPropertyNames } from '../engine/rollups/index.js';
import type { HubspotRest } from '../engine/testing/hubspot-rest.js';
import type { SalesforceRest } from '../engine/testing/salesforce-rest.js';
import { connectEmulators } from '../engine/testing/emulator-world.js';
import { bossSchemaOf, openBoss } from './boss.js';
import { jobRecordKey, QUEUES } from './queues.js';

const BIN = fileURLToPath(new URL('../../bin/dealbridge.js', import.meta.url));

interface World {
  url: string;
  store: Store;
  sf: SalesforceAdapter;
  hs: HubspotAdapter;
  sfRest: SalesforceRest;
  hsRest: HubspotRest;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

const schemas: string[] = [];
async function world(opportunities: number): Promise<World> {
  const schema = `dbw_${process.pid}_${Date.now().toString(36)}_${schemas.length}`;
  schemas.push(schema, `${schema}_pgboss`);
  const u = new URL(POSTGRES_TEST_URL);
  u.searchParams.set('schema', schema);
  const url = u.toString();
  const store = await openStore(url);
  const { sfEmu, hsEmu, sf, hs, sfRest, hsRest } = await connectEmulators({
    store,
    salesforceSeed: { kind: 'sized', opportunities, accounts: 30, contacts: 150, seed: 11 },
    hubspotSeed: 'empty',
    ownerEmail: 'integration@dealbridge-emulator.example',
  });
  // HubSpot contacts for every Salesforce contact: the import's scope.
  const contacts = await sfRest.query<{ Email: string }>('SELECT Email FROM Contact');
  for (let i = 0; i < contacts.length; i += 100) {
    await hsRest.call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: contacts
        .slice(i, i + 100)
        .map((c) => ({ properties: { email: c.Email, lifecyclestage: 'lead' } })),
    });
  }
  return {
    url,
    store,
    sf,
    hs,
    sfRest,
    hsRest,
    env: {
      ...process.env,
      SALESFORCE_LOGIN_URL: sfEmu.url,
      SALESFORCE_CLIENT_ID: sfEmu.clientId,
      SALESFORCE_CLIENT_SECRET: sfEmu.clientSecret,
      HUBSPOT_BASE_URL: hsEmu.url,
      HUBSPOT_ACCESS_TOKEN: hsEmu.accessToken,
      DEALBRIDGE_DATABASE_URL: url,
      DEALBRIDGE_LOG_FORMAT: 'json',
      DEALBRIDGE_LOG_LEVEL: 'debug',
    },
    async close() {
      sf.close();
      await store.close();
      await sfEmu.close();
      await hsEmu.close();
    },
  };
}

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

interface Worker {
  child: ChildProcess;
  /** Log lines (JSON) so far. */
  lines: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Resolves with the first log line that matches. */
  waitFor(match: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

const running: ChildProcess[] = [];
// A job's expiry of 20 s: short, so the SIGKILLed worker's batch is taken over within the test,
// and longer than a poll pass takes on a loaded 2-core machine (at 8 s a slow pass expired while
// running and the next poll overlapped it).
function startWorker(env: NodeJS.ProcessEnv, extra: string[] = []): Worker {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--port',
      '0',
      '--job-timeout',
      '20s',
      '--interval',
      '1s',
      '--concurrency',
      '1',
      ...extra,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    match: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let buf = '';
  child.stderr!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const text = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.match(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (match) =>
      new Promise((resolve) => {
        const seen = lines.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      }),
  };
}

const heldBatch = (l: Record<string, unknown>) =>
  l.event === 'job' && l.queue === QUEUES.importBatch && l.msg === 'job started' && Number(l.index) >= 1;

async function bossRows(w: World, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    const schema = bossSchemaOf(w.url);
    return (await client.query(sql.replaceAll('$schema', `"${schema}"`))).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function assertLikeOneProcess(w: World, opportunities: number): Promise<void> {
  const deals = await w.hsRest.allDeals();
  const ids = deals.map((d) => d.properties.salesforce_opportunity_id).filter(Boolean);
  assert.equal(new Set(ids).size, ids.length, 'one deal per opportunity');
  const [run] = await w.store.listImportRuns(1);
  assert.equal(run?.status, 'completed', JSON.stringify(run));
  assert.equal(run?.processed, opportunities, 'every opportunity counted once');
  assert.ok(run.created > 0);
  assert.equal(ids.length, run.created, 'the deals are the ones the run counts as created');
  const report = await runVerify(
    { salesforce: w.sf, hubspot: w.hs, list: listerFor(w.hs) },
    { rule: 'created', lifecycle: true, names: defaultRollupPropertyNames },
  );
  assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
}

describe('dealbridge worker on Postgres', { timeout: 600_000 }, () => {
  const worlds: World[] = [];
  after(async () => {
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const w of worlds) await w.close();
    const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
    await client.end();
  });

  test('refuses a SQLite store with exit code 2', async () => {
    const r = await cli({ ...process.env, DEALBRIDGE_DATABASE_URL: 'sqlite::memory:' }, [
      'worker',
      '--port',
      '0',
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /WORKER_NEEDS_POSTGRES: dealbridge worker needs a Postgres state store/);
  });

  test('three workers, one SIGKILLed and one SIGTERMed while holding a batch: verify clean, no duplicate', async () => {
    const N = 900;
    const w = await world(N);
    worlds.push(w);
    const workers = [startWorker(w.env), startWorker(w.env), startWorker(w.env)];
    await Promise.all(workers.map((x) => x.waitFor((l) => l.msg === 'worker started')));
    const imported = cli(w.env, ['import', '--queue', '--json', '--batch-size', '50']);

    // Worker 0 is killed the moment it holds a batch (not the first: the chain is under way).
    const [killedWorker, drainedWorker] = workers as [Worker, Worker, Worker];
    const early = imported.then((r) => {
      throw new Error(`the import ended before a worker held a batch: ${r.code} ${r.stderr}${r.stdout}`);
    });
    const held = await Promise.race([killedWorker.waitFor(heldBatch), early]);
    killedWorker.child.kill('SIGKILL');
    assert.equal((await killedWorker.exited).signal, 'SIGKILL');
    // Worker 1 is asked to stop while it holds one: it finishes that batch, then exits 0.
    const drained = await Promise.race([
      drainedWorker.waitFor((l) => heldBatch(l) && Number(l.index) > Number(held.index)),
      early,
    ]);
    drainedWorker.child.kill('SIGTERM');
    assert.equal((await drainedWorker.exited).code, 0);
    const finished = drainedWorker.lines.find((l) => l.msg === 'job finished' && l.jobId === drained.jobId);
    assert.ok(finished, 'the batch held at SIGTERM was finished before the worker exited');

    const r = await imported;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    await assertLikeOneProcess(w, N);

    // The killed worker's batch expired and ran again elsewhere, once more and no more.
    const [job] = await bossRows(
      w,
      `select state, retry_count from $schema.job where id = '${String(held.jobId)}'
       union all select state, retry_count from $schema.archive where id = '${String(held.jobId)}'`,
    );
    assert.equal(job?.state, 'completed');
    assert.ok(Number(job?.retry_count) >= 1, 'taken over after its expiry');
    // The drained worker's batch completed at its first attempt: nothing was handed back.
    const [drainedJob] = await bossRows(
      w,
      `select state, retry_count from $schema.job where id = '${String(drained.jobId)}'
       union all select state, retry_count from $schema.archive where id = '${String(drained.jobId)}'`,
    );
    assert.deepEqual(drainedJob, { state: 'completed', retry_count: 0 });

    // One poller per connection: no two poll jobs were ever active at once.
    const polls = await bossRows(
      w,
      `select started_on, completed_on from $schema.job where name = '${QUEUES.poll}' and started_on is not null and completed_on is not null
       union all select started_on, completed_on from $schema.archive where name = '${QUEUES.poll}' and started_on is not null and completed_on is not null
       order by started_on`,
    );
    assert.ok(polls.length >= 2, `passes ran (${polls.length})`);
    for (let i = 1; i < polls.length; i++) {
      const prev = polls[i - 1] as { completed_on: Date };
      const cur = polls[i] as { started_on: Date };
      assert.ok(cur.started_on.getTime() >= prev.completed_on.getTime(), 'poll jobs never overlap');
    }
    workers[2]!.child.kill('SIGTERM');
    assert.equal((await workers[2]!.exited).code, 0);
  });

  test('a job that fails every attempt is a dead letter: status shows it, errors retry puts it back', async () => {
    const w = await world(20);
    worlds.push(w);
    const worker = startWorker(w.env);
    const started = await worker.waitFor((l) => l.msg === 'worker started');
    const boss = await openBoss({ databaseUrl: w.url, jobTimeoutSeconds: 60, supervise: false });
    let id: string | null;
    try {
      // A connection not in the registry: the job fails at every attempt.
      id = await boss.send(
        QUEUES.importRollups,
        { connection: 'nowhere', runId: 'r1' },
        { retryLimit: 1, retryDelay: 1, retryBackoff: false },
      );
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    assert.ok(id);
    const key = jobRecordKey(QUEUES.importRollups, id);
    const deadLettered = async (attempts: number) => {
      for (let i = 0; i < 120; i++) {
        const [row] = await w.store.listErrors({ recordKeys: [key], deadLetter: true });
        if (row && row.attempts >= attempts) return row;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.fail(`no dead letter ${key} after ${attempts} attempts`);
    };
    const row = await deadLettered(2);
    assert.equal(row.code, 'WORKER_JOB_FAILED');
    assert.match(row.message, /CONFIG_INVALID: no connection "nowhere"/);
    // The worker stores the dead letter, then pg-boss fails the job: wait for pg-boss too.
    const eventually = async (sql: string, want: unknown) => {
      let got: unknown;
      for (let i = 0; i < 60; i++) {
        [got] = await bossRows(w, sql);
        if (JSON.stringify(got) === JSON.stringify(want)) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.deepEqual(got, want, sql);
    };
    // pg-boss moved it to the dead-letter queue.
    await eventually(`select count(*)::int as n from $schema.job where name = '${QUEUES.deadLetters}'`, {
      n: 1,
    });

    // The worker's /metrics: its failed jobs by queue, its queues, the store's dead letters.
    const metrics = await (await fetch(String(started.metrics))).text();
    assert.match(
      metrics,
      new RegExp(
        `dealbridge_job_duration_seconds_count\\{queue="${QUEUES.importRollups}",outcome="failed"\\} 2`,
      ),
    );
    assert.match(metrics, new RegExp(`dealbridge_jobs_waiting\\{queue="${QUEUES.importBatch}"\\} 0`));
    assert.match(metrics, /dealbridge_queue_depth\{connection="default",queue="dead_letter"\} 1/);

    const status = await cli(w.env, ['status', '--json']);
    assert.equal((JSON.parse(status.stdout) as { deadLetters: number }).deadLetters, 1, status.stdout);

    const retried = await cli(w.env, ['errors', 'retry', '--code', 'WORKER_JOB_FAILED', '--json']);
    assert.equal(retried.code, 0, retried.stderr);
    assert.deepEqual(JSON.parse(retried.stdout), {
      scheduled: 1,
      deadLetters: 1,
      jobs: 1,
      recordKeys: [key],
    });
    // Back in its queue with one more attempt, which fails again: a dead letter once more.
    await deadLettered(3);
    await eventually(`select state, retry_limit, retry_count from $schema.job where id = '${id}'`, {
      state: 'failed',
      retry_limit: 2,
      retry_count: 2,
    });
    worker.child.kill('SIGTERM');
    assert.equal((await worker.exited).code, 0);
  });
});
