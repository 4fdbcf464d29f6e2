import { test } from 'node:test';
import assert from 'node:assert/strict';
import Big from 'big.js';
import type { SfCurrencyRate, SfOrgInfo } from '../../domain/salesforce.js';
import { DealbridgeError } from '../../errors/index.js';
import { createAmountConverter } from './currency.js';

const multi: SfOrgInfo = {
  organizationId: '00D',
  multiCurrency: true,
  corporateCurrency: 'USD',
  datedRates: true,
};
const single: SfOrgInfo = { ...multi, multiCurrency: false, datedRates: false };

const dated = (
  IsoCode: string,
  ConversionRate: string,
  StartDate: string,
  NextStartDate: string | null,
): SfCurrencyRate => ({
  IsoCode,
  ConversionRate,
  StartDate,
  NextStartDate,
});
const fixed = (IsoCode: string, ConversionRate: string): SfCurrencyRate => ({
  IsoCode,
  ConversionRate,
  StartDate: null,
  NextStartDate: null,
});

// EUR per 1 USD: 0.9 in January, 0.8 in February, 0.5 from March on; CurrencyType says 0.85.
const rates: SfCurrencyRate[] = [
  dated('EUR', '0.8', '2024-02-01', '2024-03-01'),
  dated('EUR', '0.9', '2024-01-01', '2024-02-01'),
  dated('EUR', '0.5', '2024-03-01', null),
  fixed('EUR', '0.85'),
  fixed('USD', '1'),
  fixed('GBP', '0.75'),
  fixed('JPY', '3'),
];

// [amount, currency, close date, expected in USD (the corporate currency)]
const toUsd: [string, string | null, string | null, string][] = [
  ['90', 'EUR', '2024-01-15', '100.00'],
  ['90', 'EUR', '2024-01-01', '100.00'], // the day the first period starts
  ['90', 'EUR', '2024-01-31', '100.00'], // the day before the next period
  ['90', 'EUR', '2024-02-01', '112.50'], // the day the next period starts
  ['90', 'EUR', '2024-02-29', '112.50'],
  ['90', 'EUR', '2024-03-01', '180.00'],
  ['90', 'EUR', '2031-12-31', '180.00'], // open-ended last period
  ['90', 'EUR', '2019-06-30', '100.00'], // before the first period → the first
  ['85', 'EUR', null, '100.00'], // no close date → CurrencyType rate
  ['10', 'JPY', '2024-02-01', '3.33'],
  ['20', 'JPY', '2024-02-01', '6.67'],
  ['1.005', 'USD', '2024-02-01', '1.01'], // half up on the exact decimal (a float says 1.00)
  ['-1.005', 'USD', null, '-1.01'],
  ['1234.5', null, '2024-02-01', '1234.50'], // no currency → corporate
  ['12345678901234567.89', 'USD', null, '12345678901234567.89'],
];
for (const [amount, cur, close, expected] of toUsd) {
  void test(`multi-currency ${amount} ${cur} closed ${close} → ${expected} USD`, () => {
    assert.equal(createAmountConverter(multi, rates, 'USD')(amount, cur, close), expected);
  });
}

// Portal currency EUR (not the corporate one): × rate(EUR) ÷ rate(X), rounded once at the end.
const toEur: [string, string | null, string | null, string][] = [
  ['100', 'USD', '2024-02-15', '80.00'],
  ['100', null, '2024-01-31', '90.00'],
  ['75', 'GBP', '2024-03-10', '50.00'],
  ['0.125', 'GBP', '2024-03-10', '0.08'], // rounding in the middle would give 0.09
  ['42.42', 'EUR', '2020-01-01', '42.42'], // already in portal currency
  ['100', 'USD', null, '85.00'],
];
for (const [amount, cur, close, expected] of toEur) {
  void test(`multi-currency ${amount} ${cur} closed ${close} → ${expected} EUR`, () => {
    assert.equal(createAmountConverter(multi, rates, 'EUR')(amount, cur, close), expected);
  });
}

void test('without advanced currency management the CurrencyType rate applies whatever the date', () => {
  const convert = createAmountConverter({ ...multi, datedRates: false }, rates, 'USD');
  assert.equal(convert('85', 'EUR', '2024-01-15'), '100.00');
  assert.equal(convert('85', 'EUR', '2024-03-15'), '100.00');
});

void test('dated rates only: no close date takes the latest period', () => {
  const onlyDated = rates.filter((r) => r.StartDate !== null);
  assert.equal(createAmountConverter(multi, onlyDated, 'USD')('90', 'EUR', null), '180.00');
});

void test('exact cents: converted 0.1 + 0.2 sum to 0.30', () => {
  const convert = createAmountConverter(multi, rates, 'USD');
  const sum = [convert('0.1', 'USD', null), convert('0.2', 'USD', null)].reduce(
    (s, a) => s.plus(a),
    new Big(0),
  );
  assert.equal(sum.toFixed(2), '0.30');
  assert.notEqual(String(0.1 + 0.2), '0.3', 'the float trap this guards against');
});

void test('single-currency org: amounts as they are, to cents, currency ignored', () => {
  const convert = createAmountConverter(single, [], 'EUR');
  assert.equal(convert('1234.5', null, null), '1234.50');
  assert.equal(convert('0.005', 'XYZ', '2024-01-01'), '0.01');
  assert.equal(convert('7', null, null), '7.00');
});

void test('a currency without rate, a bad rate, a portal currency unknown to the org: DealbridgeError', () => {
  const convert = createAmountConverter(multi, rates, 'USD');
  assert.throws(
    () => convert('1', 'CHF', '2024-01-01'),
    (e: unknown) =>
      e instanceof DealbridgeError &&
      e.code === 'INVALID_VALUE' &&
      /no conversion rate for CHF on 2024-01-01/.test(e.message),
  );
  assert.throws(
    () => createAmountConverter(multi, rates, 'CHF'),
    (e: unknown) => e instanceof DealbridgeError && e.code === 'CURRENCY_NOT_ENABLED',
  );
  assert.throws(
    () => createAmountConverter(multi, [fixed('EUR', '0')], 'USD'),
    (e: unknown) => e instanceof DealbridgeError && /must be positive/.test(e.message),
  );
  assert.throws(
    () => convert('abc', 'USD', null),
    (e: unknown) => e instanceof DealbridgeError && e.code === 'INVALID_VALUE',
  );
});

void test('the converter does not change the global Big settings', () => {
  createAmountConverter(multi, rates, 'USD')('10', 'JPY', null);
  assert.equal(Big.DP, 20);
  assert.equal(Big.RM, 1);
});
