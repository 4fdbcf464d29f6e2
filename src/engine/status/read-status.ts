// `dealbridge status`: the setting, whether the sync is paused, how far behind the change feeds
// are (opportunities, contact roles, accounts), up to when deletes are known and the last full
// comparison, what the last pass did, which errors are waiting (by code) and how many of them are
// dead letters, the warnings apart from them (records that synced with something left out, never
// retried by themselves) and how many API calls each side took in the last 24 hours.
// Reads the store only: status never spends API calls.
import type { ApiUsageReading, ChangeCursor } from '../../domain/salesforce.js';
import { CURSOR_ACCOUNTS } from '../sync/account-feed.js';
import { CURSOR_CONTACT_ROLES, CURSOR_OPPORTUNITIES, lagSeconds } from '../sync/change-feed.js';
import { SETUP_DONE_SETTING } from '../mapping/sync-context.js';
import {
  CURSOR_DELETES,
  LAST_FULL_COMPARISON_SETTING,
  type FullComparisonResult,
} from '../deletes/full-compare.js';
import { PENDING_CONTACTS_SETTING } from '../sync/scope.js';
import { readSettings, readSyncStartedAt, type Settings } from '../user-settings.js';
import { readPause } from '../pause.js';
import type { PassSummary, StateStore } from '../ports/store.js';
import { formatLivePath, readLivePath, type LivePath } from './live-path.js';

/** The latest org-wide Sforce-Limit-Info reading a pass saw (every integration's calls, not just ours). */
export const SALESFORCE_ORG_USAGE_SETTING = 'usage.salesforceOrg';

export interface SyncStatus {
  settings: Settings;
  /** The pause switch (../pause.ts): nothing is written while it is on. */
  paused: boolean;
  pausedSince: string | null;
  /** T of the scope contract: Salesforce time at which opportunitySync was turned on. */
  syncStartedAt: string | null;
  setupCompletedAt: string | null;
  /** The change feeds' cursors; lag is the age of the newest change read. */
  cursors: { name: string; cursor: ChangeCursor | null; lagSeconds: number | null }[];
  /** Deletes known up to `checkedThrough` (getDeleted, or the last full comparison). */
  deletes: { checkedThrough: string | null; lastFullComparison: FullComparisonResult | null };
  lastPass: PassSummary | null;
  /** Records that did not (wholly) sync, retried with backoff (dead letters included in total). */
  errors: { total: number; byCode: Record<string, number>; dueNow: number };
  /** Errors that failed 20 times or for 7 days: retried only by hand (record-errors.ts). */
  deadLetters: number;
  /** Records that synced with something left out (an owner, a Type value): not retried by themselves. */
  warnings: { total: number; byCode: Record<string, number> };
  /** Contacts not yet in HubSpot that keep opportunities out of scope. */
  pendingContacts: number;
  /** This connector's own calls (one per HTTP request it sent), not the org's. */
  apiCallsLast24h: { salesforce: number; hubspot: number };
  /** The org-wide daily usage from Sforce-Limit-Info at the last pass; null before any. */
  salesforceOrgUsage: ApiUsageReading | null;
  /** Change Data Capture or polling, the last event's age, the event allocation (live-path.ts). */
  livePath: LivePath;
}

