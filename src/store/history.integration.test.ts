// Errors, audit log, API usage, pass summaries and import runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEntry, PassSummary } from '../engine/ports/store.js';
import { importRun, opp, syncError } from './testing/fixtures.js';
import { describeEachDialect } from './testing/dialects.js';

function entry(target: string, field: string, at: string, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at,
    target,
    sourceKey: 'opportunity:006A',
    field,
    oldValue: null,
    newValue: `${field}@${at}`,
    reason: 'sync',
    runId: null,
    ...over,
  };
}

function summary(kind: PassSummary['kind'], finishedAt: string, created: number): PassSummary {
  return {
    kind,
    startedAt: '2024-05-20T09:59:59.000Z',
    finishedAt,
    created,
    updated: 2,
    unchanged: 3,
    skipped: 4,
    failed: 5,
    archived: 6,
    skippedByReason: { NO_CONTACT_IN_HUBSPOT: 4 },
  };
}

describeEachDialect('store: sync errors', (h) => {
  test('recordErrors upserts as given, listErrors filters', async () => {
    const store = await h.open();
    await store.recordErrors([
      syncError('opportunity:006A'),
      syncError('opportunity:006B', { code: 'STAGE_NOT_MAPPED', field: null, nextRetryAt: null }),
    ]);
    await store.recordErrors([
      syncError('opportunity:006A', {
        attempts: 2,
        message: 'again',
        firstSeenAt: '2024-05-20T11:00:00.000Z',
        lastSeenAt: '2024-05-20T11:00:00.000Z',
        nextRetryAt: '2024-05-20T11:10:00.000Z',
      }),
    ]);
    const all = await store.listErrors();
    assert.deepEqual(
      all.map((e) => e.recordKey),
      ['opportunity:006A', 'opportunity:006B'],
    );
    // firstSeenAt too: the engine keeps the first sighting, and starts it again with a new budget.
    assert.deepEqual(all[0], {
      ...syncError('opportunity:006A'),
      attempts: 2,
      message: 'again',
      firstSeenAt: '2024-05-20T11:00:00.000Z',
      lastSeenAt: '2024-05-20T11:00:00.000Z',
      nextRetryAt: '2024-05-20T11:10:00.000Z',
    });
    assert.deepEqual(
      (await store.listErrors({ code: 'STAGE_NOT_MAPPED' })).map((e) => e.recordKey),
      ['opportunity:006B'],
    );
    assert.deepEqual(
      (await store.listErrors({ recordKeys: ['opportunity:006A', 'x'] })).map((e) => e.recordKey),
      ['opportunity:006A'],
    );
    assert.deepEqual(
      await store.listErrors({ recordKeys: ['opportunity:006A'], code: 'STAGE_NOT_MAPPED' }),
      [],
    );
    assert.deepEqual(await store.listErrors({ recordKeys: [] }), []);
    assert.deepEqual(await store.errorCountsByCode(), { OWNER_NOT_FOUND: 1, STAGE_NOT_MAPPED: 1 });
  });

  test('severity is stored, filtered on and counted apart (migration 0003)', async () => {
    const store = await h.open();
    await store.recordErrors([
      syncError('opportunity:006A', { severity: 'warning', nextRetryAt: null }),
      syncError('opportunity:006B', { code: 'STAGE_NOT_MAPPED' }),
      syncError('opportunity:006C', { code: 'INVALID_PICKLIST', severity: 'warning', nextRetryAt: null }),
      syncError('opportunity:006D', { code: 'INVALID_PICKLIST' }),
    ]);
    assert.deepEqual(
      (await store.listErrors({ severity: 'warning' })).map((e) => `${e.recordKey} ${e.severity}`),
      ['opportunity:006C warning', 'opportunity:006A warning'],
    );
    assert.deepEqual(
      (await store.listErrors({ severity: 'error', code: 'INVALID_PICKLIST' })).map((e) => e.recordKey),
      ['opportunity:006D'],
    );
    assert.deepEqual(await store.errorCountsByCode(), { INVALID_PICKLIST: 1, STAGE_NOT_MAPPED: 1 });
    assert.deepEqual(await store.errorCountsByCode('warning'), { INVALID_PICKLIST: 1, OWNER_NOT_FOUND: 1 });
    // A record whose warning turns into an error (and back) is updated in place.
    await store.recordErrors([syncError('opportunity:006A', { severity: 'error', attempts: 2 })]);
    assert.equal((await store.listErrors({ recordKeys: ['opportunity:006A'] }))[0]?.severity, 'error');
  });

  test('dueRetries returns records whose time has come, oldest first, up to the limit', async () => {
    const store = await h.open();
    await store.recordErrors([
      syncError('r:late', { nextRetryAt: '2024-05-20T12:00:00.000Z' }),
      syncError('r:first', { nextRetryAt: '2024-05-20T10:00:00.000Z' }),
      syncError('r:second', { nextRetryAt: '2024-05-20T10:30:00.000Z' }),
      syncError('r:never', { nextRetryAt: null }),
      syncError('r:exact', { nextRetryAt: '2024-05-20T11:00:00.000Z' }),
    ]);
    const due = await store.dueRetries('2024-05-20T11:00:00.000Z', 10);
    assert.deepEqual(
      due.map((e) => e.recordKey),
      ['r:first', 'r:second', 'r:exact'],
    );
    assert.deepEqual(
      (await store.dueRetries('2024-05-20T11:00:00.000Z', 2)).map((e) => e.recordKey),
      ['r:first', 'r:second'],
    );
    await store.scheduleRetryNow(['r:late', 'r:never', 'r:missing'], '2024-05-20T10:45:00.000Z');
    assert.deepEqual(
      (await store.dueRetries('2024-05-20T10:45:00.000Z', 10)).map((e) => e.recordKey),
      ['r:first', 'r:second', 'r:late', 'r:never'],
    );
  });

  test('dead letters (migration 0004): never due, listed apart, brought back only by a retry by hand', async () => {
    const store = await h.open();
    const dead = '2024-05-27T10:00:00.000Z';
    await store.recordErrors([
      syncError('r:dead', { attempts: 20, nextRetryAt: null, deadLetteredAt: dead }),
      syncError('r:live', { attempts: 3, nextRetryAt: '2024-05-20T10:30:00.000Z' }),
    ]);
    assert.deepEqual(
      (await store.listErrors()).map((e) => [e.recordKey, e.deadLetteredAt]),
      [
        ['r:dead', dead],
        ['r:live', null],
      ],
    );
    assert.deepEqual(
      (await store.listErrors({ deadLetter: true })).map((e) => e.recordKey),
      ['r:dead'],
    );
    assert.deepEqual(
      (await store.listErrors({ deadLetter: false })).map((e) => e.recordKey),
      ['r:live'],
    );
    const later = '2024-06-01T00:00:00.000Z';
    assert.deepEqual(
      (await store.dueRetries(later, 10)).map((e) => e.recordKey),
      ['r:live'],
    );
    // Setup, settings and the owner refresh make records due; a dead letter waits for a person.
    await store.scheduleRetryNow(['r:dead', 'r:live'], later);
    assert.deepEqual(
      (await store.dueRetries(later, 10)).map((e) => e.recordKey),
      ['r:live'],
    );
    assert.equal((await store.listErrors({ recordKeys: ['r:dead'] }))[0]?.nextRetryAt, null);

    const now = '2024-06-02T00:00:00.000Z';
    assert.equal(await store.retryByHand(['r:dead', 'r:live', 'r:missing', 'r:dead'], now), 1);
    const [revived, live] = await store.listErrors({ recordKeys: ['r:dead', 'r:live'] });
    assert.deepEqual(revived, {
      ...syncError('r:dead'),
      attempts: 0,
      firstSeenAt: now,
      nextRetryAt: now,
      deadLetteredAt: null,
    });
    // An ordinary error keeps its count: only a dead letter gets a fresh budget.
    assert.deepEqual(live, { ...syncError('r:live', { attempts: 3 }), nextRetryAt: now });
    assert.deepEqual(
      (await store.dueRetries(now, 10)).map((e) => e.recordKey),
      ['r:dead', 'r:live'],
    );
    assert.deepEqual(await store.listErrors({ deadLetter: true }), []);
  });

  test('clearErrors removes and counts only existing records', async () => {
    const store = await h.open();
    await store.recordErrors([syncError('a'), syncError('b'), syncError('c')]);
    assert.equal(await store.clearErrors(['a', 'c', 'zzz', 'a']), 2);
    assert.equal(await store.clearErrors([]), 0);
    assert.deepEqual(
      (await store.listErrors()).map((e) => e.recordKey),
      ['b'],
    );
  });
});

