// Numbers, amounts, dates and durations in the UI's language, through Intl: English as the UI has
// always shown them (en-US numbers, en-GB dates), German as German readers expect (1.234,56 €,
// 02.12.2026, 18:05:09). Each call reads the current language, so a component re-rendered by a
// language change shows the new formats.
import { i18next } from './i18n';

const locale = () => (i18next.language === 'de' ? 'de-DE' : 'en-US');
const dateLocale = () => (i18next.language === 'de' ? 'de-DE' : 'en-GB');

export const num = (n: number): string => n.toLocaleString(locale());

/** A decimal with at least `digits` decimals: 1.0 / 1,0. */
export const decimal = (n: number, digits = 1): string =>
  n.toLocaleString(locale(), { minimumFractionDigits: digits });

/** A share in percent, with two decimals below 1 (0,25 %) and none above. */
export const percent = (share: number): string =>
  share.toLocaleString(locale(), { maximumFractionDigits: share < 1 ? 2 : 0 });

/**
 * A Salesforce amount (a decimal string). With a currency code, as money in that currency
 * (`1.234,56 €`); without one (a single-currency org), as a number with its two decimals.
 */
export function money(amount: string | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const n = Number(amount);
  if (!Number.isFinite(n)) return amount;
  try {
    return n.toLocaleString(locale(), {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      ...(currency ? { style: 'currency', currency } : {}),
    });
  } catch {
    // A code Intl does not know: the number, then the code as Salesforce wrote it.
    return `${n.toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
  }
}

/** A calendar date (`2026-12-02`, Salesforce's date type) as a date of the language: 02.12.2026. */
export function day(date: string | null | undefined): string {
  if (!date) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString(dateLocale(), { dateStyle: 'medium', timeZone: 'UTC' });
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Today: the time is enough.
  if (d.toDateString() === new Date().toDateString())
    return d.toLocaleTimeString(dateLocale(), { timeStyle: 'medium' });
  return d.toLocaleString(dateLocale(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** A written value: null is "—", an empty string is shown as such. */
export function shown(v: string | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v === '' ? i18next.t('common.empty') : v;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return i18next.t('duration.s', { s });
  if (s < 3600) return i18next.t('duration.min', { m: Math.floor(s / 60), s: s % 60 });
  return i18next.t('duration.h', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}
