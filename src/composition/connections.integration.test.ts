// Connections on both SQL backends: a store as the release before the registry left it (its
// migrations up to 0007) becomes the connection `default` with everything kept; `connections add`
// makes a store of its own (a schema or a file), `--connection` acts on it and on nothing else,
// `remove` deletes it. Through the real binary.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { runCli } from '../cli/testing/run-cli.js';
import { openStore, parseStoreLocation } from '../store/index.js';
import { parsePostgresUrl } from '../store/postgres/backend.js';
import { describeEachSqlDialect, POSTGRES_TEST_URL } from '../store/testing/dialects.js';

const cwd = mkdtempSync(join(tmpdir(), 'dealbridge-connections-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

/**
 * Back to what the release before the registry left (migrations up to 0007): every later
 * migration undone (0008 credentials, 0009 registry, 0010 audit times, 0011 CDC codes) and not recorded.
 */
async function asBeforeTheRegistry(url: string): Promise<void> {
  const loc = parseStoreLocation(url);
  const statements = [
    'drop table connection_registry',
    'drop table connections',
    'alter table audit_log drop column salesforce_at',
    'alter table audit_log drop column hubspot_at',
    'alter table cdc_state drop column code',
    "delete from dealbridge_migration where name > '0007-cdc-state'",
  ];
  if (loc.dialect === 'sqlite') {
    const db = new Database(loc.target);
    for (const s of statements) db.exec(s);
    db.close();
    return;
  }
  const { connectionString, schema } = parsePostgresUrl(url);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

async function schemaExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_namespace where nspname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describeEachSqlDialect('connections', (h) => {
  test('an existing store becomes `default` with everything kept; a new connection has a store of its own', async () => {
    const url = await h.freshUrl();
    const old = await openStore(url);
    await old.setSetting('opportunitySync', true);
    await old.setCursor('opportunities', { modstamp: '2026-01-02T03:04:05.000Z', id: '006000000000001AAA' });
    await old.close();
    await asBeforeTheRegistry(url);

    const env = {
      ...process.env,
      DEALBRIDGE_DATABASE_URL: url,
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      SALESFORCE_CLIENT_ID: 'acme-client',
      SALESFORCE_CLIENT_SECRET: 'acme-secret-value',
      HUBSPOT_ACCESS_TOKEN: 'pat-acme-token-value',
    };
    // Opening it with this release migrates it: the data is all there, and it is `default`.
    const listed = await runCli(['connections', 'list', '--json'], env, cwd);
    assert.equal(listed.code, 0, listed.err);
    const list = JSON.parse(listed.out) as { connections: { name: string }[] };
    assert.deepEqual(
      list.connections.map((c) => c.name),
      ['default'],
    );
    const migrated = await openStore(url);
    assert.deepEqual(await migrated.migrationStatus().then((m) => m.pending), []);
    assert.equal(await migrated.getSetting('opportunitySync'), true);
    assert.equal((await migrated.getCursor('opportunities'))?.id, '006000000000001AAA');
    await migrated.close();

    const added = await runCli(['connections', 'add', 'acme', '--json'], env, cwd);
    assert.equal(added.code, 0, added.err);
    const info = JSON.parse(added.out) as {
      store: string;
      salesforce: Record<string, string>;
      hubspot: Record<string, string>;
    };
    assert.equal(info.salesforce.clientId, 'acme-client');
    assert.ok(
      !added.out.includes('acme-secret-value') && !added.out.includes('pat-acme-token-value'),
      'secrets masked',
    );
    assert.equal(info.salesforce.clientSecret, '(sealed)');
    // The registry keeps no secret in plain text: they are sealed in the default store's vault.
    const reg = await openStore(url);
    const kept = JSON.stringify([await reg.listConnections(), await reg.listConnectionRows()]);
    await reg.close();
    assert.ok(!kept.includes('acme-secret-value') && !kept.includes('pat-acme-token-value'), kept);
    const acmeUrl = info.store;
    if (h.dialect === 'postgres') assert.ok(await schemaExists(String(parsePostgresUrl(acmeUrl).schema)));
    else assert.ok(existsSync(parseStoreLocation(acmeUrl).target));

    // --connection acts on acme's store, and `default` keeps its own.
    const acme = await runCli(['--connection', 'acme', 'settings', 'get', 'opportunitySync'], env, cwd);
    assert.equal(acme.code, 0, acme.err);
    assert.match(acme.out, /false|off/);
    const own = await runCli(['settings', 'get', 'opportunitySync'], env, cwd);
    assert.match(own.out, /true|on/);
    const unknown = await runCli(['--connection', 'nope', 'status'], env, cwd);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no connection "nope" \(connections: default, acme\)/);

    const again = await runCli(['connections', 'add', 'acme'], env, cwd);
    assert.equal(again.code, 2);
    const removed = await runCli(['connections', 'remove', 'acme', '--json'], env, cwd);
    assert.equal(removed.code, 0, removed.err);
    if (h.dialect === 'postgres')
      assert.equal(await schemaExists(String(parsePostgresUrl(acmeUrl).schema)), false);
    else assert.equal(existsSync(parseStoreLocation(acmeUrl).target), false);
    const after = JSON.parse((await runCli(['connections', 'list', '--json'], env, cwd)).out) as {
      connections: { name: string }[];
    };
    assert.deepEqual(
      after.connections.map((c) => c.name),
      ['default'],
    );
  });
});
