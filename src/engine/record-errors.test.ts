// The retry budget of a failing record (issue #17): backoff until 20 attempts or 7 days, then a
// dead letter that only a person brings back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SyncErrorRecord } from './ports/store.js';
import {
  DEAD_LETTER_AGE_MS,
  DEAD_LETTER_ATTEMPTS,
  isDeadLetter,
  toErrorRecords,
  type RecordFailure,
} from './record-errors.js';

const T0 = '2024-05-20T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms);
const DAY = 24 * 3600_000;

const failure = (over: Partial<RecordFailure> = {}): RecordFailure => ({
  recordKey: 'opportunity:006A',
  code: 'HUBSPOT_VALIDATION',
  message: 'Property "amount" is invalid',
  field: 'amount',
  severity: 'error',
  ...over,
});

const stored = (over: Partial<SyncErrorRecord> = {}): SyncErrorRecord => ({
  recordKey: 'opportunity:006A',
  code: 'HUBSPOT_VALIDATION',
  message: 'Property "amount" is invalid',
  field: 'amount',
  severity: 'error',
  attempts: 1,
  firstSeenAt: T0,
  lastSeenAt: T0,
  nextRetryAt: at(60_000).toISOString(),
  deadLetteredAt: null,
  ...over,
});

/** The one record toErrorRecords makes of `f` after `prev`. */
function next(prev: SyncErrorRecord | undefined, now: Date, f = failure()): SyncErrorRecord {
  const existing = new Map(prev ? [[prev.recordKey, prev]] : []);
  const [record] = toErrorRecords([f], existing, now);
  assert.ok(record);
  return record;
}

describe('dead letters', () => {
  test('the bounds are 20 attempts and 7 days', () => {
    assert.equal(DEAD_LETTER_ATTEMPTS, 20);
    assert.equal(DEAD_LETTER_AGE_MS, 7 * DAY);
  });

  test('isDeadLetter: at 20 attempts, or once the first sighting is 7 days old', () => {
    assert.equal(isDeadLetter(19, T0, at(DAY)), false);
    assert.equal(isDeadLetter(20, T0, at(DAY)), true);
    assert.equal(isDeadLetter(25, T0, at(0)), true);
    assert.equal(isDeadLetter(2, T0, at(7 * DAY - 1)), false);
    assert.equal(isDeadLetter(2, T0, at(7 * DAY)), true);
  });

  test('the 20th failed attempt makes a dead letter: no retry time, the marker set', () => {
    const now = at(3 * DAY);
    const nineteenth = next(stored({ attempts: 18 }), now);
    assert.equal(nineteenth.attempts, 19);
    assert.equal(nineteenth.deadLetteredAt, null);
    assert.ok(nineteenth.nextRetryAt !== null && nineteenth.nextRetryAt > now.toISOString());
    const twentieth = next(nineteenth, now);
    assert.equal(twentieth.attempts, 20);
    assert.equal(twentieth.nextRetryAt, null);
    assert.equal(twentieth.deadLetteredAt, now.toISOString());
    assert.equal(twentieth.firstSeenAt, T0, 'the first sighting is kept');
  });

  test('a failure 7 days after the first sighting makes a dead letter, whatever the count', () => {
    const dead = next(stored({ attempts: 3 }), at(7 * DAY));
    assert.equal(dead.deadLetteredAt, at(7 * DAY).toISOString());
    assert.equal(dead.nextRetryAt, null);
  });

  test('a dead letter that fails again (a fresh change in Salesforce) stays one, with its marker', () => {
    const marker = at(3 * DAY).toISOString();
    const again = next(stored({ attempts: 20, nextRetryAt: null, deadLetteredAt: marker }), at(4 * DAY));
    assert.equal(again.attempts, 21);
    assert.equal(again.deadLetteredAt, marker);
    assert.equal(again.nextRetryAt, null);
  });

  test('revived by hand (attempts 0, first seen now), it has 20 automatic attempts again', () => {
    const revivedAt = at(10 * DAY);
    let r = stored({ attempts: 0, firstSeenAt: revivedAt.toISOString(), nextRetryAt: null });
    for (let i = 1; i < DEAD_LETTER_ATTEMPTS; i++) {
      r = next(r, at(10 * DAY + i * 1000));
      assert.equal(r.deadLetteredAt, null, `attempt ${i}`);
    }
    r = next(r, at(10 * DAY + 60_000));
    assert.equal(r.attempts, 20);
    assert.notEqual(r.deadLetteredAt, null);
  });

  test('a warning is never a dead letter: the record synced', () => {
    const w = next(
      stored({ severity: 'warning', attempts: 30, nextRetryAt: null }),
      at(30 * DAY),
      failure({ severity: 'warning', code: 'OWNER_NOT_FOUND' }),
    );
    assert.equal(w.attempts, 31);
    assert.equal(w.deadLetteredAt, null);
    assert.equal(w.nextRetryAt, null);
  });

  test('an error after a warning starts its budget afresh: a warning was not a failure', () => {
    const warned = stored({ severity: 'warning', code: 'OWNER_NOT_FOUND', attempts: 40, nextRetryAt: null });
    const now = at(30 * DAY);
    const e = next(warned, now);
    assert.equal(e.severity, 'error');
    assert.equal(e.attempts, 1);
    assert.equal(e.firstSeenAt, now.toISOString());
    assert.equal(e.deadLetteredAt, null);
    assert.equal(e.nextRetryAt, at(30 * DAY + 60_000).toISOString(), 'the first backoff: 1 min');
  });
});
