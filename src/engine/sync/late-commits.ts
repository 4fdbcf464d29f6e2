// Late commits, read once. Salesforce stamps SystemModstamp when a transaction writes a row, but
// queries see the row only once the transaction commits: a row can appear with a stamp older than
// the cursor already is. Re-reading the whole look-back every pass finds such rows, but reads every
// change once per pass for `lookbackSeconds` (12 times with 5-s passes and 60 s).
//
// Instead, every pass reads from its cursor minus a SHORT window (`shortLookbackSeconds`: commits
// that land a little late are synced at the next pass), and now and then a SWEEP re-reads, once,
// the stamps that have SETTLED since the last sweep: [mark, server time − lookbackSeconds). A stamp
// has settled when every commit carrying it has landed, which is what `sync.lookbackSeconds`
// promises (commits land at most that late); so one read of a settled range sees all of its rows.
// Consecutive ranges join with no gap (both ends are floored to the second alike), so every stamp
// is swept exactly once, after it settled: each change is read about twice in all.
//
// The mark is stored per feed, so a restart resumes the sweep where it stopped; the sweep is due
// when the settled, unswept range is `sweepIntervalMs` long (no timer to lose on a restart).
import { instantMs, type ChangeCursor, type IsoDateTime } from '../../domain/salesforce.js';
import { CURSOR_CONTACT_ROLES, CURSOR_OPPORTUNITIES, readFrom } from './change-feed.js';
import type { StateStore } from '../ports/store.js';

export const CURSOR_OPPORTUNITY_SWEEP = 'opportunitySweep';
export const CURSOR_CONTACT_ROLE_SWEEP = 'opportunityContactRoleSweep';

/** Each sweep mark with the feed whose late commits it finds. */
export const SWEPT_FEEDS = [
  { feed: CURSOR_OPPORTUNITIES, sweep: CURSOR_OPPORTUNITY_SWEEP },
  { feed: CURSOR_CONTACT_ROLES, sweep: CURSOR_CONTACT_ROLE_SWEEP },
] as const;

export interface LookbackWindows {
  /** The full window: how late a commit may land and still be synced (`sync.lookbackSeconds`). */
  lookbackSeconds: number;
  /** Re-read by every pass, so that slightly late commits do not wait for the sweep. */
  shortLookbackSeconds: number;
  /** How long a settled range grows before it is swept. */
  sweepIntervalMs: number;
}

/** Whether a sweep is needed at all: a short window as long as the full one covers it alone. */
export function sweeps(w: LookbackWindows): boolean {
  return w.lookbackSeconds > w.shortLookbackSeconds;
}

/**
 * The mark of an install that has none yet (upgraded while sync was on): the feed's cursor minus
 * the full window, which is what the last pass before the upgrade had re-read from.
 */
export function initialMark(feedCursor: ChangeCursor, lookbackSeconds: number): ChangeCursor {
  return { ...readFrom(feedCursor, lookbackSeconds), id: '' };
}

/**
 * Whether a sweep is due by our clock: the range settled since the mark is `sweepIntervalMs`
 * long. Only a hint (our clock may differ from Salesforce's); the range itself comes from
 * `settledBefore` with Salesforce's time.
 */
export function sweepDue(mark: ChangeCursor, nowMs: number, w: LookbackWindows): boolean {
  return nowMs - w.lookbackSeconds * 1000 - instantMs(mark.modstamp) >= w.sweepIntervalMs;
}

/** Stamps before this have settled at `serverNow`: every commit carrying them has landed. */
export function settledBefore(serverNow: IsoDateTime, lookbackSeconds: number): IsoDateTime {
  return new Date(instantMs(serverNow) - lookbackSeconds * 1000).toISOString();
}

/** Marks for installs that had sync on before the sweep existed. */
export async function initSweepMarks(
  store: Pick<StateStore, 'getCursor' | 'setCursor'>,
  windows: LookbackWindows,
  lookbackSeconds: number,
): Promise<void> {
  if (!sweeps(windows)) return;
  for (const { feed, sweep } of SWEPT_FEEDS) {
    if (await store.getCursor(sweep)) continue;
    const cursor = await store.getCursor(feed);
    if (cursor) await store.setCursor(sweep, initialMark(cursor, lookbackSeconds));
  }
}

/**
 * The sweep: once the range settled since a feed's mark is long enough, it is read once, bounded
 * by Salesforce's time minus the full window, through the feed's own path (rows the mirror holds
 * at the same SystemModstamp are skipped cheaply); the mark moves to the bound. The feed cursors
 * do not move.
 */
export async function runSweeps(a: {
  store: Pick<StateStore, 'getCursor' | 'setCursor'>;
  windows: LookbackWindows;
  lookbackSeconds: number;
  nowMs: number;
  serverTime: () => Promise<IsoDateTime>;
  checkBudget: () => void;
  readOpportunities: (range: SweepRange) => Promise<void>;
  readContactRoles: (range: SweepRange) => Promise<void>;
}): Promise<void> {
  if (!sweeps(a.windows)) return;
  const due: { sweep: string; mark: ChangeCursor }[] = [];
  for (const { sweep } of SWEPT_FEEDS) {
    const mark = await a.store.getCursor(sweep);
    if (mark && sweepDue(mark, a.nowMs, a.windows)) due.push({ sweep, mark });
  }
  if (due.length === 0) return;
  a.checkBudget();
  const before = settledBefore(await a.serverTime(), a.lookbackSeconds);
  for (const { sweep, mark } of due) {
    if (instantMs(before) <= instantMs(mark.modstamp)) continue;
    const range = { from: mark, cursor: mark, cursorName: sweep, before };
    if (sweep === CURSOR_OPPORTUNITY_SWEEP) await a.readOpportunities(range);
    else await a.readContactRoles(range);
    await a.store.setCursor(sweep, { modstamp: before, id: '' });
  }
}

/** The settled range one sweep reads. */
export interface SweepRange {
  from: ChangeCursor;
  cursor: ChangeCursor;
  cursorName: string;
  before: IsoDateTime;
}
