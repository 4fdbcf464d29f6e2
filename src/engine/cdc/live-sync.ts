// `sync`, `serve` and the sandbox: the CDC feed (feed.ts) and the polling loop side by side. While
// CDC is live the loop polls at the slower `cdcPollIntervalMs` (the safety net: late commits,
// account changes, deletes Salesforce no longer sends); when CDC is down, not selected or not
// offered, at the full interval. A cursor comparison the feed asks for (overflow, an expired replay
// id, a stream that went down) runs at once. Both take one lock: a batch of events never runs
// beside a pass.
import type { ErrorCode } from '../../errors/index.js';
import type { ChangeEventPort } from '../ports/change-events.js';
import type { SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import type { CdcStatus } from '../ports/store/cdc.js';
import type { BatchOutcome } from '../sync/batch.js';
import {
  runSyncLoop,
  sleep,
  type PassRunner,
  type SyncLoopOptions,
  type SyncLoopResult,
} from '../sync/loop.js';
import type { SyncEngine } from '../sync/pass.js';
import { CdcFeed, type CdcBatchReport, type CdcFeedOptions } from './feed.js';

export const DEFAULT_CDC_POLL_INTERVAL_MS = 60_000;

export interface LiveSyncOptions extends Omit<SyncLoopOptions, 'intervalMs' | 'wait'> {
  /** Between polling passes when CDC is not live. */
  intervalMs: number;
  /** Between polling passes while CDC is live (config `sync.cdcPollIntervalSeconds`). */
  cdcPollIntervalMs?: number;
  /** Run a pass or a batch alone (serve: the lock the UI's writes take). Default: a lock of its own. */
  serialize?: <T>(fn: () => Promise<T>) => Promise<T>;
  onCdcStatus?: (status: CdcStatus, reason: string | null, code?: ErrorCode | null) => void;
  onCdcBatch?: (b: CdcBatchReport) => void;
  cdc?: CdcFeedOptions;
}

/** A sleep that a poll request ends early (the feed's fallbacks). */
export class PollRequests {
  private pending: string | undefined;
  private wake: (() => void) | undefined;

  request(reason: string): void {
    this.pending ??= reason;
    this.wake?.();
  }

  /** The reason of the request that ended the last wait, if one did. */
  take(): string | undefined {
    const r = this.pending;
    this.pending = undefined;
    return r;
  }

  async wait(ms: number, signal: AbortSignal): Promise<void> {
    // Aborted already (a stop during the pass just run): an 'abort' listener added now never fires.
    if (this.pending !== undefined || signal.aborted) return;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.wake = () => inner.abort();
    try {
      await sleep(ms, inner.signal);
    } finally {
      this.wake = undefined;
      signal.removeEventListener('abort', onAbort);
    }
  }
}

function ownLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
}

export async function runLiveSync(
  engine: SyncEngine,
  deps: {
    salesforce: SalesforcePort;
    store: StateStore;
    /** Absent: the Salesforce adapter offers no change events (polling alone). */
    changeEvents?: ChangeEventPort;
  },
  opts: LiveSyncOptions,
): Promise<SyncLoopResult & { feed?: CdcFeed }> {
  const serialize = opts.serialize ?? ownLock();
  const polls = new PollRequests();
  const locked: PassRunner = { runPass: () => serialize(() => engine.runPass()) };
  if (!deps.changeEvents) {
    await deps.store.saveCdcStatus(
      '/data/ChangeEvents',
      'off',
      'the Salesforce connection offers no change events',
    );
    return runSyncLoop(locked, { ...opts, intervalMs: opts.intervalMs });
  }
  const feedStop = new AbortController();
  const stopFeed = () => feedStop.abort();
  opts.signal.addEventListener('abort', stopFeed, { once: true });
  const feed = new CdcFeed({
    engine,
    salesforce: deps.salesforce,
    stream: deps.changeEvents,
    store: deps.store,
    serialize,
    requestPoll: (reason) => polls.request(reason),
    ...(opts.onCdcStatus ? { onStatus: opts.onCdcStatus } : {}),
    ...(opts.onCdcBatch ? { onBatch: opts.onCdcBatch } : {}),
    ...(opts.cdc ? { options: opts.cdc } : {}),
  });
  // What passes read fills the images too: an update event of a record a pass synced needs no read.
  const observe = (o: BatchOutcome) => feed.images.remember(o.processed);
  engine.batchObservers.push(observe);
  engine.eventsLive = () => feed.live;
  const feedDone = feed.run(feedStop.signal).catch((err: unknown) => {
    // The feed's own failures end in a status; this is the store itself failing: polling goes on.
    opts.onCdcStatus?.('down', `the change event feed stopped: ${String(err)}`);
  });
  const slow = opts.cdcPollIntervalMs ?? DEFAULT_CDC_POLL_INTERVAL_MS;
  try {
    const result = await runSyncLoop(locked, {
      ...opts,
      intervalMs: () => (feed.live ? Math.max(slow, opts.intervalMs) : opts.intervalMs),
      wait: async (ms, signal) => {
        await polls.wait(ms, signal);
        polls.take();
      },
    });
    return { ...result, feed };
  } finally {
    feedStop.abort();
    engine.batchObservers.splice(engine.batchObservers.indexOf(observe), 1);
    engine.eventsLive = () => false;
    opts.signal.removeEventListener('abort', stopFeed);
    await feedDone;
  }
}