describeEachDialect('store: audit log', (h) => {
  test('auditFor returns a target newest first, limited, ties in write order', async () => {
    const store = await h.open();
    await store.appendAudit([
      entry('deal:1', 'dealname', '2024-05-20T10:00:00.000Z', {
        oldValue: 'a',
        newValue: 'b',
        runId: 'run-1',
      }),
      entry('deal:1', 'amount', '2024-05-20T11:00:00.000Z'),
      entry('deal:2', 'amount', '2024-05-20T12:00:00.000Z'),
    ]);
    await store.appendAudit([entry('deal:1', 'closedate', '2024-05-20T11:00:00.000Z', { reason: 'resync' })]);
    // Written last but stamped earliest (a late writer's clock): ordered by its time.
    await store.appendAudit([entry('deal:1', 'description', '2024-05-20T09:00:00.000Z')]);
    const got = await store.auditFor('deal:1', 10);
    assert.deepEqual(
      got.map((e) => e.field),
      ['closedate', 'amount', 'dealname', 'description'],
    );
    assert.deepEqual(
      got[2],
      entry('deal:1', 'dealname', '2024-05-20T10:00:00.000Z', {
        oldValue: 'a',
        newValue: 'b',
        runId: 'run-1',
      }),
    );
    assert.equal((await store.auditFor('deal:1', 1)).length, 1);
    assert.deepEqual(await store.auditFor('deal:3', 10), []);
    await store.appendAudit([]);
  });
});

