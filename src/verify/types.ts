// The shapes verify works with: its inputs, its options and its report.
import type { HubspotPort, SalesforcePort } from '../engine/ports/remote.js';
import type { OppFacts } from './expect.js';
import type { ObjectLister } from './read.js';

export interface RollupNames {
  numAssociatedDeals: string;
  firstDealCreatedDate: string;
  recentDealCloseDate: string;
  recentDealAmount: string;
  totalRevenue: string;
}

export interface VerifyDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  list: ObjectLister;
}

export interface VerifyOptions {
  rule: 'created' | 'closed';
  lifecycle: boolean;
  names: RollupNames;
  /** Stop listing differences after this many (they are still counted). */
  maxDifferences?: number;
}

export type Check =
  | 'missing_deal'
  | 'unexpected_deal'
  | 'duplicate_deal'
  | 'deal_field'
  | 'association_missing'
  | 'association_extra'
  | 'rollup'
  | 'lifecycle';

export interface Difference {
  /** `opportunity:006…`, `contact:003…`, `company:001…` */
  record: string;
  hubspotId: string | null;
  check: Check;
  field?: string;
  expected?: string | null;
  actual?: string | null;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  checked: { opportunities: number; deals: number; contacts: number; companies: number };
  counts: Partial<Record<Check, number>>;
  differences: Difference[];
  /** Differences found beyond maxDifferences (counted, not listed). */
  truncated: number;
}

export interface Opp extends OppFacts {
  name: string;
  stage: string;
  description: string | null;
  ownerId: string | null;
  accountId: string | null;
  contactIds: string[];
}
