// The retry decision as a pure function (Nango style): given what came back from one attempt, say
// whether to try again and after how long. The loop that sleeps lives elsewhere (withRetry below,
// and the adapters), so every rule here is table-tested without timers or servers.

export type RetrySide = 'salesforce' | 'hubspot';

export interface RetryInput {
  /** HTTP status of the failed attempt; absent for network errors. */
  status?: number;
  /** Node / undici error code for network failures: ECONNRESET, ETIMEDOUT, … */
  errorCode?: string;
  /**
   * The answer arrived but cannot be read: a 2xx whose body is not JSON (a proxy's HTML page, a
   * body cut off mid-way) or whose body broke off while it was read. Transient like a 5xx; the
   * write it answers may have happened, which idempotent writes make harmless.
   */
  unreadable?: boolean;
  headers: Record<string, string | undefined>;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** Parsed response body, when there was one (HubSpot's 429 body names the policy). */
  body?: unknown;
  side: RetrySide;
  /** Wall clock in ms, for `Retry-After: <HTTP date>`; defaults to Date.now(). */
  now?: number;
}

export interface RetryDecision {
  retry: boolean;
  waitMs: number;
  reason: string;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff ceiling; doubles per attempt (full jitter picks in [0, ceiling]). */
  baseMs: number;
  /** Backoff ceiling cap. */
  capMs: number;
  /** A server asking us to wait longer than this is not waited for in-process. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseMs: 500,
  capMs: 20_000,
  maxWaitMs: 120_000,
});

/** Socket-level failures worth another attempt: the request may never have reached the server. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TIMEOUT',
]);

/** 5xx that mean "try later"; 501/505 are permanent. */
function isTransientServerStatus(status: number): boolean {
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** `Retry-After` as delta-seconds or an HTTP date; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** HubSpot's 429 policy: TEN_SECONDLY_ROLLING, SECONDLY, DAILY, or undefined. */
export function hubspotPolicy(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { policyName?: unknown; message?: unknown };
  if (typeof b.policyName === 'string') return b.policyName;
  // HubSpot's own SDK recognises these bodies by message; some endpoints (search) omit policyName.
  if (typeof b.message === 'string') {
    if (/daily limit/i.test(b.message)) return 'DAILY';
    if (/secondly limit/i.test(b.message)) return 'SECONDLY';
  }
  return undefined;
}

function salesforceErrorCode(body: unknown): string | undefined {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  if (typeof first === 'object' && first !== null && 'errorCode' in first) {
    const code = (first as { errorCode: unknown }).errorCode;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * The one backoff formula: `baseMs` after the first failure, doubling per attempt, capped at `capMs`.
 * Used by the HTTP retries (as a jitter ceiling), the record retries and the sync loop's pass
 * retries alike.
 */
export function exponentialBackoffMs(attempt: number, baseMs: number, capMs: number): number {
  // The exponent is bounded so that a long outage never overflows to Infinity before the cap.
  return Math.min(capMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
}

function backoff(attempt: number, policy: RetryPolicy, rand: () => number): number {
  return Math.floor(rand() * exponentialBackoffMs(attempt, policy.baseMs, policy.capMs));
}

export function decideRetry(
  input: RetryInput,
  rand: () => number = Math.random,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  const now = input.now ?? Date.now();
  const no = (reason: string): RetryDecision => ({ retry: false, waitMs: 0, reason });
  const retryAfter = parseRetryAfter(header(input.headers, 'retry-after'), now);

  let wait: number;
  let reason: string;
  if (input.unreadable) {
    wait = backoff(input.attempt, policy, rand);
    reason = `an answer that cannot be read${input.status === undefined ? '' : ` (HTTP ${input.status})`}`;
  } else if (input.status === undefined) {
    if (input.errorCode === undefined || !TRANSIENT_NETWORK_CODES.has(input.errorCode)) {
      return no(`network error ${input.errorCode ?? 'unknown'} is not transient`);
    }
    wait = backoff(input.attempt, policy, rand);
    reason = `network error ${input.errorCode}`;
  } else if (input.status === 429) {
    const policyName = input.side === 'hubspot' ? hubspotPolicy(input.body) : undefined;
    if (policyName === 'DAILY') return no('HubSpot daily limit reached');
    if (retryAfter !== undefined) {
      wait = retryAfter;
      reason = `429, Retry-After ${retryAfter} ms`;
    } else if (policyName === 'TEN_SECONDLY_ROLLING') {
      // The rolling window only frees up as old requests age out: wait one window, plus jitter so
      // that concurrent callers do not come back in one burst.
      const interval = Number(header(input.headers, 'x-hubspot-ratelimit-interval-milliseconds'));
      const windowMs = Number.isFinite(interval) && interval > 0 ? interval : 10_000;
      wait = windowMs + Math.floor(rand() * windowMs * 0.1);
      reason = '429 TEN_SECONDLY_ROLLING, waiting one window';
    } else if (policyName === 'SECONDLY') {
      wait = 1000 + Math.floor(rand() * 250);
      reason = '429 SECONDLY';
    } else {
      wait = Math.max(1000, backoff(input.attempt, policy, rand));
      reason = '429 without Retry-After';
    }
  } else if (input.status === 408 || isTransientServerStatus(input.status)) {
    wait = Math.max(retryAfter ?? 0, backoff(input.attempt, policy, rand));
    reason = `HTTP ${input.status}`;
  } else if (input.status === 403 && input.side === 'salesforce') {
    const code = salesforceErrorCode(input.body);
    return no(
      code === 'REQUEST_LIMIT_EXCEEDED' ? 'Salesforce API limit exceeded' : `HTTP 403 ${code ?? ''}`.trim(),
    );
  } else {
    return no(`HTTP ${input.status} is not retryable`);
  }

  if (input.attempt >= policy.maxAttempts) return no(`${reason}; gave up after ${input.attempt} attempts`);
  if (wait > policy.maxWaitMs)
    return no(`${reason}; server asks to wait ${wait} ms, longer than ${policy.maxWaitMs}`);
  return { retry: true, waitMs: wait, reason };
}
