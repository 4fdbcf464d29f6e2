// Value conversions from Salesforce's parsed values to HubSpot's wire strings. Each returns either
// the string to write or the reason it cannot, so the caller can name record and field.
import Big from 'big.js';
import { instantMs } from '../../domain/salesforce.js';

/** HubSpot's limit for a single-line or multi-line text property value. */
export const HUBSPOT_STRING_MAX = 65_536;

export type Converted = { ok: true; value: string } | { ok: false; reason: string };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A decimal in canonical plain notation ("1234.50" → "1234.5", "1e3" → "1000"): exact, never
 * through a JS float, so the hash of an unchanged amount stays the same whatever Salesforce sent.
 */
export function decimalString(value: string | number): Converted {
  if (typeof value === 'number' && !Number.isFinite(value))
    return { ok: false, reason: `${value} is not a number` };
  const text = typeof value === 'number' ? String(value) : value.trim();
  try {
    return { ok: true, value: new Big(text).toFixed() };
  } catch {
    return { ok: false, reason: `${JSON.stringify(value)} is not a number` };
  }
}

/** A `YYYY-MM-DD` that is a real calendar date. */
export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** HubSpot datetime for a date: midnight UTC of that day, as an ISO instant. */
export function dateToMidnightUtc(value: string): Converted {
  if (!isIsoDate(value)) return { ok: false, reason: `${JSON.stringify(value)} is not a date (YYYY-MM-DD)` };
  return { ok: true, value: `${value}T00:00:00.000Z` };
}

/** Any ISO 8601 instant (Salesforce's `+0000` included) → `2024-05-20T20:49:32.000Z`. */
export function isoInstant(value: string): Converted {
  const t = instantMs(value);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return { ok: false, reason: `${JSON.stringify(value)} is not a date-time` };
  }
  return { ok: true, value: new Date(t).toISOString() };
}

/** For a HubSpot `date` property: the UTC calendar day of a date or date-time. */
export function toHubspotDate(value: string): Converted {
  if (isIsoDate(value)) return { ok: true, value };
  const instant = isoInstant(value);
  return instant.ok ? { ok: true, value: instant.value.slice(0, 10) } : instant;
}

/** For a HubSpot `datetime` property: a date becomes its midnight UTC. */
export function toHubspotDateTime(value: string): Converted {
  return isIsoDate(value) ? dateToMidnightUtc(value) : isoInstant(value);
}

export function checkLength(value: string): Converted {
  return value.length > HUBSPOT_STRING_MAX
    ? {
        ok: false,
        reason: `is ${value.length.toLocaleString('en-US')} characters long, HubSpot allows ${HUBSPOT_STRING_MAX.toLocaleString('en-US')}`,
      }
    : { ok: true, value };
}

export function isBlank(value: unknown): value is null | undefined | '' {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** `"Negotiation/Review"`, shortened so that a 60 kB description does not end up in a message. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