export async function readStatus(store: StateStore, now: Date = new Date()): Promise<SyncStatus> {
  const settings = await readSettings(store);
  const pause = await readPause(store);
  const cursors = [];
  for (const name of [CURSOR_OPPORTUNITIES, CURSOR_CONTACT_ROLES, CURSOR_ACCOUNTS]) {
    const cursor = (await store.getCursor(name)) ?? null;
    cursors.push({ name, cursor, lagSeconds: cursor ? lagSeconds(cursor, now) : null });
  }
  const byCode = await store.errorCountsByCode('error');
  const warningsByCode = await store.errorCountsByCode('warning');
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const due = await store.dueRetries(now.toISOString(), 100_000);
  const since = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const sum = (rows: { count: number }[]) => rows.reduce((a, r) => a + r.count, 0);
  const pending = (await store.getSetting<Record<string, unknown>>(PENDING_CONTACTS_SETTING)) ?? {};
  return {
    settings,
    paused: pause.paused,
    pausedSince: pause.since,
    syncStartedAt: await readSyncStartedAt(store),
    setupCompletedAt: (await store.getSetting<string>(SETUP_DONE_SETTING)) ?? null,
    cursors,
    deletes: {
      checkedThrough: (await store.getCursor(CURSOR_DELETES))?.modstamp ?? null,
      lastFullComparison:
        (await store.getSetting<FullComparisonResult>(LAST_FULL_COMPARISON_SETTING)) ?? null,
    },
    lastPass: (await store.lastPassSummary('sync')) ?? null,
    errors: { total: total(byCode), byCode, dueNow: due.length },
    deadLetters: (await store.listErrors({ severity: 'error', deadLetter: true })).length,
    warnings: { total: total(warningsByCode), byCode: warningsByCode },
    pendingContacts: Object.keys(pending).length,
    apiCallsLast24h: {
      salesforce: sum(await store.apiCalls('salesforce', since)),
      hubspot: sum(await store.apiCalls('hubspot', since)),
    },
    salesforceOrgUsage: (await store.getSetting<ApiUsageReading>(SALESFORCE_ORG_USAGE_SETTING)) ?? null,
    livePath: await readLivePath(store, now),
  };
}

export function formatStatus(s: SyncStatus): string {
  const lines = [
    `Opportunity sync: ${s.settings.opportunitySync ? 'on' : 'off'}${
      s.settings.opportunitySync && s.syncStartedAt ? ` (since ${s.syncStartedAt}, Salesforce time)` : ''
    }`,
    ...formatLivePath(s.livePath),
    ...(s.paused
      ? [`Sync paused since ${s.pausedSince ?? '?'}: nothing is written to HubSpot until dealbridge resume`]
      : []),
    `Setup: ${s.setupCompletedAt ? `done ${s.setupCompletedAt}` : 'not run (dealbridge setup)'}`,
  ];
  for (const c of s.cursors) {
    lines.push(
      `Cursor ${c.name}: ${c.cursor ? `${c.cursor.modstamp} ${c.cursor.id}`.trim() : 'not started'}${
        c.lagSeconds !== null ? ` (lag ${c.lagSeconds}s)` : ''
      }`,
    );
  }
  lines.push(`Deletes known up to: ${s.deletes.checkedThrough ?? 'not started'}`);
  const fc = s.deletes.lastFullComparison;
  if (fc) {
    lines.push(
      `Last full comparison ${fc.finishedAt}: ${fc.salesforceIds} opportunity ids in Salesforce, ${fc.liveDeals} live deals compared, ${fc.missing} missing, ${fc.archived} archived`,
    );
  }
  if (s.lastPass) {
    const p = s.lastPass;
    const reasons = Object.entries(p.skippedByReason)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(
      `Last pass ${p.finishedAt}: created ${p.created}, updated ${p.updated}, unchanged ${p.unchanged}, skipped ${p.skipped}${
        reasons ? ` (${reasons})` : ''
      }, failed ${p.failed}, archived ${p.archived}`,
    );
  } else lines.push('Last pass: none yet');
  const codes = Object.entries(s.errors.byCode)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(`Errors: ${s.errors.total}${codes ? ` (${codes})` : ''}, ${s.errors.dueNow} due for retry`);
  lines.push(
    `Dead letters: ${s.deadLetters}${s.deadLetters > 0 ? ' (failed 20 times or for 7 days; retried only by hand: dealbridge errors list --dead-letters, then dealbridge errors retry --dead-letters)' : ''}`,
  );
  const warned = Object.entries(s.warnings.byCode)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(
    `Warnings: ${s.warnings.total}${warned ? ` (${warned}; synced, not retried: dealbridge errors list --warnings)` : ''}`,
  );
  lines.push(`Contacts not yet in HubSpot: ${s.pendingContacts}`);
  lines.push(
    `API calls, last 24 h: Salesforce ${s.apiCallsLast24h.salesforce}, HubSpot ${s.apiCallsLast24h.hubspot}`,
  );
  const org = s.salesforceOrgUsage;
  lines.push(
    `Salesforce org-wide API usage: ${org ? `${org.used} of ${org.max} today (all integrations, read ${org.at})` : 'not read yet'}`,
  );
  return lines.join('\n');
}
