// Storage failures are catalogued errors naming the file or the host and port, never a hang or a
// raw driver message (issue #17 §5): a Postgres server that accepts connections and never answers,
// one that refuses them, a SQLite file that cannot be created or stays locked; `status` reads
// while another process holds SQLite's write lock; a file this process may not write is
// STORE_READ_ONLY; and a new state file is private (0600 / 0700).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DealbridgeError } from '../errors/index.js';
import { readStatus } from '../engine/status/read-status.js';
import { storeError } from './errors.js';
import { openStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'dealbridge-storage-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const bin = new URL('../../bin/dealbridge.js', import.meta.url).pathname;

/** A TCP server that accepts every connection and never sends a byte. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function codeOf(err: unknown): string {
  return err instanceof DealbridgeError ? err.code : `not catalogued: ${String(err)}`;
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, err })));
}

/** Another process holds the write lock on `file` until it is killed; resolves once it holds it. */
function holdWriteLock(file: string) {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.exec('create table if not exists held (x)');
    db.exec('begin immediate'); db.prepare('insert into held values (1)').run();
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
  });
  return { locked, release: () => child.kill('SIGKILL') };
}

describe('storage errors', { timeout: 60_000 }, () => {
  test('a Postgres server that accepts and never answers: STORE_UNREACHABLE naming host and port', async () => {
    const silent = await silentServer();
    try {
      const err = await openStore(`postgres://u@127.0.0.1:${silent.port}/db?connect_timeout=1`).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.equal(codeOf(err), 'STORE_UNREACHABLE');
      assert.match(String((err as Error).message), new RegExp(`127\\.0\\.0\\.1:${silent.port}`));
      assert.equal((err as DealbridgeError).exitCode, 7);
      // With the `schema` parameter (its own client before the pool) as well.
      await assert.rejects(
        openStore(`postgres://u@127.0.0.1:${silent.port}/db?schema=x&connect_timeout=1`),
        (e: unknown) => codeOf(e) === 'STORE_UNREACHABLE',
      );
    } finally {
      await silent.close();
    }
  });

  test('the CLI exits 7 with the code, host and port, and no stack', async () => {
    const silent = await silentServer();
    try {
      const r = await run(['status'], {
        DEALBRIDGE_DATABASE_URL: `postgres://u:pw-secret@127.0.0.1:${silent.port}/db?connect_timeout=1`,
      });
      assert.equal(r.code, 7, r.err);
      assert.match(
        r.err,
        new RegExp(`STORE_UNREACHABLE: the Postgres server 127\\.0\\.0\\.1:${silent.port}`),
      );
      assert.doesNotMatch(r.err, /pw-secret/);
      assert.doesNotMatch(r.err, /\n\s+at /);
    } finally {
      await silent.close();
    }
  });

  test('a Postgres port that refuses: STORE_UNREACHABLE', async () => {
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/none'), (e: unknown) => {
      assert.equal(codeOf(e), 'STORE_UNREACHABLE');
      assert.match(String((e as Error).message), /127\.0\.0\.1:1 did not answer \(.*ECONNREFUSED/);
      return true;
    });
  });

  test('a SQLite path that cannot be created: STORE_CANNOT_OPEN naming the file', async () => {
    const notAFolder = join(dir, 'plain-file');
    writeFileSync(notAFolder, 'x');
    const file = join(notAFolder, 'state.db');
    await assert.rejects(openStore(file), (e: unknown) => {
      assert.equal(codeOf(e), 'STORE_CANNOT_OPEN');
      assert.ok(String((e as Error).message).includes(file));
      return true;
    });
    const r = await run(['status'], { DEALBRIDGE_DATABASE_URL: file });
    assert.equal(r.code, 7);
    assert.match(r.err, /STORE_CANNOT_OPEN/);
  });

  test('a new SQLite state file is 0600 and its new folder 0700', async () => {
    const file = join(dir, 'private', 'nested', 'state.db');
    const store = await openStore(file);
    try {
      await store.setSetting('x', 1);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(`${file}-wal`).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'private', 'nested')).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'private')).mode & 0o777, 0o700);
    } finally {
      await store.close();
    }
  });

  test('a SQLite file this process may read but not write: STORE_READ_ONLY naming the file, exit 7', async () => {
    // Root writes through chmod, so as root the CLI runs as `nobody`, the way a state file owned by
    // another account (a service user's, restored by root) meets a real deployment.
    const roDir = mkdtempSync(join(tmpdir(), 'dealbridge-read-only-'));
    try {
      const file = join(roDir, 'state.db');
      await (await openStore(file)).close();
      chmodSync(file, 0o444);
      chmodSync(roDir, 0o555);
      const asRoot = process.getuid?.() === 0;
      const child = spawn(process.execPath, [bin, 'settings', 'set', 'autoProvision', 'off'], {
        cwd: roDir,
        env: { PATH: process.env.PATH ?? '', HOME: roDir, DEALBRIDGE_DATABASE_URL: file },
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 7, err);
      assert.match(err, new RegExp(`STORE_READ_ONLY: the SQLite state file ${file} cannot be written`));
      assert.doesNotMatch(err, /\n\s+at /);
    } finally {
      chmodSync(roDir, 0o700);
      rmSync(roDir, { recursive: true, force: true });
    }
  });

  test('status reads while another process holds the write lock; a write waits, then STORE_BUSY', async () => {
    const file = join(dir, 'locked.db');
    (await openStore(file)).close().catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
    const holder = holdWriteLock(file);
    try {
      await holder.locked;
      const store = await openStore(file);
      try {
        const status = await readStatus(store);
        assert.equal(status.errors.total, 0);
        await assert.rejects(store.setSetting('y', 2), (e: unknown) => {
          assert.equal(codeOf(e), 'STORE_BUSY');
          assert.ok(String((e as Error).message).includes(file));
          return true;
        });
      } finally {
        await store.close();
      }
      const r = await run(['status', '--json'], { DEALBRIDGE_DATABASE_URL: file });
      assert.equal(r.code, 0, `status while locked: ${r.err}`);
    } finally {
      holder.release();
    }
  });
});

