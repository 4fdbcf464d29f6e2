import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateLiteralRange, dayToDate, formatDatetime } from './dates.js';

// Thursday 2024-02-29 (leap day), late in the UTC day.
const now = new Date('2024-02-29T23:59:59.999Z');
const range = (name: string, n?: number) => {
  const r = dateLiteralRange(name, n, now);
  return [dayToDate(r.start), dayToDate(r.end - 1)];
};

test('day literals', () => {
  assert.deepEqual(range('TODAY'), ['2024-02-29', '2024-02-29']);
  assert.deepEqual(range('YESTERDAY'), ['2024-02-28', '2024-02-28']);
  assert.deepEqual(range('TOMORROW'), ['2024-03-01', '2024-03-01']);
  assert.deepEqual(range('LAST_N_DAYS', 7), ['2024-02-22', '2024-02-29']);
  assert.deepEqual(range('NEXT_N_DAYS', 2), ['2024-03-01', '2024-03-02']);
  assert.deepEqual(range('N_DAYS_AGO', 29), ['2024-01-31', '2024-01-31']);
  assert.deepEqual(range('LAST_90_DAYS'), ['2023-12-01', '2024-02-29']);
  assert.deepEqual(range('NEXT_90_DAYS'), ['2024-03-01', '2024-05-29']);
});

test('weeks start on Sunday', () => {
  assert.deepEqual(range('THIS_WEEK'), ['2024-02-25', '2024-03-02']);
  assert.deepEqual(range('LAST_WEEK'), ['2024-02-18', '2024-02-24']);
  assert.deepEqual(range('NEXT_WEEK'), ['2024-03-03', '2024-03-09']);
  assert.deepEqual(range('LAST_N_WEEKS', 2), ['2024-02-11', '2024-02-24']);
  assert.deepEqual(range('NEXT_N_WEEKS', 1), ['2024-03-03', '2024-03-09']);
});

test('months, quarters and years, across year ends', () => {
  assert.deepEqual(range('THIS_MONTH'), ['2024-02-01', '2024-02-29']);
  assert.deepEqual(range('LAST_MONTH'), ['2024-01-01', '2024-01-31']);
  assert.deepEqual(range('NEXT_MONTH'), ['2024-03-01', '2024-03-31']);
  assert.deepEqual(range('LAST_N_MONTHS', 3), ['2023-11-01', '2024-01-31']);
  assert.deepEqual(range('NEXT_N_MONTHS', 2), ['2024-03-01', '2024-04-30']);
  assert.deepEqual(range('THIS_QUARTER'), ['2024-01-01', '2024-03-31']);
  assert.deepEqual(range('LAST_QUARTER'), ['2023-10-01', '2023-12-31']);
  assert.deepEqual(range('NEXT_QUARTER'), ['2024-04-01', '2024-06-30']);
  assert.deepEqual(range('LAST_N_QUARTERS', 2), ['2023-07-01', '2023-12-31']);
  assert.deepEqual(range('NEXT_N_QUARTERS', 2), ['2024-04-01', '2024-09-30']);
  assert.deepEqual(range('THIS_YEAR'), ['2024-01-01', '2024-12-31']);
  assert.deepEqual(range('LAST_YEAR'), ['2023-01-01', '2023-12-31']);
  assert.deepEqual(range('NEXT_YEAR'), ['2025-01-01', '2025-12-31']);
  assert.deepEqual(range('LAST_N_YEARS', 2), ['2022-01-01', '2023-12-31']);
  assert.deepEqual(range('NEXT_N_YEARS', 1), ['2025-01-01', '2025-12-31']);
});

test('datetimes are written with milliseconds and +0000', () => {
  assert.equal(formatDatetime(Date.UTC(2013, 4, 20, 20, 49, 32)), '2013-05-20T20:49:32.000+0000');
  assert.equal(formatDatetime(Date.UTC(2024, 0, 1, 0, 0, 0, 7)), '2024-01-01T00:00:00.007+0000');
});
