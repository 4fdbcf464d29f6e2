// Sync-loop errors inside `serve` reach the log, not only the UI (issue #17 §5), with the
// secrets redacted as everywhere else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DealbridgeError } from '../errors/index.js';
import { startServer } from './serve.js';
import { fakeRuntime, TEST_SECRETS } from './testing.js';

test('a failing pass of the sync loop is logged with its code, redacted', async () => {
  const rt = await fakeRuntime();
  const engine = await rt.engine();
  let calls = 0;
  engine.runPass = async () => {
    calls++;
    throw new DealbridgeError(
      'HUBSPOT_UNAVAILABLE',
      `HubSpot answered 503 for token ${TEST_SECRETS.hubspotToken}`,
    );
  };
  const lines: string[] = [];
  const server = await startServer({
    runtime: rt,
    host: '127.0.0.1',
    port: 0,
    adminToken: TEST_SECRETS.adminToken,
    sync: true,
    intervalMs: 10,
    logStream: { write: (l: string) => lines.push(l) },
  });
  try {
    for (let i = 0; i < 200 && !lines.some((l) => l.includes('sync loop')); i++)
      await new Promise((r) => setTimeout(r, 20));
  } finally {
    await server.close();
  }
  assert.ok(calls >= 1);
  const line = lines.find((l) => l.includes('sync loop'));
  assert.ok(line, `no sync-loop line in the log: ${lines.join('')}`);
  const entry = JSON.parse(line) as { code: string; msg: string; event: string };
  assert.equal(entry.code, 'HUBSPOT_UNAVAILABLE');
  assert.equal(entry.event, 'sync');
  assert.match(entry.msg, /HubSpot answered 503/);
  assert.ok(!lines.join('').includes(TEST_SECRETS.hubspotToken), 'the token is redacted');
});
