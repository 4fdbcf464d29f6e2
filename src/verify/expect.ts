// What HubSpot should hold, derived afresh from Salesforce data by verify's own small rules. This
// deliberately shares no code with the sync (src/engine/mapping, src/engine/rollups,
// src/engine/currency): a misreading of the rules there must show up here as a difference, not be
// repeated. The rules are DESIGN §2.3 (rollups), §2.4 (lifecycle), §2.6 (currency).
import Big from 'big.js';
import { instantMs, type SfCurrencyRate } from '../domain/salesforce.js';

/** A local Big with its own settings (30 places for the one division, half-up rounding). */
const D = Big();
D.DP = 30;
D.RM = Big.roundHalfUp;

export interface OppFacts {
  id: string;
  amount: string | null;
  currency: string | null;
  closeDate: string | null;
  createdDate: string;
  isClosed: boolean;
  isWon: boolean;
}

export interface ExpectedRollup {
  count: number;
  firstCreated: string | null;
  recentClose: string | null;
  recentAmount: string | null;
  revenue: string | null;
}

export interface CurrencyFacts {
  multiCurrency: boolean;
  corporate: string;
  portal: string;
  dated: boolean;
  rates: SfCurrencyRate[];
}

/** Rate of `code` (units per corporate unit) on `date`; null when Salesforce has none. */
export function rateOf(f: CurrencyFacts, code: string, date: string | null): Big | null {
  const c = code.toUpperCase();
  if (c === f.corporate.toUpperCase()) return new D(1);
  const mine = f.rates.filter((r) => r.IsoCode.toUpperCase() === c);
  if (f.dated && date) {
    const periods = mine.filter((r) => r.StartDate !== null);
    const hit = periods.find(
      (r) => (r.StartDate as string) <= date && (r.NextStartDate === null || date < r.NextStartDate),
    );
    if (hit) return new D(hit.ConversionRate);
    // Before the first period: the earliest one.
    const first = [...periods].sort((a, b) => ((a.StartDate ?? '') < (b.StartDate ?? '') ? -1 : 1))[0];
    if (first && date < (first.StartDate as string)) return new D(first.ConversionRate);
  }
  const fixed = mine.find((r) => r.StartDate === null);
  if (fixed) return new D(fixed.ConversionRate);
  const latest = mine
    .filter((r) => r.StartDate !== null)
    .sort((a, b) => ((a.StartDate ?? '') < (b.StartDate ?? '') ? 1 : -1))[0];
  return latest ? new D(latest.ConversionRate) : null;
}

/** An amount in the portal currency, 2 places; null when it cannot be converted. */
export function toPortal(
  f: CurrencyFacts,
  amount: string | null,
  currency: string | null,
  date: string | null,
): string | null {
  const a = new D(amount ?? '0');
  if (!f.multiCurrency) return a.round(2, Big.roundHalfUp).toFixed(2);
  const from = (currency ?? f.corporate).toUpperCase();
  if (from === f.portal.toUpperCase()) return a.round(2, Big.roundHalfUp).toFixed(2);
  const rFrom = rateOf(f, from, date);
  const rTo = rateOf(f, f.portal, date);
  if (!rFrom || !rTo) return null;
  return a.times(rTo).div(rFrom).round(2, Big.roundHalfUp).toFixed(2);
}

/** The five values of DESIGN §2.3 for one contact's or company's opportunities. */
export function expectedRollup(
  opps: OppFacts[],
  rule: 'created' | 'closed',
  currency: CurrencyFacts,
): ExpectedRollup | { error: string } {
  const out: ExpectedRollup = {
    count: opps.length,
    firstCreated: null,
    recentClose: null,
    recentAmount: null,
    revenue: null,
  };
  for (const o of opps) {
    if (out.firstCreated === null || instantMs(o.createdDate) < instantMs(out.firstCreated))
      out.firstCreated = o.createdDate;
  }
  const won = opps.filter((o) => o.isWon);
  if (won.length === 0) return out;
  let total = new D(0);
  let best: OppFacts | undefined;
  let bestAmount: string | null = null;
  for (const o of won) {
    const v = toPortal(currency, o.amount, o.currency, o.closeDate);
    if (v === null)
      return {
        error: `no conversion rate for ${o.currency ?? '?'} on ${o.closeDate ?? '?'} (opportunity ${o.id})`,
      };
    total = total.plus(v);
    if (o.closeDate && (out.recentClose === null || o.closeDate > out.recentClose))
      out.recentClose = o.closeDate;
    if (!best || later(o, best, rule)) {
      best = o;
      bestAmount = v;
    }
  }
  out.recentAmount = bestAmount;
  out.revenue = total.toFixed(2);
  return out;
}

/** Whether a is the "more recent" won opportunity than b under the rule (ties: created, then Id). */
function later(a: OppFacts, b: OppFacts, rule: 'created' | 'closed'): boolean {
  if (rule === 'closed') {
    const ca = a.closeDate ?? '';
    const cb = b.closeDate ?? '';
    if (ca !== cb) return ca > cb;
  }
  const d = instantMs(a.createdDate) - instantMs(b.createdDate);
  if (d !== 0) return d > 0;
  return a.id > b.id;
}

const ORDER = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
];

/**
 * The least stage a contact must have reached, or null when its stage is free: won → customer,
 * open → opportunity; `other` is never expected to change. Returns whether `actual` satisfies it.
 */
export function lifecycleOk(
  actual: string | null,
  opps: OppFacts[],
): { ok: boolean; atLeast: string | null } {
  const atLeast = opps.some((o) => o.isWon)
    ? 'customer'
    : opps.some((o) => !o.isClosed)
      ? 'opportunity'
      : null;
  const a = (actual ?? '').trim().toLowerCase();
  if (atLeast === null || a === 'other') return { ok: true, atLeast };
  return { ok: ORDER.indexOf(a) >= ORDER.indexOf(atLeast), atLeast };
}
