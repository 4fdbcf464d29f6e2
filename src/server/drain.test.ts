// SIGTERM drains `serve` (issue #15): from the moment close() starts, /readyz answers 503 so a load
// balancer stops sending work, while the pass in flight runs to its end; only then does the server
// close. The pass's metrics and its log line (with its pass id) are kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idlePass } from '../engine/sync/pass.js';
import { startServer } from './serve.js';
import { fakeRuntime, TEST_SECRETS } from './testing.js';

test('a draining server is not ready, finishes its pass, then closes', async () => {
  const rt = await fakeRuntime();
  const engine = await rt.engine();
  let release!: () => void;
  let passStarted!: () => void;
  const started = new Promise<void>((r) => (passStarted = r));
  engine.runPass = async () => {
    passStarted();
    await new Promise<void>((r) => (release = r));
    const pass = idlePass('2026-05-20T12:00:00.000Z', false);
    return { ...pass, ran: true, created: 2, finishedAt: '2026-05-20T12:00:03.000Z' };
  };
  const lines: string[] = [];
  const server = await startServer({
    runtime: rt,
    host: '127.0.0.1',
    port: 0,
    adminToken: TEST_SECRETS.adminToken,
    sync: true,
    intervalMs: 60_000,
    logStream: { write: (l: string) => lines.push(l) },
  });
  await started;
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200, 'ready while it works');
  const closed = server.close();
  let closedYet = false;
  void closed.then(() => (closedYet = true));
  const draining = await fetch(`${server.url}/readyz`);
  assert.equal(draining.status, 503);
  assert.deepEqual(((await draining.json()) as { checks: { draining: unknown } }).checks.draining, {
    ok: false,
  });
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'alive while it drains');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /dealbridge_sync_pass_duration_seconds_count\{connection="default"\} 0/);
  assert.equal(closedYet, false, 'the pass in flight holds the close');
  release();
  await closed;
  const log = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const drainAt = log.findIndex((l) => String(l.msg).startsWith('draining'));
  const passAt = log.findIndex((l) => l.msg === 'sync pass finished');
  assert.ok(drainAt >= 0 && passAt > drainAt, 'the pass finished after the drain began');
  assert.match(String(log[passAt]?.passId), /^[0-9a-f-]{36}$/);
  assert.equal(log[passAt]?.created, 2);
});
