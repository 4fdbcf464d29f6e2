// Login attempts per client address: the first few wrong tokens cost nothing (typos), then each
// further one makes the address wait twice as long before it may try again, up to a cap. While an
// address waits, its attempts are answered 429 without the token being looked at, so guessing
// runs at the pace the delay allows, however fast the requests arrive.
import { exponentialBackoffMs } from '../../http/retry.js';

export interface LoginThrottleOptions {
  /** Wrong tokens an address may send before any delay. */
  freeFailures: number;
  /** The first delay; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** An address's count is forgotten this long after its last failure. */
  forgetAfterMs: number;
  /** Addresses remembered at once (the oldest is dropped), so a flood of addresses costs bounded memory. */
  maxAddresses: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxAddresses: 10_000,
};

/** How long an address waits after its `failures`-th wrong token (pure, for tests and docs). */
export function loginDelayMs(failures: number, o: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE): number {
  if (failures <= o.freeFailures) return 0;
  return exponentialBackoffMs(failures - o.freeFailures, o.baseDelayMs, o.maxDelayMs);
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly opts: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  #entry(address: string): Entry | undefined {
    const e = this.#entries.get(address);
    if (e && this.now() - e.lastFailureAt > this.opts.forgetAfterMs) {
      this.#entries.delete(address);
      return undefined;
    }
    return e;
  }

  /** Milliseconds the address must still wait before an attempt is looked at (0: go ahead). */
  waitMs(address: string): number {
    const e = this.#entry(address);
    return e ? Math.max(0, e.blockedUntil - this.now()) : 0;
  }

  /** Records a wrong token; returns the count and the delay it earned. */
  failed(address: string): { failures: number; delayMs: number } {
    const t = this.now();
    const e = this.#entry(address) ?? { failures: 0, lastFailureAt: t, blockedUntil: t };
    e.failures += 1;
    e.lastFailureAt = t;
    const delayMs = loginDelayMs(e.failures, this.opts);
    e.blockedUntil = t + delayMs;
    // Re-inserted so that Map order is least-recently-failed first, which is what is dropped.
    this.#entries.delete(address);
    this.#entries.set(address, e);
    while (this.#entries.size > this.opts.maxAddresses) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return { failures: e.failures, delayMs };
  }

  succeeded(address: string): void {
    this.#entries.delete(address);
  }
}
