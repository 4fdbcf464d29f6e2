// Proactive pacing for HubSpot's burst limit. HubSpot counts requests in a rolling window
// (X-HubSpot-RateLimit-Interval-Milliseconds, usually 10 s) against X-HubSpot-RateLimit-Max, and
// reports X-HubSpot-RateLimit-Remaining. The headers lag under concurrency (a response reports
// the state when it was produced, not the requests still in flight), so the pacer also counts our
// own requests in a sliding log of the window and takes the stricter of the two views.
//
// PacerState is a pure state machine over an explicit clock (`now` in ms), so it is tested with a
// fake clock; Pacer wraps it with sleeping for the adapters.

export interface PacerOptions {
  /** Assumed Max before any header arrives (the Free/Starter tier, the safe guess). */
  defaultMax: number;
  defaultWindowMs: number;
  /** Keep this fraction of the window's allowance unused (clock skew, other clients). */
  safetyFraction: number;
  /** ... but never fewer than this many requests. */
  minSafety: number;
  /** Our entries are counted for window + slack: the server sees a request later than we send it. */
  slackMs: number;
  /** How long a response may have been in flight, when the caller cannot say when it sent the request. */
  lagMs: number;
}

export const HUBSPOT_PACER_DEFAULTS: Readonly<PacerOptions> = Object.freeze({
  defaultMax: 100,
  defaultWindowMs: 10_000,
  safetyFraction: 0.05,
  minSafety: 2,
  slackMs: 150,
  lagMs: 500,
});

/** A fixed limiter for HubSpot search (4 requests/s per account, separate from the burst limit). */
export const HUBSPOT_SEARCH_PACER: Readonly<PacerOptions> = Object.freeze({
  defaultMax: 4,
  defaultWindowMs: 1000,
  safetyFraction: 0,
  minSafety: 0,
  slackMs: 100,
  lagMs: 0,
});

interface HeaderReading {
  remaining: number;
  at: number;
  /** Our requests sent up to here had surely reached the server when it produced the reading. */
  seenUntil: number;
}

export class PacerState {
  private max: number;
  private windowMs: number;
  /** Start times of our requests, oldest first, pruned lazily. */
  private readonly log: number[] = [];
  private reading: HeaderReading | undefined;
  private pausedUntil = 0;

  constructor(private readonly opts: PacerOptions) {
    this.max = opts.defaultMax;
    this.windowMs = opts.defaultWindowMs;
  }

  /** Requests we may have in any window: Max minus the safety margin. */
  allowance(): number {
    const margin = Math.max(this.opts.minSafety, Math.ceil(this.max * this.opts.safetyFraction));
    return Math.max(1, this.max - margin);
  }

  /** The log keeps two windows: the older one explains what a header reading counted. */
  private prune(now: number): void {
    const horizon = now - 2 * this.windowMs - this.opts.slackMs;
    let drop = 0;
    while (drop < this.log.length && (this.log[drop] ?? 0) <= horizon) drop++;
    if (drop > 0) this.log.splice(0, drop);
  }

  private countIn(from: number, to: number): number {
    let n = 0;
    for (const t of this.log) if (t > from && t <= to) n++;
    return n;
  }

  /** Our own requests the server still counts at `now` (kept a little past the window). */
  private ownInWindow(now: number): number[] {
    const from = now - this.windowMs - this.opts.slackMs;
    return this.log.filter((t) => t > from);
  }

  /**
   * Requests of other clients (other processes, other apps of the same portal) the last reading
   * implies: the server's count minus ours that it had surely seen. Ours sent within lagMs of the
   * reading may still have been in flight, so they are not subtracted: the estimate errs high.
   */
  private othersEstimate(now: number): number {
    const r = this.reading;
    if (!r || now - r.at >= this.windowMs) return 0;
    const serverCount = this.max - r.remaining;
    const ownSeen = this.countIn(r.at - this.windowMs, r.seenUntil);
    return Math.max(0, serverCount - ownSeen);
  }

  /** ms to wait before the next request may start; 0 = go now. */
  delay(now: number): number {
    this.prune(now);
    if (now < this.pausedUntil) return this.pausedUntil - now;
    const allowance = this.allowance();
    const own = this.ownInWindow(now);
    const others = this.othersEstimate(now);
    const excess = own.length + others - allowance + 1;
    if (excess <= 0) return 0;
    const freeing = own[excess - 1];
    if (freeing !== undefined) return Math.max(1, freeing + this.windowMs + this.opts.slackMs - now);
    // Even with all of ours gone the window would be full: wait for the reading to go stale (or a
    // fresher one to arrive) — at most one window.
    const staleAt = (this.reading?.at ?? now) + this.windowMs;
    return Math.max(1, Math.min(staleAt - now, this.windowMs));
  }

  /** Records a request starting now (call when delay(now) === 0). */
  record(now: number): void {
    this.log.push(now);
  }

  /**
   * Feeds the X-HubSpot-RateLimit-* headers of a response (lower-cased names). `sentAt` is when
   * that request was sent, which bounds what the server had seen of ours; without it, lagMs is
   * assumed.
   */
  observe(headers: Record<string, string | undefined>, now: number, sentAt?: number): void {
    const max = Number(headers['x-hubspot-ratelimit-max']);
    const remaining = Number(headers['x-hubspot-ratelimit-remaining']);
    const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
    if (Number.isFinite(max) && max > 0) this.max = max;
    if (Number.isFinite(interval) && interval > 0) this.windowMs = interval;
    if (headers['x-hubspot-ratelimit-remaining'] !== undefined && Number.isFinite(remaining)) {
      // Other requests may take longer than this one did: ours sent a full round trip before it
      // count as seen. Without a send time, assume lagMs (capped at 5 % of the window).
      const lag = Math.min(this.opts.lagMs, this.windowMs * 0.05);
      const seenUntil = sentAt === undefined ? now - lag : Math.min(now, sentAt - (now - sentAt));
      this.reading = { remaining, at: now, seenUntil };
    }
  }

  /** After a 429: nobody starts a request before `now + waitMs`. */
  pause(now: number, waitMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
  }

  snapshot(now: number): { max: number; windowMs: number; inWindow: number; remaining?: number } {
    this.prune(now);
    return {
      max: this.max,
      windowMs: this.windowMs,
      inWindow: this.ownInWindow(now).length,
      ...(this.reading ? { remaining: this.reading.remaining } : {}),
    };
  }
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The async face of PacerState: `await pacer.acquire()` before each request. */
export class Pacer {
  readonly state: PacerState;

  constructor(
    opts: PacerOptions,
    private readonly clock: Clock = realClock,
  ) {
    this.state = new PacerState(opts);
  }

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const wait = this.state.delay(now);
      if (wait <= 0) {
        this.state.record(now);
        return;
      }
      await this.clock.sleep(wait);
    }
  }

  observe(headers: Record<string, string | undefined>, sentAt?: number): void {
    this.state.observe(headers, this.clock.now(), sentAt);
  }

  pause(waitMs: number): void {
    this.state.pause(this.clock.now(), waitMs);
  }
}
