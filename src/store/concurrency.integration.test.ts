// Concurrent use: one store from many async contexts, and several processes on one database
// (as several workers would share a Postgres store, or a CLI command the sandbox's SQLite file).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dealLink, sfId } from './testing/fixtures.js';
import { describeEachDialect, describeEachSqlDialect } from './testing/dialects.js';
import { writeLoad } from './testing/write-load.js';

const WRITER = fileURLToPath(new URL('./testing/writer.ts', import.meta.url));

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describeEachDialect('store: concurrent use of one store', (h) => {
  test('calls outside a transaction run alongside it and all land', async () => {
    const store = await h.open();
    const inside = store.transaction(async () => {
      for (let i = 0; i < 5; i++) await store.saveDealLinks([dealLink(sfId('006T', i))]);
    });
    const outside = Array.from({ length: 20 }, (_, i) => store.saveDealLinks([dealLink(sfId('006O', i))]));
    const reads = Array.from({ length: 5 }, () => store.getSetting('none'));
    await Promise.all([inside, ...outside, ...reads]);
    const ids = [
      ...Array.from({ length: 5 }, (_, i) => sfId('006T', i)),
      ...Array.from({ length: 20 }, (_, i) => sfId('006O', i)),
    ];
    assert.equal((await store.getDealLinks(ids)).size, 25);
  });

  test('concurrent transactions on one store both commit', async () => {
    const store = await h.open();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.transaction(async () => {
          await store.setSetting(`k${i}`, i);
          await store.recordApiCalls('salesforce', 1, '2024-05-20T10:00:00.000Z');
        }),
      ),
    );
    for (let i = 0; i < 8; i++) assert.equal(await store.getSetting(`k${i}`), i);
    assert.deepEqual(await store.apiCalls('salesforce', '2024-05-20T10:00:00.000Z'), [
      { hour: '2024-05-20T10:00:00.000Z', count: 8 },
    ]);
  });
});

// SQL only: the in-memory store is one object in one process, with no database to reopen,
// migrate or share with other processes.
describeEachSqlDialect('store: two stores on one database', (h) => {
  test('reopening keeps the data and migrating again is a no-op', async () => {
    const url = await h.freshUrl();
    const first = await h.openUrl(url);
    await first.setSetting('kept', { yes: true });
    await first.close();
    const second = await h.openUrl(url);
    await second.migrate();
    assert.deepEqual(await second.getSetting('kept'), { yes: true });
  });

  test('processes opening a fresh database at the same moment migrate it once', async () => {
    const url = await h.freshUrl();
    // Each process waits until the same instant before opening, after its slow start-up.
    const startAt = String(Date.now() + 6_000);
    const outputs = await Promise.all(
      ['a', 'b', 'c'].map((w) => run(process.execPath, ['--import', 'tsx', WRITER, url, w, '1', startAt])),
    );
    assert.deepEqual(outputs, ['done\n', 'done\n', 'done\n']);
    const store = await h.openUrl(url);
    for (const w of ['a', 'b', 'c']) assert.equal(await store.getSetting(`worker-${w}`), 0);
  });

  test('writer processes on one database interleave without losing updates', async () => {
    const url = await h.freshUrl();
    const store = await h.openUrl(url);
    const perWorker = 30;
    const workers = ['0', '1', 'parent'];
    const [out0, out1] = await Promise.all([
      run(process.execPath, ['--import', 'tsx', WRITER, url, '0', String(perWorker)]),
      run(process.execPath, ['--import', 'tsx', WRITER, url, '1', String(perWorker)]),
      writeLoad(store, 'parent', perWorker),
    ]);
    assert.deepEqual([out0, out1], ['done\n', 'done\n']);
    const ids = workers.flatMap((w) => Array.from({ length: perWorker }, (_, i) => sfId(`W${w}`, i)));
    assert.equal((await store.getDealLinks(ids)).size, workers.length * perWorker);
    assert.deepEqual(await store.apiCalls('hubspot', '2024-05-20T10:00:00.000Z'), [
      { hour: '2024-05-20T10:00:00.000Z', count: workers.length * perWorker },
    ]);
    for (const w of workers) assert.equal(await store.getSetting(`worker-${w}`), perWorker - 1);
  });
});
