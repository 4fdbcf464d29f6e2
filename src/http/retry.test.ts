import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideRetry, exponentialBackoffMs, parseRetryAfter, type RetryInput } from './retry.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const half = (): number => 0.5;

function input(over: Partial<RetryInput>): RetryInput {
  return { headers: {}, attempt: 1, side: 'hubspot', now: NOW, ...over };
}

describe('decideRetry', () => {
  const table: {
    name: string;
    in: Partial<RetryInput>;
    retry: boolean;
    waitMs?: number;
    min?: number;
    max?: number;
  }[] = [
    {
      name: '429 Retry-After seconds',
      in: { status: 429, headers: { 'Retry-After': '3' } },
      retry: true,
      waitMs: 3000,
    },
    {
      name: '429 Retry-After HTTP date',
      in: { status: 429, headers: { 'retry-after': new Date(NOW + 7000).toUTCString() } },
      retry: true,
      waitMs: 7000,
    },
    {
      name: 'HubSpot TEN_SECONDLY_ROLLING waits a window (+ ≤10 % jitter)',
      in: { status: 429, body: { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' } },
      retry: true,
      waitMs: 10_500,
    },
    {
      name: 'TEN_SECONDLY_ROLLING uses the interval header',
      in: {
        status: 429,
        headers: { 'X-HubSpot-RateLimit-Interval-Milliseconds': '2000' },
        body: { policyName: 'TEN_SECONDLY_ROLLING' },
      },
      retry: true,
      waitMs: 2100,
    },
    { name: 'HubSpot DAILY: no retry', in: { status: 429, body: { policyName: 'DAILY' } }, retry: false },
    {
      name: 'HubSpot daily limit by message only',
      in: { status: 429, body: { message: 'You have reached your daily limit.' } },
      retry: false,
    },
    {
      name: 'HubSpot SECONDLY ≈ 1 s',
      in: { status: 429, body: { policyName: 'SECONDLY' } },
      retry: true,
      waitMs: 1125,
    },
    {
      name: 'search secondly limit by message',
      in: { status: 429, body: { message: 'You have reached your secondly limit.' } },
      retry: true,
      waitMs: 1125,
    },
    { name: '429 bare: at least 1 s', in: { status: 429 }, retry: true, waitMs: 1000 },
    { name: '500 backoff attempt 1', in: { status: 500 }, retry: true, waitMs: 250 },
    { name: '502 backoff attempt 3', in: { status: 502, attempt: 3 }, retry: true, waitMs: 1000 },
    {
      name: '503 honours a longer Retry-After',
      in: { status: 503, headers: { 'retry-after': '5' } },
      retry: true,
      waitMs: 5000,
    },
    { name: '504', in: { status: 504, attempt: 2 }, retry: true, waitMs: 500 },
    { name: '503 attempt 4 doubles the ceiling', in: { status: 503, attempt: 4 }, retry: true, waitMs: 2000 },
    { name: '501 is permanent', in: { status: 501 }, retry: false },
    { name: '408 retried', in: { status: 408 }, retry: true, waitMs: 250 },
    { name: '400 not retried', in: { status: 400 }, retry: false },
    { name: '401 not retried', in: { status: 401 }, retry: false },
    { name: '404 not retried', in: { status: 404 }, retry: false },
    { name: '409 not retried', in: { status: 409 }, retry: false },
    {
      name: 'Salesforce 403 REQUEST_LIMIT_EXCEEDED',
      in: { side: 'salesforce', status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'x' }] },
      retry: false,
    },
    { name: 'ECONNRESET', in: { errorCode: 'ECONNRESET' }, retry: true, waitMs: 250 },
    { name: 'ETIMEDOUT attempt 2', in: { errorCode: 'ETIMEDOUT', attempt: 2 }, retry: true, waitMs: 500 },
    { name: 'unknown network error', in: { errorCode: 'ERR_INVALID_URL' }, retry: false },
    {
      name: 'a 200 that cannot be read: backoff',
      in: { status: 200, unreadable: true },
      retry: true,
      waitMs: 250,
    },
    {
      name: 'a body cut off while read: backoff',
      in: { errorCode: 'ERR_STREAM_PREMATURE_CLOSE', unreadable: true, attempt: 2 },
      retry: true,
      waitMs: 500,
    },
    { name: 'unreadable, attempts spent', in: { status: 200, unreadable: true, attempt: 5 }, retry: false },
    { name: 'max attempts reached', in: { status: 503, attempt: 5 }, retry: false },
    {
      name: 'Retry-After beyond maxWaitMs',
      in: { status: 429, headers: { 'retry-after': '3600' } },
      retry: false,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const d = decideRetry(input(row.in), half);
      assert.equal(d.retry, row.retry, d.reason);
      if (row.waitMs !== undefined) assert.equal(d.waitMs, row.waitMs);
      assert.ok(d.reason.length > 0);
    });
  }

  it('full jitter spans [0, ceiling]', () => {
    assert.equal(decideRetry(input({ status: 500, attempt: 2 }), () => 0).waitMs, 0);
    assert.equal(decideRetry(input({ status: 500, attempt: 2 }), () => 0.999999).waitMs, 999);
    const capped = decideRetry(input({ status: 500, attempt: 4 }), () => 0.999999, {
      maxAttempts: 10,
      baseMs: 500,
      capMs: 3000,
      maxWaitMs: 60_000,
    });
    assert.equal(capped.waitMs, 2999);
  });

  it('policy.maxAttempts is respected', () => {
    const p = { maxAttempts: 2, baseMs: 100, capMs: 1000, maxWaitMs: 10_000 };
    assert.equal(decideRetry(input({ status: 500, attempt: 1 }), half, p).retry, true);
    assert.equal(decideRetry(input({ status: 500, attempt: 2 }), half, p).retry, false);
  });
});

describe('parseRetryAfter', () => {
  it('parses seconds, dates, rejects garbage, clamps past dates', () => {
    assert.equal(parseRetryAfter('0', NOW), 0);
    assert.equal(parseRetryAfter('1.5', NOW), 1500);
    assert.equal(parseRetryAfter('soon', NOW), undefined);
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
    assert.equal(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW), 0);
  });
});

it('exponentialBackoffMs: base after the first failure, doubling, capped, finite after many attempts', () => {
  assert.equal(exponentialBackoffMs(1, 60_000, 6 * 3600_000), 60_000);
  assert.equal(exponentialBackoffMs(3, 60_000, 6 * 3600_000), 240_000);
  assert.equal(exponentialBackoffMs(20, 60_000, 6 * 3600_000), 6 * 3600_000);
  assert.equal(exponentialBackoffMs(5000, 1, 1e9), 1e9);
  assert.equal(exponentialBackoffMs(0, 500, 1000), 500);
});
