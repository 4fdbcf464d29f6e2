// `dealbridge sync --interval 5s`: runs passes until the signal aborts. A pass that stops on a
// pass-level error (HubSpot rate limit or outage, Salesforce outage) is retried after a backoff;
// a spent Salesforce budget pauses the loop, probing once a minute (each pass starts by asking
// /limits when the budget was spent) until there is room again; fatal errors (credentials,
// setup) end the loop, since no amount of waiting fixes them.
import { exponentialBackoffMs } from '../../http/retry.js';
import { DealbridgeError } from '../../errors/index.js';
import type { PassResult } from './pass.js';

/** What the loop runs: a pass (SyncEngine, or a pass under a lock: engine/cdc/live-sync.ts). */
export interface PassRunner {
  runPass(): Promise<PassResult>;
}

export interface SyncLoopOptions {
  /** Between passes; a function is asked after every pass (CDC slows polling while it is live). */
  intervalMs: number | (() => number);
  /** How the loop waits between passes (default `sleep`; the CDC feed's can end early, engine/cdc). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  /**
   * How long to wait before probing again after a spent Salesforce budget: one /limits call per
   * probe (it counts against the allocation like any REST call: 1,440 a day at most).
   */
  budgetPauseMs?: number;
  /** Longest wait after repeated pass-level errors. */
  maxBackoffMs?: number;
  onPass?: (result: PassResult) => void | Promise<void>;
  onError?: (err: unknown, info: { waitMs: number; paused: boolean }) => void;
}

export interface SyncLoopResult {
  passes: number;
  /** The error that ended the loop, when it was not a clean stop. */
  fatal?: unknown;
}

/** Resolves after `ms` or as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function isFatal(err: unknown): boolean {
  if (err instanceof DealbridgeError) return err.info.scope === 'fatal';
  return false;
}

export async function runSyncLoop(engine: PassRunner, opts: SyncLoopOptions): Promise<SyncLoopResult> {
  const budgetPauseMs = opts.budgetPauseMs ?? 60_000;
  const maxBackoffMs = opts.maxBackoffMs ?? 5 * 60_000;
  let passes = 0;
  let failures = 0;
  const interval = () => (typeof opts.intervalMs === 'function' ? opts.intervalMs() : opts.intervalMs);
  while (!opts.signal.aborted) {
    const started = Date.now();
    let waitMs: number;
    try {
      const result = await engine.runPass();
      passes++;
      failures = 0;
      await opts.onPass?.(result);
      waitMs = Math.max(0, interval() - (Date.now() - started));
    } catch (err) {
      if (isFatal(err)) return { passes, fatal: err };
      const paused = err instanceof DealbridgeError && err.code === 'SALESFORCE_LIMIT_REACHED';
      failures++;
      // After the first failure twice the interval, doubling per failure, capped.
      waitMs = paused ? budgetPauseMs : exponentialBackoffMs(failures + 1, interval(), maxBackoffMs);
      opts.onError?.(err, { waitMs, paused });
    }
    await (opts.wait ?? sleep)(waitMs, opts.signal);
  }
  return { passes };
}
