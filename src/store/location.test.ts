import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStoreLocation } from './location.js';
import { parsePostgresUrl } from './postgres/backend.js';

test('postgres URLs pick Postgres and pass through unchanged', () => {
  for (const url of ['postgres://u@h:5432/db', 'postgresql://u:p@h/db?sslmode=require', 'POSTGRES://h/db']) {
    assert.deepEqual(parseStoreLocation(url), { dialect: 'postgres', target: url });
  }
});

test('sqlite: prefixes, plain paths and :memory: pick SQLite, relative paths against cwd', () => {
  assert.deepEqual(parseStoreLocation('sqlite:state.db', '/srv/app'), {
    dialect: 'sqlite',
    target: '/srv/app/state.db',
  });
  assert.deepEqual(parseStoreLocation('sqlite://./x/state.db', '/srv'), {
    dialect: 'sqlite',
    target: '/srv/x/state.db',
  });
  assert.deepEqual(parseStoreLocation('sqlite:///var/lib/db.sqlite'), {
    dialect: 'sqlite',
    target: '/var/lib/db.sqlite',
  });
  assert.deepEqual(parseStoreLocation('.dealbridge/state.db', '/home/u'), {
    dialect: 'sqlite',
    target: '/home/u/.dealbridge/state.db',
  });
  assert.deepEqual(parseStoreLocation('/abs/state.db'), { dialect: 'sqlite', target: '/abs/state.db' });
  assert.deepEqual(parseStoreLocation(':memory:'), { dialect: 'sqlite', target: ':memory:' });
  assert.deepEqual(parseStoreLocation('sqlite::memory:'), { dialect: 'sqlite', target: ':memory:' });
});

test('empty and unknown schemes are refused', () => {
  assert.throws(() => parseStoreLocation('  '), /empty/);
  assert.throws(() => parseStoreLocation('sqlite:'), /file path/);
  assert.throws(() => parseStoreLocation('mysql://h/db'), /unsupported scheme in "mysql:\/\/…"/);
});

test('the schema parameter is ours: split off and checked', () => {
  assert.deepEqual(parsePostgresUrl('postgres://u@h:5432/db?schema=dealbridge&sslmode=disable'), {
    connectionString: 'postgres://u@h:5432/db?sslmode=disable',
    schema: 'dealbridge',
    connectTimeoutMs: 10_000,
    host: 'h',
    port: 5432,
  });
  assert.deepEqual(parsePostgresUrl('postgres://u@h/db'), {
    connectionString: 'postgres://u@h/db',
    schema: undefined,
    connectTimeoutMs: 10_000,
    host: 'h',
    port: 5432,
  });
  assert.throws(() => parsePostgresUrl('postgres://h/db?schema=a%22%3Bdrop'), /plain identifier/);
});

test('connect_timeout (seconds, as libpq names it) is read and split off; the default is 10 s', () => {
  const u = parsePostgresUrl('postgres://u@10.1.2.3:6543/db?connect_timeout=2&sslmode=require');
  assert.equal(u.connectTimeoutMs, 2000);
  assert.equal(u.connectionString, 'postgres://u@10.1.2.3:6543/db?sslmode=require');
  assert.deepEqual([u.host, u.port], ['10.1.2.3', 6543]);
  assert.throws(() => parsePostgresUrl('postgres://h/db?connect_timeout=soon'), /connect_timeout/);
});