describeEachDialect('store: API usage', (h) => {
  test('calls add up per side and UTC hour, concurrently too', async () => {
    const store = await h.open();
    await store.recordApiCalls('hubspot', 3, '2024-05-20T10:59:59.999Z');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.recordApiCalls('hubspot', 1, `2024-05-20T10:${String(i).padStart(2, '0')}:00.000Z`),
      ),
    );
    await store.recordApiCalls('hubspot', 7, '2024-05-20T11:00:00.000Z');
    await store.recordApiCalls('salesforce', 5, '2024-05-20T10:15:00.000Z');
    await store.recordApiCalls('hubspot', 0, '2024-05-20T09:00:00.000Z');
    assert.deepEqual(await store.apiCalls('hubspot', '2024-05-20T09:30:00.000Z'), [
      { hour: '2024-05-20T10:00:00.000Z', count: 23 },
      { hour: '2024-05-20T11:00:00.000Z', count: 7 },
    ]);
    // A `since` inside an hour includes that hour's bucket.
    assert.deepEqual(await store.apiCalls('hubspot', '2024-05-20T11:30:00.000Z'), [
      { hour: '2024-05-20T11:00:00.000Z', count: 7 },
    ]);
    assert.deepEqual(await store.apiCalls('salesforce', '2024-05-20T00:00:00.000Z'), [
      { hour: '2024-05-20T10:00:00.000Z', count: 5 },
    ]);
    // Offsets other than Z land in the right UTC hour.
    await store.recordApiCalls('salesforce', 1, '2024-05-20T12:15:00.000+02:00');
    assert.equal((await store.apiCalls('salesforce', '2024-05-20T00:00:00.000Z'))[0]?.count, 6);
  });
});

