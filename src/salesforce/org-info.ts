// What the adapter learns about the org once (orgInfo: its id, whether it is multi-currency, the
// corporate currency, dated exchange rates) and the rates themselves, read through the adapter's
// own describe and query paths.
import type { SfCurrencyRate, SfOrgInfo } from '../domain/salesforce.js';
import { currencyTypeSchema, datedRateSchema } from './schemas.js';

export interface OrgReader {
  describe(sobject: string): Promise<{ fields: { name: string }[] }>;
  rows(soql: string): Promise<Record<string, unknown>[]>;
}

export async function loadOrgInfo(r: OrgReader): Promise<SfOrgInfo> {
  const oppFields = new Set((await r.describe('Opportunity')).fields.map((f) => f.name));
  const multiCurrency = oppFields.has('CurrencyIsoCode');
  const orgFields = new Set((await r.describe('Organization')).fields.map((f) => f.name));
  const select = ['Id', ...(orgFields.has('DefaultCurrencyIsoCode') ? ['DefaultCurrencyIsoCode'] : [])];
  const [org] = await r.rows(`SELECT ${select.join(', ')} FROM Organization LIMIT 1`);
  const organizationId = String(org?.Id ?? '');
  let corporateCurrency = typeof org?.DefaultCurrencyIsoCode === 'string' ? org.DefaultCurrencyIsoCode : '';
  let datedRates = false;
  if (multiCurrency) {
    const [corp] = await r.rows('SELECT IsoCode FROM CurrencyType WHERE IsCorporate = true LIMIT 1');
    if (typeof corp?.IsoCode === 'string') corporateCurrency = corp.IsoCode;
    // Without advanced currency management DatedConversionRate holds one open-ended period per
    // currency; with it, some currency has several periods.
    const seen = new Set<string>();
    for (const row of await r.rows('SELECT IsoCode FROM DatedConversionRate')) {
      const code = String(row.IsoCode);
      if (seen.has(code)) datedRates = true;
      seen.add(code);
    }
  }
  return { organizationId, multiCurrency, corporateCurrency: corporateCurrency || 'USD', datedRates };
}

export async function currencyRates(org: SfOrgInfo, r: OrgReader): Promise<SfCurrencyRate[]> {
  if (!org.multiCurrency) return [];
  if (org.datedRates) {
    const q =
      'SELECT IsoCode, ConversionRate, StartDate, NextStartDate FROM DatedConversionRate ORDER BY IsoCode, StartDate';
    return (await r.rows(q)).map((row) => datedRateSchema.parse(row));
  }
  return (await r.rows('SELECT IsoCode, ConversionRate FROM CurrencyType WHERE IsActive = true')).map((row) =>
    currencyTypeSchema.parse(row),
  );
}
