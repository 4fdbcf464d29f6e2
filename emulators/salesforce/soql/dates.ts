// Date arithmetic for SOQL date literals and wire formatting. The emulated org's time zone and
// the running user's locale are UTC and en_US (weeks start on Sunday, calendar-year quarters).
// Ranges follow "Date Formats and Date Literals in WHERE" (SOQL and SOSL reference): each literal
// is a range of whole days starting at 00:00:00; LAST_N_DAYS:n includes today (LAST_N_DAYS:1 is
// yesterday and today), NEXT_N_DAYS:n starts tomorrow, LAST_N_MONTHS:n ends with the last month.

const DAY_MS = 86_400_000;

/** A half-open range of days, as days since 1970-01-01. */
export interface DayRange {
  start: number;
  end: number;
}

const dayOf = (y: number, m0: number, d: number): number => Date.UTC(y, m0, d) / DAY_MS;

export function dayToDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export const dayToMs = (day: number): number => day * DAY_MS;

/** `2024-05-20T20:49:32.000+0000`, as Salesforce writes datetimes. */
export function formatDatetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23) + '+0000';
}

export function dateLiteralRange(name: string, n: number | undefined, now: Date): DayRange {
  const today = Math.floor(now.getTime() / DAY_MS);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const weekStart = today - now.getUTCDay();
  const q0 = m - (m % 3);
  const k = n ?? 0;
  switch (name) {
    case 'YESTERDAY':
      return { start: today - 1, end: today };
    case 'TODAY':
      return { start: today, end: today + 1 };
    case 'TOMORROW':
      return { start: today + 1, end: today + 2 };
    case 'LAST_WEEK':
      return { start: weekStart - 7, end: weekStart };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 };
    case 'NEXT_WEEK':
      return { start: weekStart + 7, end: weekStart + 14 };
    case 'LAST_MONTH':
      return { start: dayOf(y, m - 1, 1), end: dayOf(y, m, 1) };
    case 'THIS_MONTH':
      return { start: dayOf(y, m, 1), end: dayOf(y, m + 1, 1) };
    case 'NEXT_MONTH':
      return { start: dayOf(y, m + 1, 1), end: dayOf(y, m + 2, 1) };
    case 'LAST_90_DAYS':
      return { start: today - 90, end: today + 1 };
    case 'NEXT_90_DAYS':
      return { start: today + 1, end: today + 91 };
    case 'LAST_QUARTER':
      return { start: dayOf(y, q0 - 3, 1), end: dayOf(y, q0, 1) };
    case 'THIS_QUARTER':
      return { start: dayOf(y, q0, 1), end: dayOf(y, q0 + 3, 1) };
    case 'NEXT_QUARTER':
      return { start: dayOf(y, q0 + 3, 1), end: dayOf(y, q0 + 6, 1) };
    case 'LAST_YEAR':
      return { start: dayOf(y - 1, 0, 1), end: dayOf(y, 0, 1) };
    case 'THIS_YEAR':
      return { start: dayOf(y, 0, 1), end: dayOf(y + 1, 0, 1) };
    case 'NEXT_YEAR':
      return { start: dayOf(y + 1, 0, 1), end: dayOf(y + 2, 0, 1) };
    case 'LAST_N_DAYS':
      return { start: today - k, end: today + 1 };
    case 'NEXT_N_DAYS':
      return { start: today + 1, end: today + 1 + k };
    case 'N_DAYS_AGO':
      return { start: today - k, end: today - k + 1 };
    case 'LAST_N_WEEKS':
      return { start: weekStart - 7 * k, end: weekStart };
    case 'NEXT_N_WEEKS':
      return { start: weekStart + 7, end: weekStart + 7 + 7 * k };
    case 'LAST_N_MONTHS':
      return { start: dayOf(y, m - k, 1), end: dayOf(y, m, 1) };
    case 'NEXT_N_MONTHS':
      return { start: dayOf(y, m + 1, 1), end: dayOf(y, m + 1 + k, 1) };
    case 'LAST_N_QUARTERS':
      return { start: dayOf(y, q0 - 3 * k, 1), end: dayOf(y, q0, 1) };
    case 'NEXT_N_QUARTERS':
      return { start: dayOf(y, q0 + 3, 1), end: dayOf(y, q0 + 3 + 3 * k, 1) };
    case 'LAST_N_YEARS':
      return { start: dayOf(y - k, 0, 1), end: dayOf(y, 0, 1) };
    case 'NEXT_N_YEARS':
      return { start: dayOf(y + 1, 0, 1), end: dayOf(y + 1 + k, 0, 1) };
    default:
      throw new Error(`unknown date literal ${name}`);
  }
}
