// /readyz on a real Postgres store (issue #15): ready while the store answers; 503 naming the code
// when the connection to it is cut (a relay between the server and Postgres is closed), and ready
// again when it is back; 503 naming the migration when the store is behind the code. /metrics
// says the same with dealbridge_store_up.
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { after, test } from 'node:test';
import pg from 'pg';
import { openRuntime } from '../composition/runtime.js';
import { buildServer } from '../server/app.js';
import { registerApi } from '../server/routes/index.js';
import { createServerContext } from '../server/serve.js';
import { parseExposition, valueOf } from './exposition.js';

const ADMIN = 'readyz-admin-token-N3v8Qw1z';
const SCHEMA = `readyz_${process.pid}`;

/** A TCP relay to the local Postgres that can be cut and restored. */
async function relay() {
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(5432, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

after(async () => {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await client.connect();
  await client.query(`drop schema if exists "${SCHEMA}" cascade`);
  await client.end();
});

test('readiness follows the Postgres store: cut, back, behind the code', { timeout: 60_000 }, async () => {
  const r = await relay();
  const runtime = await openRuntime({
    databaseUrl: `postgres://postgres@127.0.0.1:${r.port}/test?schema=${SCHEMA}&connect_timeout=1`,
    salesforce: { apiVersion: '62.0', budgetPercent: 80 },
    hubspot: { baseUrl: 'http://127.0.0.1:1', accessToken: '' },
    engine: {},
    createSalesforce: () => Promise.reject(new Error('no Salesforce in this test')),
    createHubspot: () => Promise.reject(new Error('no HubSpot in this test')),
  });
  const ctx = createServerContext(runtime, ADMIN);
  const app = await buildServer({
    adminToken: ADMIN,
    secrets: ctx.secrets,
    logStream: { write: () => undefined },
    routes: (a) => void registerApi(a, ctx),
  });
  const readyz = async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    return { status: res.statusCode, body: res.json<{ checks: Record<string, unknown> }>() };
  };
  const storeUp = async () =>
    valueOf(
      parseExposition((await app.inject({ method: 'GET', url: '/metrics' })).body),
      'dealbridge_store_up',
    );
  try {
    assert.equal((await readyz()).status, 200);
    assert.equal(await storeUp(), 1);

    r.cut();
    const t0 = Date.now();
    const down = await readyz();
    assert.equal(down.status, 503);
    assert.deepEqual(down.body.checks.store, { ok: false, code: 'STORE_UNREACHABLE' });
    assert.ok(Date.now() - t0 < 5000, 'within the probe timeout');
    assert.equal(await storeUp(), 0);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);

    r.restore();
    let back = await readyz();
    for (let i = 0; i < 20 && back.status !== 200; i++) {
      await new Promise((res) => setTimeout(res, 100));
      back = await readyz();
    }
    assert.equal(back.status, 200, 'ready again once the store answers');

    // A store behind the code: its newest migration not applied.
    const direct = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
    await direct.connect();
    try {
      const { rows } = await direct.query<{ name: string }>(
        `delete from "${SCHEMA}".dealbridge_migration where name = (select max(name) from "${SCHEMA}".dealbridge_migration) returning name`,
      );
      const behind = await readyz();
      assert.equal(behind.status, 503);
      assert.deepEqual(behind.body.checks.migrations, { ok: false, pending: [rows[0]?.name] });
      assert.deepEqual(behind.body.checks.store, { ok: true });
    } finally {
      await direct.end();
    }
  } finally {
    await app.close();
    await runtime.close();
    await r.close();
  }
});
