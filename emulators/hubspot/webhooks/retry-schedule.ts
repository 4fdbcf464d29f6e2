// When HubSpot re-sends a failed webhook notification. HubSpot documents (Webhooks API guide,
// "Retries"): up to 10 retries "spread out over the next 24 hours, with varying delays between
// requests", with randomization per notification; a notification is retried on connection
// failure, on a response slower than 5 s, and on any 4xx/5xx status. It publishes no table, so
// the emulator doubles the delay each time, scaled so the 10 delays sum to exactly 24 h
// (~84 s, ~169 s, … ~12 h), then applies ±10 % jitter. Pure functions; the caller owns the clock.

export const MAX_RETRIES = 10;
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_TIMEOUT_MS = 5000;

/** Nominal delay before retry number `retry` (1..10), before jitter and scaling. */
export function nominalRetryDelayMs(retry: number): number {
  if (!Number.isInteger(retry) || retry < 1 || retry > MAX_RETRIES) {
    throw new RangeError(`retry must be 1..${MAX_RETRIES}, got ${retry}`);
  }
  // Geometric series with ratio 2: sum of 2^(k-1) for k=1..10 is 1023.
  return (RETRY_WINDOW_MS * 2 ** (retry - 1)) / (2 ** MAX_RETRIES - 1);
}

export interface RetryPolicy {
  /** Multiplies every delay; 1 = HubSpot's real pace, 0.0001 turns 24 h into ~9 s. */
  delayFactor: number;
  /** Relative jitter amplitude, 0.1 = ±10 %. */
  jitter: number;
  random: () => number;
}

export type AttemptOutcome =
  | { kind: 'ok'; status: number }
  | { kind: 'http'; status: number; retryAfterSeconds?: number }
  | { kind: 'timeout' }
  | { kind: 'network'; message: string };

export function isFailure(outcome: AttemptOutcome): boolean {
  return outcome.kind !== 'ok';
}

/**
 * The delay (ms, emulator clock) before the next attempt after `attemptNumber` failed, or
 * undefined when the notification has used up its retries. attemptNumber starts at 0, as in the
 * payload. A 429 with Retry-After waits at least that long (HubSpot's answer in community thread
 * 277558: "HubSpot will retry the request, respecting the Retry-After header").
 */
export function nextRetryDelayMs(
  attemptNumber: number,
  outcome: AttemptOutcome,
  policy: RetryPolicy,
): number | undefined {
  if (!isFailure(outcome)) return undefined;
  const retry = attemptNumber + 1;
  if (retry > MAX_RETRIES) return undefined;
  const spread = 1 + policy.jitter * (2 * policy.random() - 1);
  let delay = nominalRetryDelayMs(retry) * spread * policy.delayFactor;
  if (outcome.kind === 'http' && outcome.status === 429 && outcome.retryAfterSeconds !== undefined) {
    delay = Math.max(delay, outcome.retryAfterSeconds * 1000 * policy.delayFactor);
  }
  return Math.max(0, Math.round(delay));
}
