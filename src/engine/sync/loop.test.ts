import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DealbridgeError } from '../../errors/index.js';
import { runSyncLoop } from './loop.js';
import type { PassResult, SyncEngine } from './pass.js';

function scripted(steps: (() => void)[]): { engine: SyncEngine; calls: () => number } {
  let n = 0;
  const engine = {
    async runPass() {
      const step = steps[Math.min(n, steps.length - 1)];
      n++;
      step?.();
      return { ran: true } as PassResult;
    },
  } as unknown as SyncEngine;
  return { engine, calls: () => n };
}

describe('sync loop', () => {
  test('runs passes every interval until aborted', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const { engine, calls } = scripted([() => {}, () => {}, () => ac.abort()]);
    const result = await runSyncLoop(engine, { intervalMs: 20, signal: ac.signal });
    assert.equal(calls(), 3);
    assert.equal(result.passes, 3);
    assert.ok(Date.now() - started >= 35, 'waited the interval between passes');
    assert.equal(result.fatal, undefined);
  });

  test('pauses on a spent Salesforce budget and resumes', async () => {
    const ac = new AbortController();
    const waits: number[] = [];
    const { engine, calls } = scripted([
      () => {
        throw new DealbridgeError('SALESFORCE_LIMIT_REACHED', 'spent');
      },
      () => ac.abort(),
    ]);
    const result = await runSyncLoop(engine, {
      intervalMs: 1,
      budgetPauseMs: 20,
      signal: ac.signal,
      onError: (_e, info) => waits.push(info.paused ? info.waitMs : -1),
    });
    assert.deepEqual(waits, [20]);
    assert.equal(calls(), 2);
    assert.equal(result.passes, 1);
  });

  test('retries pass-level errors with backoff and stops on fatal ones', async () => {
    const ac = new AbortController();
    const waits: number[] = [];
    const { engine } = scripted([
      () => {
        throw new DealbridgeError('HUBSPOT_UNAVAILABLE', '503');
      },
      () => {
        throw new DealbridgeError('HUBSPOT_UNAVAILABLE', '503');
      },
      () => {
        throw new DealbridgeError('AUTH_FAILED', 'revoked');
      },
    ]);
    const result = await runSyncLoop(engine, {
      intervalMs: 2,
      signal: ac.signal,
      onError: (_e, info) => waits.push(info.waitMs),
    });
    assert.deepEqual(waits, [4, 8]);
    assert.ok(result.fatal instanceof DealbridgeError && result.fatal.code === 'AUTH_FAILED');
  });
  test('while paused at the Salesforce budget, probes again within a minute by default', async () => {
    const ac = new AbortController();
    const waits: number[] = [];
    const { engine } = scripted([
      () => {
        throw new DealbridgeError('SALESFORCE_LIMIT_REACHED', 'spent');
      },
    ]);
    await runSyncLoop(engine, {
      intervalMs: 5000,
      signal: ac.signal,
      onError: (_e, info) => {
        waits.push(info.waitMs);
        ac.abort();
      },
    });
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! <= 60_000, `paused ${waits[0]} ms before the next probe`);
  });
});
