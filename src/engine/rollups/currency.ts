// Amounts for rollups in the portal's company currency (DESIGN §2.3, §2.6; issue 5).
//
// Salesforce rates are "units of this currency per 1 unit of the corporate currency". An amount
// in X becomes corporate by dividing by X's rate, and portal currency P by multiplying by P's rate:
// amount × rate(P) ÷ rate(X). We multiply first so that the single inexact step, the division,
// runs at 30 decimal places, and round half up to cents once, at the very end.
//
// Which rate: with advanced currency management (DatedConversionRate) the period in force on the
// opportunity's close date: StartDate <= closeDate < NextStartDate, i.e. the period with the latest
// StartDate on or before the close date (a gap between periods keeps the earlier one); a close
// date before the first period takes the first period. Without a close date, or without dated
// rates, the CurrencyType rate (StartDate null); failing that, the latest dated period.
//
// Single-currency orgs: amounts are taken as they are (no conversion, even if the portal's
// company currency differs: setup reports that), rounded half up to cents.
//
// Output: a plain decimal string with exactly 2 places ("1250.50"), which HubSpot `number`
// properties accept and which never passes through a JS float.
import Big from 'big.js';
import type { IsoDate, SfCurrencyRate, SfOrgInfo } from '../../domain/salesforce.js';
import { DealbridgeError } from '../../errors/index.js';
import type { AmountConverter } from './index.js';

/** Our own Big constructor: settings here cannot leak into (or be changed by) other modules. */
const Dec = Big();
Dec.DP = 30;
Dec.RM = Big.roundHalfUp;

interface Period {
  start: IsoDate;
  rate: Big;
}

interface CurrencyRates {
  /** CurrencyType rate, if any. */
  fixed: Big | null;
  /** DatedConversionRate periods, by StartDate ascending. */
  periods: Period[];
}

function parseRate(r: SfCurrencyRate): Big {
  let rate: Big;
  try {
    rate = new Dec(r.ConversionRate);
  } catch {
    throw new DealbridgeError(
      'INVALID_VALUE',
      `Salesforce conversion rate of ${r.IsoCode} is not a number: ${JSON.stringify(r.ConversionRate)}`,
      {
        field: 'ConversionRate',
      },
    );
  }
  if (rate.lte(0)) {
    throw new DealbridgeError(
      'INVALID_VALUE',
      `Salesforce conversion rate of ${r.IsoCode} must be positive, is ${r.ConversionRate}`,
      {
        field: 'ConversionRate',
      },
    );
  }
  return rate;
}

function indexRates(rates: SfCurrencyRate[]): Map<string, CurrencyRates> {
  const byCode = new Map<string, CurrencyRates>();
  for (const r of rates) {
    const code = r.IsoCode.trim().toUpperCase();
    const entry = byCode.get(code) ?? { fixed: null, periods: [] };
    byCode.set(code, entry);
    if (r.StartDate === null) entry.fixed = parseRate(r);
    else entry.periods.push({ start: r.StartDate, rate: parseRate(r) });
  }
  for (const e of byCode.values())
    e.periods.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return byCode;
}

/** The rate of a currency in force on a date, per the rules at the top of this file. */
function rateOn(entry: CurrencyRates, date: IsoDate | null, preferDated: boolean): Big | null {
  const { periods, fixed } = entry;
  if (preferDated && date !== null && periods.length > 0) {
    let chosen = periods[0];
    for (const p of periods) if (p.start <= date) chosen = p;
    return chosen?.rate ?? null;
  }
  return fixed ?? periods.at(-1)?.rate ?? null;
}

export function createAmountConverter(
  org: SfOrgInfo,
  rates: SfCurrencyRate[],
  portalCurrency: string,
): AmountConverter {
  const cents = (amount: string): string => {
    try {
      return new Dec(amount).round(2, Big.roundHalfUp).toFixed(2);
    } catch {
      throw new DealbridgeError('INVALID_VALUE', `amount ${JSON.stringify(amount)} is not a number`, {
        field: 'Amount',
      });
    }
  };
  if (!org.multiCurrency) return (amount) => cents(amount);

  const corporate = org.corporateCurrency.trim().toUpperCase();
  const portal = portalCurrency.trim().toUpperCase();
  const byCode = indexRates(rates);
  const lookup = (code: string, date: IsoDate | null): Big => {
    if (code === corporate) return new Dec(1);
    const entry = byCode.get(code);
    const rate = entry ? rateOn(entry, date, org.datedRates) : null;
    if (rate === null) {
      throw new DealbridgeError(
        'INVALID_VALUE',
        `Salesforce has no conversion rate for ${code}${date ? ` on ${date}` : ''}; cannot convert to ${portal} (add ${org.datedRates ? `a dated exchange rate for ${code} covering ${date ?? 'the close date'}` : `the rate of ${code}`} in Salesforce › Setup › Manage Currencies, then dealbridge errors retry)`,
        { field: 'CurrencyIsoCode' },
      );
    }
    return rate;
  };
  if (portal !== corporate && !byCode.has(portal)) {
    throw new DealbridgeError(
      'CURRENCY_NOT_ENABLED',
      `HubSpot's company currency ${portal} is not a currency of the Salesforce org (corporate ${corporate}): rollups cannot be converted (add ${portal} in Salesforce › Manage Currencies)`,
    );
  }

  return (amount, currencyIsoCode, closeDate) => {
    const from = (currencyIsoCode ?? corporate).trim().toUpperCase();
    if (from === portal) return cents(amount);
    let value: Big;
    try {
      value = new Dec(amount);
    } catch {
      throw new DealbridgeError('INVALID_VALUE', `amount ${JSON.stringify(amount)} is not a number`, {
        field: 'Amount',
      });
    }
    return value
      .times(lookup(portal, closeDate))
      .div(lookup(from, closeDate))
      .round(2, Big.roundHalfUp)
      .toFixed(2);
  };
}
