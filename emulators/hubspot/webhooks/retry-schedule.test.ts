import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_RETRIES,
  nextRetryDelayMs,
  nominalRetryDelayMs,
  RETRY_WINDOW_MS,
  type RetryPolicy,
} from './retry-schedule.js';

const exact: RetryPolicy = { delayFactor: 1, jitter: 0, random: () => 0.5 };

void test('ten retries, doubling, spread over exactly 24 hours', () => {
  let total = 0;
  for (let r = 1; r <= MAX_RETRIES; r++) {
    total += nominalRetryDelayMs(r);
    if (r > 1) assert.equal(nominalRetryDelayMs(r), 2 * nominalRetryDelayMs(r - 1));
  }
  assert.ok(Math.abs(total - RETRY_WINDOW_MS) < 1e-6);
  assert.throws(() => nominalRetryDelayMs(0), RangeError);
  assert.throws(() => nominalRetryDelayMs(11), RangeError);
});

void test('failures retry until attempt 10, successes never', () => {
  const fail = { kind: 'http', status: 500 } as const;
  assert.equal(nextRetryDelayMs(0, { kind: 'ok', status: 200 }, exact), undefined);
  assert.equal(nextRetryDelayMs(0, fail, exact), Math.round(nominalRetryDelayMs(1)));
  assert.equal(nextRetryDelayMs(9, { kind: 'timeout' }, exact), Math.round(nominalRetryDelayMs(10)));
  assert.equal(nextRetryDelayMs(10, fail, exact), undefined);
  assert.ok(nextRetryDelayMs(3, { kind: 'network', message: 'ECONNREFUSED' }, exact)! > 0);
  // Current docs: any 4xx is retried too.
  assert.ok(nextRetryDelayMs(0, { kind: 'http', status: 404 }, exact)! > 0);
});

void test('jitter stays within ±10 % and the factor scales the schedule', () => {
  const low = nextRetryDelayMs(4, { kind: 'timeout' }, { delayFactor: 1, jitter: 0.1, random: () => 0 })!;
  const high = nextRetryDelayMs(
    4,
    { kind: 'timeout' },
    { delayFactor: 1, jitter: 0.1, random: () => 0.999999 },
  )!;
  const nominal = nominalRetryDelayMs(5);
  assert.ok(Math.abs(low - 0.9 * nominal) <= 1);
  assert.ok(Math.abs(high - 1.1 * nominal) <= 1);
  const fast = nextRetryDelayMs(4, { kind: 'timeout' }, { ...exact, delayFactor: 0.001 })!;
  assert.equal(fast, Math.round(nominal * 0.001));
});

void test('a 429 waits at least its Retry-After', () => {
  const d = nextRetryDelayMs(0, { kind: 'http', status: 429, retryAfterSeconds: 3600 }, exact)!;
  assert.equal(d, 3_600_000);
  const short = nextRetryDelayMs(0, { kind: 'http', status: 429, retryAfterSeconds: 1 }, exact)!;
  assert.equal(short, Math.round(nominalRetryDelayMs(1)));
});