test('storeError: which driver codes are catalogued, and what stays as it was', () => {
  const sqlite = { dialect: 'sqlite' as const, file: '/srv/state.db' };
  const pg = { dialect: 'postgres' as const, host: 'db.internal', port: 5433 };
  const e = (code: string, message = 'driver says no') => Object.assign(new Error(message), { code });
  const cases: [unknown, typeof sqlite | typeof pg, string][] = [
    [e('SQLITE_BUSY'), sqlite, 'STORE_BUSY'],
    [e('SQLITE_BUSY_SNAPSHOT'), sqlite, 'STORE_BUSY'],
    [e('SQLITE_READONLY'), sqlite, 'STORE_READ_ONLY'],
    [e('SQLITE_READONLY_DBMOVED'), sqlite, 'STORE_READ_ONLY'],
    [e('SQLITE_CANTOPEN'), sqlite, 'STORE_CANNOT_OPEN'],
    [e('EACCES'), sqlite, 'STORE_CANNOT_OPEN'],
    [e('ECONNREFUSED'), pg, 'STORE_UNREACHABLE'],
    [e('ENOTFOUND'), pg, 'STORE_UNREACHABLE'],
    [e('57P03'), pg, 'STORE_UNREACHABLE'],
    [e('57014'), pg, 'STORE_UNREACHABLE'],
    [new Error('timeout exceeded when trying to connect'), pg, 'STORE_UNREACHABLE'],
    [new Error('Query read timeout'), pg, 'STORE_UNREACHABLE'],
    [e('28P01'), pg, 'STORE_CANNOT_OPEN'],
    [e('3D000'), pg, 'STORE_CANNOT_OPEN'],
  ];
  for (const [err, where, code] of cases) {
    const out = storeError(err, where);
    assert.equal(codeOf(out), code, String(err));
    assert.match(
      (out as Error).message,
      where.dialect === 'sqlite' ? /\/srv\/state\.db/ : /db\.internal:5433/,
    );
  }
  for (const [err, where] of [
    [e('SQLITE_CONSTRAINT_PRIMARYKEY'), sqlite],
    [e('23505'), pg],
    [new Error('syntax error'), pg],
  ] as const)
    assert.equal(storeError(err, where), err, 'not a storage failure: unchanged');
});
