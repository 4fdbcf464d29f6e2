// When the account feed is due: once per `accountFeedIntervalMs` (accounts change rarely, and no
// deal property depends on them). A new process counts from the stored cursor (accounts handled up
// to there; at least the moment sync was turned on), so a restart does not cost an extra read
// within the minute. The pass asks before it reads its feeds' first pages (feed-prefetch.ts), so
// those pages hold the accounts exactly when the account feed will read them.
import { instantMs } from '../../domain/salesforce.js';
import type { StateStore } from '../ports/store.js';
import { CURSOR_ACCOUNTS } from './account-feed.js';

export class AccountFeedSchedule {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs: number) {}

  async due(store: Pick<StateStore, 'getCursor'>, at: number): Promise<boolean> {
    if (this.lastAt === Number.NEGATIVE_INFINITY) {
      const cursor = await store.getCursor(CURSOR_ACCOUNTS);
      const readUpTo = cursor ? instantMs(cursor.modstamp) : NaN;
      if (Number.isFinite(readUpTo)) this.lastAt = readUpTo;
    }
    return at - this.lastAt >= this.intervalMs;
  }

  ran(at: number): void {
    this.lastAt = at;
  }
}
