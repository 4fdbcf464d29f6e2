// Delivers queued notifications the way HubSpot does: JSON arrays of up to 100 events per POST,
// at most `maxConcurrentRequests` requests in flight, signed (v3 + v1), each failed notification
// re-queued with attemptNumber + 1 on the retry schedule. Due times are on the emulator clock;
// a short real-time poll notices when that clock is moved forward.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { signatureHeaders } from './signature.js';
import { nextRetryDelayMs, type AttemptOutcome, type RetryPolicy } from './retry-schedule.js';
import type { WebhookPayloadEvent } from './types.js';

export interface DeliveryOptions {
  now: () => number;
  maxBatchSize: number;
  timeoutMs: number;
  /** Real ms to wait after the first publish before sending, so bursts share a request. */
  batchDelayMs: number;
  pollMs: number;
  retry: RetryPolicy;
}

export interface Target {
  url: string;
  clientSecret: string;
  maxConcurrentRequests: number;
}

export type NotificationState = 'pending' | 'delivered' | 'failed';

export interface Notification {
  event: Omit<WebhookPayloadEvent, 'attemptNumber'>;
  attemptNumber: number;
  dueAt: number;
  state: NotificationState;
  attempts: { requestId: number; at: number; outcome: AttemptOutcome }[];
}

export interface DeliveryRecord {
  requestId: number;
  at: number;
  targetUrl: string;
  eventIds: number[];
  attemptNumbers: number[];
  outcome: AttemptOutcome;
  durationMs: number;
}

const LOG_CAP = 10_000;
const NOTIFICATION_CAP = 50_000;

