// Switching a fresh database to WAL needs an exclusive lock, and SQLite refuses it at once
// (SQLITE_BUSY, no busy handler) while another process holds any lock on the file, as when several
// processes open a new store together. The open must wait for the lock, within the busy timeout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openSqliteBackend } from './backend.js';

/** Another process holds the write lock on `file` for `ms`; resolves once it holds it. */
function holdLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.exec('create table if not exists t (x)');
    db.exec('begin immediate'); db.prepare('insert into t values (1)').run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('commit'); db.close(); }, ${ms});
  `;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`))));
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve({ released: done });
    });
    child.on('error', reject);
  });
}

test('opening a fresh database while another process writes to it waits for the WAL switch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dealbridge-wal-'));
  try {
    const file = join(dir, 'state.db');
    const { released } = await holdLock(file, 400);
    const backend = openSqliteBackend(file);
    try {
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(backend.db);
      assert.equal(rows[0]?.journal_mode, 'wal');
    } finally {
      await backend.close();
    }
    await released;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
