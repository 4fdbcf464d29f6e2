// The first pages of a pass's change feeds in one Salesforce call (SalesforcePort
// .prefetchChangeFeeds: a composite request counts once toward the allocation). The reads that
// follow (pass.ts opportunityFeed, contactRoleFeed, account-feed.ts) start from the same cursors
// and look-backs as here, so they find their first page read; a feed whose page this did not
// read (no stored cursor yet, a different query) reads it itself, which costs a call, never a row.
// A pass that finds nothing new, the safety net's pass while Change Data Capture is live, is then
// one REST call (docs/sync.md, "Change feeds").
//
// Pages read before the opportunity feed wrote anything are dropped once it has (pass.ts), unless
// Change Data Capture is live: writes take time, and what changed meanwhile (an opportunity
// deleted while its deal was being created, whose contact roles go with it) is what the
// contact-role feed's later read used to see in the same pass. Opportunities changed in the very
// second the feed read keep its stamp and sort before its cursor, so without that read they would
// wait for the late-commit sweep. With CDC live, what changes after the read arrives as events, so
// the safety net's pass stays one call even when it races the events it overlaps with.
import type { EngineDeps, EngineOptions } from './engine-options.js';
import { CURSOR_CONTACT_ROLES, CURSOR_OPPORTUNITIES, readFrom } from './change-feed.js';
import { CURSOR_ACCOUNTS } from './account-feed.js';
import type { ChangeFeedReads } from '../ports/remote.js';
import type { Counts } from './batch.js';

/** Rows a pass has written (or failed to write) so far. */
export const writesOf = (c: Counts): number => c.created + c.updated + c.archived + c.failed;

export async function prefetchFeeds(
  deps: Pick<EngineDeps, 'salesforce' | 'store'>,
  options: Pick<EngineOptions, 'lookbackSeconds' | 'shortLookbackSeconds'>,
  read: { extraFields: string[]; accountsDue: boolean },
): Promise<void> {
  const [opps, roles, accounts] = await Promise.all(
    [CURSOR_OPPORTUNITIES, CURSOR_CONTACT_ROLES, CURSOR_ACCOUNTS].map((n) => deps.store.getCursor(n)),
  );
  // The opportunity and role feeds re-read the short window each pass; the account feed the full one.
  const short = Math.min(options.shortLookbackSeconds, options.lookbackSeconds);
  const reads: ChangeFeedReads = {
    ...(opps ? { opportunities: { cursor: readFrom(opps, short), extraFields: read.extraFields } } : {}),
    ...(roles ? { contactRoles: { cursor: readFrom(roles, short) } } : {}),
    ...(accounts && read.accountsDue
      ? { accounts: { cursor: readFrom(accounts, options.lookbackSeconds) } }
      : {}),
  };
  await deps.salesforce.prefetchChangeFeeds(reads);
}
