// Salesforce's wire formats for time: datetimes as `2024-05-20T20:49:32.000+0000` (milliseconds,
// offset without a colon), dates as `YYYY-MM-DD`. Internally datetimes are epoch milliseconds.

const DAY_MS = 86_400_000;
export { DAY_MS };

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Epoch ms → `2024-05-20T20:49:32.000+0000`. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

/** Epoch ms → `YYYY-MM-DD` (UTC). */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** `YYYY-MM-DD` (also accepts a datetime, keeping its date part, as Salesforce does) → canonical date or undefined. */
export function parseDate(s: string): string | undefined {
  const m = DATE_RE.exec(s) ?? DATETIME_RE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** ISO 8601 datetime (with `Z`, `+00:00` or `+0000`; no offset = UTC) → epoch ms, or undefined. */
export function parseDateTime(s: string): number | undefined {
  const m = DATETIME_RE.exec(s);
  if (!m) {
    const d = parseDate(s);
    return d === undefined ? undefined : Date.parse(`${d}T00:00:00Z`);
  }
  const frac = (m[7] ?? '0').padEnd(3, '0').slice(0, 3);
  let offset = m[8] ?? 'Z';
  if (offset !== 'Z' && !offset.includes(':')) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${frac}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Epoch ms → the date it falls on (UTC) as epoch ms of midnight. */
export function startOfDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}
