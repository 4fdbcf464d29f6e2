// How verify compares HubSpot's property strings with what it expects: numbers as decimals
// ("1250.5" equals "1250.50"), dates as calendar days in UTC, datetimes as instants; blank and
// null are the same (HubSpot returns either for an empty property).
import Big from 'big.js';
import { instantMs } from '../domain/salesforce.js';

export const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v === '';

/** HubSpot answers datetimes as ISO text or as epoch milliseconds. */
function instant(v: string): number {
  if (/^\d+$/.test(v)) return Number(v);
  return instantMs(v);
}

export function sameNumber(expected: string | null, actual: string | null | undefined): boolean {
  if (blank(expected) || blank(actual)) return blank(expected) && blank(actual);
  try {
    return new Big(expected as string).eq(new Big(actual as string));
  } catch {
    return false;
  }
}

/** `YYYY-MM-DD` of a date or datetime property value (UTC), or null. */
export function dayOf(v: string | null | undefined): string | null {
  if (blank(v)) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v as string)) return v as string;
  const t = instant(v as string);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : (v as string);
}

export function sameDay(expected: string | null, actual: string | null | undefined): boolean {
  return dayOf(expected) === dayOf(actual);
}

export function sameInstant(expected: string | null, actual: string | null | undefined): boolean {
  if (blank(expected) || blank(actual)) return blank(expected) && blank(actual);
  return instant(expected as string) === instant(actual as string);
}

export function sameText(expected: string | null, actual: string | null | undefined): boolean {
  if (blank(expected) || blank(actual)) return blank(expected) && blank(actual);
  return expected === actual;
}