describeEachDialect('store: pass summaries and import runs', (h) => {
  test('lastPassSummary is the latest finished pass of its kind', async () => {
    const store = await h.open();
    assert.equal(await store.lastPassSummary('sync'), undefined);
    await store.savePassSummary(summary('sync', '2024-05-20T10:00:01.000Z', 1));
    await store.savePassSummary(summary('sync', '2024-05-20T10:00:03.000Z', 3));
    await store.savePassSummary(summary('sync', '2024-05-20T10:00:02.000Z', 2));
    await store.savePassSummary(summary('import', '2024-05-20T10:00:09.000Z', 9));
    assert.deepEqual(await store.lastPassSummary('sync'), summary('sync', '2024-05-20T10:00:03.000Z', 3));
    assert.equal((await store.lastPassSummary('import'))?.created, 9);
  });

  test('import runs: counts added side by side lose nothing (the batches of workers)', async () => {
    const store = await h.open();
    await store.createImportRun(importRun('run-3', { processed: 10, created: 4 }));
    const delta = { processed: 100, created: 7, updated: 2, unchanged: 80, skipped: 10, failed: 1 };
    // Concurrent transactions on the SQL backends: a read-then-write would keep only some.
    await Promise.all(
      Array.from({ length: 8 }, () => store.transaction(() => store.addImportRunCounts('run-3', delta))),
    );
    const run = await store.getImportRun('run-3');
    assert.deepEqual(
      [run?.processed, run?.created, run?.updated, run?.unchanged, run?.skipped, run?.failed],
      [810, 60, 16, 640, 80, 8],
    );
    await assert.rejects(store.addImportRunCounts('nope', delta), /import run not found: nope/);
  });

  test('import runs: create, patch, list newest first', async () => {
    const store = await h.open();
    await store.createImportRun(importRun('run-1', { startedAt: '2024-05-20T09:00:00.000Z' }));
    await store.createImportRun(importRun('run-2'));
    await store.updateImportRun('run-1', {
      status: 'completed',
      finishedAt: '2024-05-20T09:30:00.000Z',
      processed: 100,
      created: 60,
      total: 100,
      checkpointId: '006Z',
      message: 'done',
    });
    await store.updateImportRun('run-2', { processed: 5, checkpointId: '006E' });
    await store.updateImportRun('run-2', { checkpointId: null });
    const runs = await store.listImportRuns(10);
    assert.deepEqual(
      runs.map((r) => r.id),
      ['run-2', 'run-1'],
    );
    assert.deepEqual(
      runs[1],
      importRun('run-1', {
        startedAt: '2024-05-20T09:00:00.000Z',
        status: 'completed',
        finishedAt: '2024-05-20T09:30:00.000Z',
        processed: 100,
        created: 60,
        total: 100,
        checkpointId: '006Z',
        message: 'done',
      }),
    );
    assert.deepEqual(await store.getImportRun('run-2'), importRun('run-2', { processed: 5 }));
    assert.equal(await store.getImportRun('run-3'), undefined);
    assert.equal((await store.listImportRuns(1)).length, 1);
    await assert.rejects(store.updateImportRun('run-3', { processed: 1 }), /import run not found: run-3/);
    await assert.rejects(store.updateImportRun('run-3', {}), /import run not found/);
    await store.updateImportRun('run-1', {});
  });
});

describeEachDialect('store: text with NUL and other control characters', (h) => {
  test('audit values, mirror names and error messages with NUL are stored (Postgres: NUL as U+FFFD)', async () => {
    const store = await h.open();
    const text = 'tab\tBEL\u0007 NUL\u0000 end';
    // Postgres text cannot hold U+0000: it is stored as the replacement character, the rest as is.
    const kept = h.dialect === 'postgres' ? 'tab\tBEL\u0007 NUL\ufffd end' : text;
    await store.appendAudit([entry('deal:9', 'description', '2024-05-20T10:00:00.000Z', { newValue: text })]);
    assert.equal((await store.auditFor('deal:9', 1))[0]?.newValue, kept);
    await store.saveOpportunities([opp('006000000000009AAA', { name: text })]);
    assert.equal(
      (await store.getOpportunities(['006000000000009AAA'])).get('006000000000009AAA')?.name,
      kept,
    );
    await store.recordErrors([syncError('opportunity:006N', { message: text })]);
    assert.equal((await store.listErrors({ recordKeys: ['opportunity:006N'] }))[0]?.message, kept);
  });
});