export class Deliverer {
  readonly notifications = new Map<number, Notification>();
  readonly log: DeliveryRecord[] = [];
  private queue: Notification[] = [];
  private inFlight = 0;
  private maxInFlightSeen = 0;
  private nextRequestId = 1;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private closed = false;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly opts: DeliveryOptions,
    private readonly target: () => Target | undefined,
  ) {}

  get stats(): Record<string, number> {
    let pending = 0;
    let delivered = 0;
    let failed = 0;
    for (const n of this.notifications.values()) {
      if (n.state === 'pending') pending++;
      else if (n.state === 'delivered') delivered++;
      else failed++;
    }
    return {
      pending,
      delivered,
      failed,
      inFlight: this.inFlight,
      maxInFlightSeen: this.maxInFlightSeen,
      requests: this.nextRequestId - 1,
    };
  }

  enqueue(event: Omit<WebhookPayloadEvent, 'attemptNumber'>): void {
    const n: Notification = {
      event,
      attemptNumber: 0,
      dueAt: this.opts.now(),
      state: 'pending',
      attempts: [],
    };
    this.notifications.set(event.eventId, n);
    this.queue.push(n);
    this.schedule(this.opts.batchDelayMs);
  }

  /** Sends everything due now (with `all`, also retries not yet due) and resolves when idle. */
  async flush(all: boolean): Promise<void> {
    if (all) for (const n of this.queue) n.dueAt = Math.min(n.dueAt, this.opts.now());
    this.pump();
    await this.whenIdle();
  }

  clearLog(): void {
    this.log.length = 0;
    for (const [id, n] of this.notifications) if (n.state !== 'pending') this.notifications.delete(id);
    this.maxInFlightSeen = 0;
  }

  reset(): void {
    this.queue = [];
    this.notifications.clear();
    this.log.length = 0;
    this.maxInFlightSeen = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.whenIdle();
  }

  private whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    if (this.inFlight > 0) return false;
    if (this.closed || !this.target()) return true;
    const now = this.opts.now();
    return !this.queue.some((n) => n.dueAt <= now);
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Arms the timer for `delayMs` from now unless it already fires sooner (a steady stream of
   * events must not keep pushing the batch back). */
  private schedule(delayMs: number): void {
    if (this.closed) return;
    const at = performance.now() + delayMs;
    if (this.timer) {
      if (this.timerAt <= at) return;
      clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, delayMs);
    this.timer.unref();
  }

  /** Starts as many due batches as the concurrency limit allows, then re-arms the timer. */
  private pump(): void {
    const target = this.target();
    if (this.closed || !target) {
      this.notifyIdle();
      return;
    }
    const now = this.opts.now();
    // One pass over the queue per pump: due notifications, oldest first, cut into batches.
    const due: Notification[] = [];
    const later: Notification[] = [];
    for (const n of this.queue) (n.dueAt <= now ? due : later).push(n);
    due.sort((a, b) => a.dueAt - b.dueAt);
    let taken = 0;
    while (this.inFlight < target.maxConcurrentRequests && taken < due.length) {
      const batch = due.slice(taken, taken + this.opts.maxBatchSize);
      taken += batch.length;
      void this.send(target, batch);
    }
    this.queue = taken === 0 ? this.queue : later.concat(due.slice(taken));
    const next = this.queue.reduce((min, n) => Math.min(min, n.dueAt), Infinity);
    if (Number.isFinite(next)) this.schedule(Math.max(0, Math.min(next - now, this.opts.pollMs)));
    this.notifyIdle();
  }

  private async send(target: Target, batch: Notification[]): Promise<void> {
    this.inFlight++;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    const requestId = this.nextRequestId++;
    const at = this.opts.now();
    const body = JSON.stringify(batch.map((n) => ({ ...n.event, attemptNumber: n.attemptNumber })));
    const started = performance.now();
    const outcome = await post(target, body, at, this.opts.timeoutMs, this.abort.signal);
    this.record({
      requestId,
      at,
      targetUrl: target.url,
      eventIds: batch.map((n) => n.event.eventId),
      attemptNumbers: batch.map((n) => n.attemptNumber),
      outcome,
      durationMs: Math.round(performance.now() - started),
    });
    const doneAt = this.opts.now();
    for (const n of batch) {
      n.attempts.push({ requestId, at, outcome });
      const delay = this.closed ? undefined : nextRetryDelayMs(n.attemptNumber, outcome, this.opts.retry);
      if (outcome.kind === 'ok') n.state = 'delivered';
      else if (delay === undefined) n.state = 'failed';
      else {
        n.attemptNumber++;
        n.dueAt = doneAt + delay;
        this.queue.push(n);
      }
    }
    this.inFlight--;
    this.prune();
    this.pump();
  }

  /** Keeps memory bounded in long sandbox runs: finished notifications beyond the cap go first. */
  private prune(): void {
    if (this.notifications.size <= NOTIFICATION_CAP) return;
    for (const [id, n] of this.notifications) {
      if (this.notifications.size <= NOTIFICATION_CAP) break;
      if (n.state !== 'pending') this.notifications.delete(id);
    }
  }

  private record(r: DeliveryRecord): void {
    this.log.push(r);
    if (this.log.length > LOG_CAP) this.log.splice(0, this.log.length - LOG_CAP);
  }
}

/** One POST; never throws: every way it can go wrong is an outcome. */
function post(
  target: Target,
  body: string,
  timestamp: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      resolve({ kind: 'network', message: `invalid targetUrl ${target.url}` });
      return;
    }
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (dealbridge emulator)',
      ...signatureHeaders(target.clientSecret, target.url, body, timestamp),
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (o: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const req = send(url, { method: 'POST', headers, signal, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return finish({ kind: 'ok', status });
        const ra = Number(res.headers['retry-after']);
        finish(
          Number.isFinite(ra) && ra >= 0
            ? { kind: 'http', status, retryAfterSeconds: ra }
            : { kind: 'http', status },
        );
      });
      res.on('error', (e) => finish({ kind: 'network', message: e.message }));
    });
    // HubSpot counts a response slower than the timeout as a failure (the Webhooks guide: 5 s).
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => finish({ kind: 'network', message: e.message }));
    req.end(body);
  });
}
