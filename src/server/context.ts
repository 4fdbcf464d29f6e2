// What every route needs: the runtime (store, adapters, engine), the live-update hub, the lock
// that serialises writers in this process, cached remote facts, the secrets to keep out of
// responses, and the state of the background jobs (sync loop, import).
import type { Runtime } from '../composition/runtime.js';
import type { ImportJobs } from './import-jobs.js';
import type { LiveHub } from './live.js';
import type { SerialLock } from './lock.js';
import type { RemoteFacts } from './remote-facts.js';
import type { DealbridgeMetrics } from '../ops/metrics.js';

export interface SyncLoopState {
  enabled: boolean;
  running: boolean;
  intervalMs: number;
  lastPassAt: string | null;
  /** The last pass-level error (rate limit, outage, budget) or the fatal one that ended the loop. */
  lastError: { code: string; message: string; at: string; fatal: boolean } | null;
}

export interface ServerContext {
  runtime: Runtime;
  hub: LiveHub;
  lock: SerialLock;
  facts: RemoteFacts;
  imports: ImportJobs;
  /** Grows when the admin token is rotated (the redaction hook reads this same array). */
  secrets: string[];
  loop: SyncLoopState;
  /** /metrics of this process (ops/metrics.ts); the loop reports its passes to it. */
  metrics: DealbridgeMetrics;
  /** Set at SIGTERM: /readyz answers 503 while the pass in flight finishes. */
  draining: boolean;
  now(): Date;
  /** After a settings or mapping change: the engine rereads its mapping context on the next pass. */
  invalidateEngine(): Promise<void>;
}
