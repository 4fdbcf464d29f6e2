// The Account change feed: its own `(SystemModstamp, Id)` cursor, read with `>=` and the same
// look-back as the opportunity and contact-role feeds, read once a minute (the engine's
// `accountFeedIntervalMs`). What a changed account can change on the HubSpot side, per
// DESIGN §2.1–2.3:
// - No deal property: the default mapping has no Account field, and custom mappings take
//   Opportunity fields only (checked against the Opportunity describe).
// - The deal → company association (`AccountId`, company found by `salesforce_account_id`, then
//   by the domain of the account's Website, else created). Once an account is linked to a company
//   the link is kept (the company carries `salesforce_account_id`), so a rename or a new website
//   changes nothing there. An account that is NOT linked yet (its opportunities' deals carry
//   COMPANY_MATCH_FAILED: no domain match, several matches, or creation off) may match now: its
//   in-scope opportunities are re-synced through the normal batch path, where unchanged deals
//   are skipped by their hash and only the association is written.
// - The company rollups (issue 5: "an account changed" is a rollup trigger): owed for every
//   changed account that has a company. They are computed from the opportunities only, so they
//   are usually unchanged and the rollup pass skips the write by its fingerprint.
// The company's own fields (name, domain) are HubSpot's: set once when dealbridge creates the
// company, never overwritten.
import type { ChangeCursor, SfAccount } from '../../domain/salesforce.js';
import { COMPANY_KEY } from './associations.js';
import { advance, prefetched, readFrom } from './change-feed.js';
import type { SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { chunk } from '../../lib/chunk.js';

export const CURSOR_ACCOUNTS = 'account';

export interface AccountPagePlan<A extends { Id: string } = SfAccount> {
  /** Accounts dealbridge has a use for (a company, or in-scope opportunities): mirrored. */
  mirror: A[];
  /** Accounts with a HubSpot company: their rollups are recomputed. */
  rollupAccountIds: string[];
  /**
   * In-scope, live opportunities of accounts without a company yet, and deals whose last write
   * lacks their account's company: re-synced.
   */
  resyncOpportunityIds: string[];
}

/**
 * What a page of changed accounts calls for, from the store alone (no API call). Only the ids
 * decide; the CDC feed (engine/cdc/accounts.ts) passes what its events carry, and reads by id only
 * the accounts this plan mirrors.
 */
export async function planAccountPage<A extends { Id: string }>(
  store: StateStore,
  accounts: A[],
): Promise<AccountPagePlan<A>> {
  const ids = [...new Set(accounts.map((a) => a.Id))];
  const [companies, oppsOf] = await Promise.all([
    store.getCompanyLinks(ids),
    store.opportunitiesOfAccounts(ids),
  ]);
  // Deals whose last write does not carry the account's company (a batch that linked the company
  // and then failed before the association was written) are re-synced too, not only unlinked ones.
  const linkedOpps = accounts.flatMap((a) => (companies.has(a.Id) ? (oppsOf.get(a.Id) ?? []) : []));
  const deals = await store.getDealLinks(linkedOpps.map((o) => o.id));
  const plan: AccountPagePlan<A> = { mirror: [], rollupAccountIds: [], resyncOpportunityIds: [] };
  for (const a of accounts) {
    const opps = oppsOf.get(a.Id) ?? [];
    const company = companies.get(a.Id);
    if (!company && opps.length === 0) continue;
    plan.mirror.push(a);
    if (!company) {
      plan.resyncOpportunityIds.push(...opps.map((o) => o.id));
      continue;
    }
    plan.rollupAccountIds.push(a.Id);
    for (const o of opps) {
      const deal = deals.get(o.id);
      if (deal?.dealId && !deal.archived && deal.lastValues[COMPANY_KEY] !== company.hubspotId)
        plan.resyncOpportunityIds.push(o.id);
    }
  }
  plan.rollupAccountIds = [...new Set(plan.rollupAccountIds)];
  plan.resyncOpportunityIds = [...new Set(plan.resyncOpportunityIds)];
  return plan;
}

/**
 * Account versions already handled by this process, so that the look-back's re-reads cost no
 * store work and no re-sync. Memory only: after a restart the worst case is one repeat.
 */
export class AccountMemo {
  private readonly seen = new Map<string, string>();
  constructor(private readonly maxEntries = 200_000) {}
  handled(a: SfAccount): boolean {
    return this.seen.get(a.Id) === a.SystemModstamp;
  }
  mark(accounts: SfAccount[]): void {
    if (this.seen.size > this.maxEntries) this.seen.clear();
    for (const a of accounts) this.seen.set(a.Id, a.SystemModstamp);
  }
}

export interface AccountFeedDeps {
  salesforce: SalesforcePort;
  store: StateStore;
  lookbackSeconds: number;
  batchSize: number;
  memo: AccountMemo;
  startCursor(): Promise<ChangeCursor>;
  /** Owes rollups for these accounts; saved with the next stored outcome or commit. */
  oweRollups(accountIds: string[]): void;
  /** Runs fn in one transaction with the owed rollups saved. */
  commit(fn: () => Promise<void>): Promise<void>;
  /** Re-syncs opportunities through the batch path; `last` runs in the last batch's transaction. */
  resync(opportunityIds: string[], last: () => Promise<void>): Promise<void>;
  checkBudget(): void;
}

export interface AccountFeedResult {
  /** Changed accounts read (look-back re-reads of handled versions not counted). */
  changed: number;
  /** Opportunities re-synced because their account had no company yet. */
  resynced: number;
}

/**
 * Reads the feed page by page. Each batch's mirror rows, owed rollups and cursor are stored in
 * one transaction, after the re-sync it called for (if any) has been stored: a crash re-reads the
 * batch, never skips it.
 */
export async function runAccountFeed(deps: AccountFeedDeps): Promise<AccountFeedResult> {
  const { store } = deps;
  const result: AccountFeedResult = { changed: 0, resynced: 0 };
  let cursor = await deps.startCursor();
  const from = readFrom(cursor, deps.lookbackSeconds);
  for await (const page of prefetched(deps.salesforce.accountsChangedSince(from))) {
    for (const batch of chunk(page, deps.batchSize)) {
      const nextCursor = advance(cursor, batch);
      const fresh = batch.filter((a) => !deps.memo.handled(a));
      const plan = await planAccountPage(store, fresh);
      const stored = async () => {
        if (plan.mirror.length > 0) await store.saveAccounts(plan.mirror);
        await store.setCursor(CURSOR_ACCOUNTS, nextCursor);
      };
      deps.oweRollups(plan.rollupAccountIds);
      if (plan.resyncOpportunityIds.length > 0) await deps.resync(plan.resyncOpportunityIds, stored);
      else await deps.commit(stored);
      deps.memo.mark(fresh);
      result.changed += fresh.length;
      result.resynced += plan.resyncOpportunityIds.length;
      cursor = nextCursor;
    }
    deps.checkBudget();
  }
  return result;
}
