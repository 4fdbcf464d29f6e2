// Contact and company rollups (DESIGN §2.3, issue 5): the numbers marketing lists and revenue
// reports are built on. Pure; amounts in exact decimals through the caller's converter.
import Big from 'big.js';
import type { HsProperties } from '../../domain/hubspot.js';
import { DealbridgeError } from '../../errors/index.js';
import { instantMs, type IsoDate, type IsoDateTime } from '../../domain/salesforce.js';
import type { OpportunityMirror } from '../ports/store.js';

export interface RollupValues {
  numAssociatedDeals: number;
  firstDealCreatedDate: IsoDateTime | null;
  recentDealCloseDate: IsoDate | null;
  recentDealAmount: string | null;
  totalRevenue: string | null;
}

/** Converts an opportunity amount to the portal currency: exact decimal string, 2 places. */
export type AmountConverter = (
  amount: string,
  currencyIsoCode: string | null,
  closeDate: IsoDate | null,
) => string;

export type RecentDealAmountRule = 'created' | 'closed';

/** Later created first; equal timestamps: the greater Id first (a deterministic tie-break). */
function byCreatedDesc(a: OpportunityMirror, b: OpportunityMirror): number {
  return instantMs(b.createdDate) - instantMs(a.createdDate) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Later closed first; then later created, then greater Id. */
function byClosedDesc(a: OpportunityMirror, b: OpportunityMirror): number {
  const ca = a.closeDate ?? '';
  const cb = b.closeDate ?? '';
  return ca < cb ? 1 : ca > cb ? -1 : byCreatedDesc(a, b);
}

/**
 * The five values of DESIGN §2.3 over one contact's or company's opportunities:
 * - count: every live in-scope opportunity, open, won or lost;
 * - first created: the earliest CreatedDate among them;
 * - recent close date: the latest CloseDate among the closed-won ones;
 * - recent amount: the closed-won one created last (`created`, S8) or closed last (`closed`),
 *   ties by Id;
 * - total revenue: the sum over the closed-won ones.
 * A missing Amount counts as 0. With no closed-won opportunity the three won-based values are null
 * (cleared), like HubSpot's own properties; an empty set gives count 0 and everything else null.
 * Deleted or out-of-scope mirrors are skipped, although the store should not pass them.
 */
export function computeRollups(
  opps: OpportunityMirror[],
  opts: { rule: RecentDealAmountRule; convert: AmountConverter },
): RollupValues {
  const live = opps.filter((o) => !o.isDeleted && o.inScope);
  const values: RollupValues = {
    numAssociatedDeals: live.length,
    firstDealCreatedDate: null,
    recentDealCloseDate: null,
    recentDealAmount: null,
    totalRevenue: null,
  };
  if (live.length === 0) return values;

  values.firstDealCreatedDate = [...live].sort(byCreatedDesc).at(-1)?.createdDate ?? null;

  const won = live.filter((o) => o.isWon);
  if (won.length === 0) return values;

  const converted = new Map(won.map((o) => [o.id, convertOne(o, opts.convert)]));
  const closes = won.map((o) => o.closeDate).filter((d): d is IsoDate => d !== null);
  values.recentDealCloseDate = closes.length > 0 ? closes.reduce((a, b) => (b > a ? b : a)) : null;

  const recent = [...won].sort(opts.rule === 'closed' ? byClosedDesc : byCreatedDesc)[0];
  values.recentDealAmount = recent ? (converted.get(recent.id) ?? null) : null;

  values.totalRevenue = [...converted.values()].reduce((sum, a) => sum.plus(a), new Big(0)).toFixed(2);
  return values;
}

/** One opportunity's amount converted; a failure names the opportunity, the contact's error is about it. */
function convertOne(o: OpportunityMirror, convert: AmountConverter): string {
  try {
    return convert(o.amount ?? '0', o.currencyIsoCode, o.closeDate);
  } catch (err) {
    if (!(err instanceof DealbridgeError)) throw err;
    throw new DealbridgeError(err.code, `opportunity ${o.id}, ${err.field ?? 'Amount'}: ${err.message}`, {
      record: `opportunity:${o.id}`,
      ...(err.field !== undefined ? { field: err.field } : {}),
      cause: err,
    });
  }
}

export interface RollupPropertyNames {
  numAssociatedDeals: string;
  firstDealCreatedDate: string;
  recentDealCloseDate: string;
  recentDealAmount: string;
  totalRevenue: string;
}

export const defaultRollupPropertyNames: RollupPropertyNames = Object.freeze({
  numAssociatedDeals: 'salesforce_num_associated_deals',
  firstDealCreatedDate: 'salesforce_first_deal_created_date',
  recentDealCloseDate: 'salesforce_recent_deal_close_date',
  recentDealAmount: 'salesforce_recent_deal_amount',
  totalRevenue: 'salesforce_total_revenue',
});

/**
 * The values as HubSpot property strings: the count as an integer, '' for an empty value (clears
 * it). First created is a datetime (ISO instant), recent close a date (`YYYY-MM-DD`, which HubSpot
 * accepts for date properties), amounts decimal numbers with 2 places.
 */
export function rollupProperties(v: RollupValues, names: RollupPropertyNames): HsProperties {
  return {
    [names.numAssociatedDeals]: String(v.numAssociatedDeals),
    [names.firstDealCreatedDate]:
      v.firstDealCreatedDate === null ? '' : new Date(instantMs(v.firstDealCreatedDate)).toISOString(),
    [names.recentDealCloseDate]: v.recentDealCloseDate ?? '',
    [names.recentDealAmount]: v.recentDealAmount ?? '',
    [names.totalRevenue]: v.totalRevenue ?? '',
  };
}
