// Issue #17's safety switches through the real binary, on a SQLite state file and no reachable
// remote: dead letters in `errors list`, `status` and `errors retry`; `pause` and `resume`, and a
// `sync` pass while paused (it reads nothing: both sides point at a closed port).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { SyncErrorRecord } from '../../engine/ports/store.js';
import { openStore } from '../../store/index.js';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dealbridge-switches-'));
const databaseUrl = join(dir, 'state.db');
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, DEALBRIDGE_DATABASE_URL: databaseUrl };

const run = (...args: string[]) => runCli(args, env, dir);

async function withStore<T>(fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(databaseUrl);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const error = (recordKey: string, over: Partial<SyncErrorRecord> = {}): SyncErrorRecord => ({
  recordKey,
  code: 'HUBSPOT_VALIDATION',
  message: 'Property "amount" is invalid',
  field: 'amount',
  severity: 'error',
  attempts: 3,
  firstSeenAt: '2024-05-20T10:00:00.000Z',
  lastSeenAt: '2024-05-20T11:00:00.000Z',
  nextRetryAt: '2024-05-20T11:04:00.000Z',
  deadLetteredAt: null,
  ...over,
});

describe('safety switches in the CLI', { timeout: 120_000 }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('dead letters: listed with their mark, counted by status, brought back only by errors retry', async () => {
    const dead = '2024-05-23T09:00:00.000Z';
    await withStore((store) =>
      store.recordErrors([
        error('opportunity:006DEAD', { attempts: 20, nextRetryAt: null, deadLetteredAt: dead }),
        error('opportunity:006LIVE'),
      ]),
    );
    const list = await run('errors', 'list', '--json');
    assert.equal(list.code, 1, list.err);
    const rows = JSON.parse(list.out) as SyncErrorRecord[];
    assert.deepEqual(
      rows.map((e) => [e.recordKey, e.deadLetteredAt]),
      [
        ['opportunity:006DEAD', dead],
        ['opportunity:006LIVE', null],
      ],
    );
    const text = await run('errors', 'list');
    assert.match(
      text.out,
      /opportunity:006DEAD {2}error {2}HUBSPOT_VALIDATION \(amount\) {2}seen 20×, dead letter since 2024-05-23T09:00:00.000Z, retried only by hand \(dealbridge errors retry\)/,
    );
    assert.match(text.out, /opportunity:006LIVE .* seen 3×, next retry 2024-05-20T11:04:00.000Z/);
    const only = JSON.parse(
      (await run('errors', 'list', '--dead-letters', '--json')).out,
    ) as SyncErrorRecord[];
    assert.deepEqual(
      only.map((e) => e.recordKey),
      ['opportunity:006DEAD'],
    );

    const status = await run('status', '--json');
    assert.equal(status.code, 1, 'errors wait');
    const s = JSON.parse(status.out) as { deadLetters: number; errors: { total: number; dueNow: number } };
    assert.equal(s.deadLetters, 1);
    assert.equal(s.errors.total, 2);
    assert.equal(s.errors.dueNow, 1, 'the dead letter is not due');
    assert.match(
      (await run('status')).out,
      /^Dead letters: 1 \(failed 20 times or for 7 days; retried only by hand/m,
    );

    const retry = await run('errors', 'retry', '--dead-letters', '--json');
    assert.equal(retry.code, 0, retry.err);
    assert.deepEqual(JSON.parse(retry.out), {
      scheduled: 1,
      deadLetters: 1,
      jobs: 0, // worker jobs put back in their pg-boss queue (none: no worker here)
      recordKeys: ['opportunity:006DEAD'],
    });
    const [revived] = await withStore((store) => store.listErrors({ recordKeys: ['opportunity:006DEAD'] }));
    assert.equal(revived?.deadLetteredAt, null);
    assert.equal(revived?.attempts, 0, 'a fresh budget of 20 attempts');
    assert.ok(revived?.nextRetryAt, 'due now');
    assert.equal((JSON.parse((await run('status', '--json')).out) as { deadLetters: number }).deadLetters, 0);
  });

  test('pause and resume: the state in status, a paused sync reads and writes nothing', async () => {
    const help = await run('--help');
    assert.match(help.out, /\bpause\b.*\n?.*Stop every write/);
    assert.match(help.out, /\bresume\b/);
    const paused = await run('pause', '--json');
    assert.equal(paused.code, 0, paused.err);
    const state = JSON.parse(paused.out) as { paused: boolean; since: string; changed: boolean };
    assert.equal(state.paused, true);
    assert.equal(state.changed, true);
    assert.match((await run('pause')).out, new RegExp(`^Sync already paused \\(since ${state.since}\\)`));
    const status = JSON.parse((await run('status', '--json')).out) as {
      paused: boolean;
      pausedSince: string;
    };
    assert.equal(status.paused, true);
    assert.equal(status.pausedSince, state.since);
    assert.match((await run('status')).out, /^Sync paused since .*until dealbridge resume$/m);

    // Nothing listens there: a pass that read anything would fail (exit 6).
    const remote = {
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      SALESFORCE_CLIENT_ID: 'client',
      SALESFORCE_CLIENT_SECRET: 'secret',
      HUBSPOT_BASE_URL: 'http://127.0.0.1:9',
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-unused',
    };
    Object.assign(env, remote);
    try {
      const sync = await run('sync', '--once');
      assert.equal(sync.code, 0, sync.err);
      assert.equal(sync.out.trim(), 'Sync paused: nothing read or written (dealbridge resume).');
      const json = JSON.parse((await run('sync', '--once', '--json')).out) as {
        paused: boolean;
        ran: boolean;
      };
      assert.deepEqual([json.paused, json.ran], [true, false]);
    } finally {
      for (const k of Object.keys(remote)) delete env[k];
    }

    const resumed = await run('resume', '--json');
    assert.equal(resumed.code, 0, resumed.err);
    assert.deepEqual(JSON.parse(resumed.out), { paused: false, since: null, changed: true });
    assert.equal((await run('resume')).out.trim(), 'Sync was not paused.');
    assert.equal((JSON.parse((await run('status', '--json')).out) as { paused: boolean }).paused, false);
  });
});
