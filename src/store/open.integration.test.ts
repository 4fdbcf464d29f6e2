// openStore: picking the backend, creating what is missing, failing cleanly.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'dealbridge-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a SQLite path creates its parent folders and runs in WAL mode', async () => {
  const file = join(dir, 'nested', 'deeper', 'state.db');
  const store = await openStore(file);
  try {
    assert.equal(store.dialect, 'sqlite');
    await store.setSetting('x', 1);
    assert.ok(existsSync(file));
    assert.ok(existsSync(`${file}-wal`), 'write-ahead log in use');
  } finally {
    await store.close();
  }
  await store.close(); // a second close is harmless
});

test(':memory: works and forgets on close', async () => {
  const store = await openStore(':memory:');
  await store.setSetting('x', { a: 1 });
  assert.deepEqual(await store.getSetting('x'), { a: 1 });
  await store.close();
  const again = await openStore('sqlite::memory:');
  assert.equal(await again.getSetting('x'), undefined);
  await again.close();
});

test('an unreachable Postgres rejects instead of hanging', async () => {
  await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/none'), /ECONNREFUSED|connect/);
});

test('unknown schemes are refused before anything is opened', async () => {
  await assert.rejects(openStore('mysql://localhost/db'), /unsupported scheme/);
});
