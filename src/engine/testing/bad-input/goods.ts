// Good records made beside the bad ones, in the same batch: each must sync with exactly these values
// whatever its neighbours do.
import type { Made, CorpusWorld } from './world.js';
import { INTEGRATION_OWNER, opportunity } from './world.js';

export interface Good {
  made: Made;
  /** Deal properties as HubSpot must hold them. */
  deal: Record<string, string | null>;
}

let serial = 0;

/** `n` good opportunities, every mapped field filled, in the currencies the portal has. */
export async function goodRecords(w: CorpusWorld, n: number, label = 'Good'): Promise<Good[]> {
  const out: Good[] = [];
  for (let i = 0; i < n; i++) {
    const k = ++serial;
    const currency = ['USD', 'EUR', 'GBP'][k % 3]!;
    const name = `${label} ${k} - Expansion`;
    const made = await opportunity(w, {
      Name: name,
      StageName: 'Negotiation/Review',
      CloseDate: `2025-0${1 + (k % 9)}-15`,
      Amount: 1000 + k + 0.25,
      Type: 'New Customer',
      Description: `Good record ${k}\nsecond line`,
      CurrencyIsoCode: currency,
    });
    out.push({
      made,
      deal: {
        dealname: name,
        amount: String(1000 + k + 0.25),
        closedate: `2025-0${1 + (k % 9)}-15T00:00:00.000Z`,
        dealtype: 'newbusiness',
        description: `Good record ${k}\nsecond line`,
        deal_currency_code: currency,
        hubspot_owner_id: INTEGRATION_OWNER,
      },
    });
  }
  return out;
}
