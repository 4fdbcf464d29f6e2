// Which path brings Salesforce's changes, for `status` (JSON `livePath`) and Sync health: Change
// Data Capture while its feed is live, polling otherwise (with why); the last event's age; and
// the event delivery allocation beside the REST one. Read from the store: the feed runs in
// another process (sync, serve) and touches its row at least once a minute.
import { ALL_CHANGES_CHANNEL } from '../ports/change-events.js';
import type { StateStore } from '../ports/store.js';
import type { CdcStatus } from '../ports/store/cdc.js';
import { DELIVERY_ALLOCATION_SETTING } from '../cdc/feed.js';
import { errorCatalogue, type ErrorCode } from '../../errors/index.js';

/** A feed row not touched for this long belongs to a process that is gone. */
export const STALE_AFTER_MS = 3 * 60_000;

export interface LivePath {
  /** `cdc`: change events are the live path (polling every cdcPollIntervalSeconds as the safety net). */
  path: 'cdc' | 'polling';
  /** The feed's status, or null when no feed ever ran on this store. */
  cdc: CdcStatus | null;
  reason: string | null;
  /** The catalogue code of why CDC is not live (docs/errors.md: its meaning and fix), or null. */
  code: ErrorCode | null;
  /** True when the feed's last word is older than 3 minutes (no sync or serve is running it). */
  stale: boolean;
  lastEventAt: string | null;
  lastEventAgeSeconds: number | null;
  replayId: string | null;
  /** `DailyDeliveredPlatformEvents` as the feed last read it from /limits. */
  eventAllocation: { max: number; remaining: number; at: string } | null;
  /** Change events this connector received in the last 24 hours. */
  eventsLast24h: number;
}

export async function readLivePath(store: StateStore, now: Date): Promise<LivePath> {
  const s = await store.getCdcState(ALL_CHANGES_CHANNEL);
  const stale = s ? now.getTime() - Date.parse(s.updatedAt) > STALE_AFTER_MS : false;
  const since = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const events = (await store.apiCalls('salesforce-events', since)).reduce((n, r) => n + r.count, 0);
  const last = s?.lastEventAt ?? null;
  return {
    path: s?.status === 'live' && !stale ? 'cdc' : 'polling',
    cdc: s?.status ?? null,
    reason: s?.reason ?? null,
    code: s?.code ?? null,
    stale,
    lastEventAt: last,
    lastEventAgeSeconds: last ? Math.max(0, Math.round((now.getTime() - Date.parse(last)) / 1000)) : null,
    replayId: s?.replayId ?? null,
    eventAllocation:
      (await store.getSetting<{ max: number; remaining: number; at: string }>(DELIVERY_ALLOCATION_SETTING)) ??
      null,
    eventsLast24h: events,
  };
}

export function formatLivePath(l: LivePath): string[] {
  const age = l.lastEventAgeSeconds !== null ? `last event ${l.lastEventAgeSeconds}s ago` : 'no event yet';
  const head =
    l.path === 'cdc'
      ? `Live path: Change Data Capture (${age}${l.reason ? `; ${l.reason}` : ''}); polling is the safety net`
      : `Live path: polling${
          l.cdc === null
            ? ' (Change Data Capture never started on this store)'
            : l.stale
              ? ` (the Change Data Capture feed last reported ${l.cdc}, more than 3 minutes ago: no sync or serve running it)`
              : ` (Change Data Capture ${l.cdc}${l.reason ? `: ${l.reason}` : ''})`
        }`;
  const alloc = l.eventAllocation;
  const fix = l.path === 'polling' && l.code && !l.stale ? [`${l.code}: ${errorCatalogue[l.code].fix}`] : [];
  return [
    head,
    ...fix,
    `Change events, last 24 h: ${l.eventsLast24h}; org event delivery allocation: ${
      alloc
        ? `${alloc.max - alloc.remaining} of ${alloc.max} delivered today (read ${alloc.at})`
        : 'not read yet'
    }`,
  ];
}
