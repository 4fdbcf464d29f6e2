import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, formatDateTime, parseDate, parseDateTime, startOfDay } from './time.js';

test('datetimes are written as Salesforce writes them: milliseconds and +0000', () => {
  assert.equal(formatDateTime(Date.parse('2024-05-20T20:49:32Z')), '2024-05-20T20:49:32.000+0000');
  assert.equal(formatDateTime(Date.parse('2024-01-02T03:04:05.678Z')), '2024-01-02T03:04:05.678+0000');
  assert.equal(formatDate(Date.parse('2024-02-29T23:59:59Z')), '2024-02-29');
});

test('datetimes are read in the forms clients send (jsforce: +00:00; Salesforce: +0000; Z; none)', () => {
  const t = Date.parse('2025-03-01T12:00:00Z');
  for (const s of [
    '2025-03-01T12:00:00+00:00',
    '2025-03-01T12:00:00.000+0000',
    '2025-03-01T12:00:00Z',
    '2025-03-01T12:00:00',
    '2025-03-01T13:00:00+01:00',
    '2025-03-01T12:00Z',
  ]) {
    assert.equal(parseDateTime(s), t, s);
  }
  assert.equal(parseDateTime('2025-03-01'), Date.parse('2025-03-01T00:00:00Z'));
  assert.equal(parseDateTime('yesterday'), undefined);
  assert.equal(parseDateTime('2025-13-01T00:00:00Z'), undefined);
});

test('dates must exist on the calendar', () => {
  assert.equal(parseDate('2024-02-29'), '2024-02-29');
  assert.equal(parseDate('2025-02-29'), undefined);
  assert.equal(parseDate('2025-04-31'), undefined);
  assert.equal(parseDate('2025-04-30T10:00:00Z'), '2025-04-30');
  assert.equal(parseDate('30/04/2025'), undefined);
});

test('startOfDay is midnight UTC', () => {
  assert.equal(startOfDay(Date.parse('2025-03-01T23:59:59.999Z')), Date.parse('2025-03-01T00:00:00Z'));
});
