// The "Sync health" page as data: the engine's status (readStatus, as `dealbridge status`), API
// calls per hour over the last 24 h for each side against its daily allocation, sync lag, and the
// errors grouped by code with the catalogue's title and fix and the affected records' names, and
// the warnings (records that synced with something left out) grouped the same way, apart.
import { errorCatalogue, isErrorCode, type Severity } from '../../errors/index.js';
import { CURSOR_ACCOUNTS } from '../../engine/sync/account-feed.js';
import { readStatus, type SyncStatus } from '../../engine/status/read-status.js';
import type { Side, SyncErrorRecord } from '../../engine/ports/store.js';
import type { ServerContext, SyncLoopState } from '../context.js';
import { hubspotAllocation } from './settings-view.js';

export interface ErrorGroup {
  code: string;
  severity: Severity;
  title: string;
  description: string;
  fix: string;
  count: number;
  records: (SyncErrorRecord & { name: string | null; opportunityId: string | null })[];
}

/** What `note` says, as data: Salesforce's org-wide reading and budget, HubSpot's daily limit. */
export type ApiUsageFacts =
  | { side: 'salesforce'; used: number; max: number; budgetPercent: number }
  | { side: 'hubspot'; dailyMax: number; dailyRemaining: number | null }
  | { side: 'salesforce-events'; remaining: number; max: number; at: string };

export interface HealthView {
  status: Omit<SyncStatus, 'settings'> & { opportunitySync: boolean };
  loop: SyncLoopState;
  lagSeconds: number | null;
  api: Record<
    Side,
    {
      hourly: { hour: string; count: number }[];
      total: number;
      allocation: number | null;
      /** In English, for API clients; the web UI writes it in its language from `usage`. */
      note: string;
      usage: ApiUsageFacts | null;
    }
  >;
  /** Records that did not (wholly) sync, by code. */
  errorGroups: ErrorGroup[];
  /** Records that synced with a warning, by code: not retried by themselves. */
  warningGroups: ErrorGroup[];
}

/** Cards list this many records each; the CSV export has them all. */
const RECORDS_PER_CARD = 100;

export function hourBuckets(
  rows: { hour: string; count: number }[],
  now: Date,
): { hour: string; count: number }[] {
  const top = new Date(now);
  top.setUTCMinutes(0, 0, 0);
  const byHour = new Map<number, number>();
  for (const r of rows) {
    const t = new Date(r.hour);
    t.setUTCMinutes(0, 0, 0);
    byHour.set(t.getTime(), (byHour.get(t.getTime()) ?? 0) + r.count);
  }
  const out = [];
  for (let i = 23; i >= 0; i--) {
    const t = top.getTime() - i * 3600_000;
    out.push({ hour: new Date(t).toISOString(), count: byHour.get(t) ?? 0 });
  }
  return out;
}

export async function healthView(ctx: ServerContext): Promise<HealthView> {
  const { store } = ctx.runtime;
  const now = ctx.now();
  const { settings, ...status } = await readStatus(store, now);
  const since = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const sf = await ctx.runtime.salesforce();
  const hs = await ctx.runtime.hubspot();
  // The live adapter's reading, else the one the last pass stored (a server whose loop is off, or
  // that has made no Salesforce call yet since it started).
  const sfUsage = sf.usage() ?? status.salesforceOrgUsage ?? undefined;
  const hsUsage = hs.usage();
  const hsAllocation = (await hubspotAllocation(ctx)) ?? hsUsage.dailyMax ?? null;
  const sfAllocation = sfUsage ? Math.floor((sfUsage.max * settings.salesforceBudgetPercent) / 100) : null;
  const api = {} as HealthView['api'];
  const events = status.livePath.eventAllocation;
  for (const side of ['salesforce', 'hubspot', 'salesforce-events'] as const) {
    const hourly = hourBuckets(await store.apiCalls(side, since), now);
    api[side] = {
      hourly,
      total: hourly.reduce((a, b) => a + b.count, 0),
      allocation:
        side === 'salesforce' ? sfAllocation : side === 'hubspot' ? hsAllocation : (events?.max ?? null),
      note:
        side === 'salesforce-events'
          ? `change events delivered to dealbridge; they count against the org's event delivery allocation (DailyDeliveredPlatformEvents${events ? `: ${events.remaining.toLocaleString('en-US')} of ${events.max.toLocaleString('en-US')} left at ${events.at}` : ', not read yet'}), not its REST allocation`
          : side === 'salesforce'
            ? sfUsage
              ? `dealbridge's own requests; org-wide (all integrations, Sforce-Limit-Info) ${sfUsage.used.toLocaleString('en-US')} of ${sfUsage.max.toLocaleString('en-US')} today; dealbridge stops at ${settings.salesforceBudgetPercent} %`
              : 'no Salesforce response read yet'
            : hsUsage.dailyMax
              ? `portal daily limit ${hsUsage.dailyMax.toLocaleString('en-US')}${hsUsage.dailyRemaining !== undefined ? `, ${hsUsage.dailyRemaining.toLocaleString('en-US')} left` : ''}`
              : 'daily limit not reported yet',
      usage:
        side === 'salesforce-events'
          ? events
            ? { side, remaining: events.remaining, max: events.max, at: events.at }
            : null
          : side === 'salesforce'
            ? sfUsage
              ? {
                  side,
                  used: sfUsage.used,
                  max: sfUsage.max,
                  budgetPercent: settings.salesforceBudgetPercent,
                }
              : null
            : hsUsage.dailyMax
              ? { side, dailyMax: hsUsage.dailyMax, dailyRemaining: hsUsage.dailyRemaining ?? null }
              : null,
    };
  }
  // Accounts change rarely: their cursor's age is how long ago one changed, not how far behind the
  // sync is, so the lag shown is the opportunity and contact-role feeds'.
  const lags = status.cursors
    .filter((c) => c.name !== CURSOR_ACCOUNTS)
    .map((c) => c.lagSeconds)
    .filter((l): l is number => l !== null);
  return {
    status: { ...status, opportunitySync: settings.opportunitySync },
    loop: ctx.loop,
    lagSeconds: lags.length > 0 ? Math.max(...lags) : null,
    api,
    errorGroups: await errorGroups(ctx, RECORDS_PER_CARD, 'error'),
    warningGroups: await errorGroups(ctx, RECORDS_PER_CARD, 'warning'),
  };
}

/** Stored issues grouped by code (a code of both severities makes two groups); one severity, or all. */
export async function errorGroups(
  ctx: ServerContext,
  perGroup: number,
  severity?: Severity,
): Promise<ErrorGroup[]> {
  const { store } = ctx.runtime;
  const errors = await store.listErrors(severity ? { severity } : undefined);
  const oppIds = errors
    .filter((e) => e.recordKey.startsWith('opportunity:'))
    .map((e) => e.recordKey.slice('opportunity:'.length));
  const mirrors = oppIds.length > 0 ? await store.getOpportunities(oppIds) : new Map();
  const groups = new Map<string, ErrorGroup>();
  for (const e of errors) {
    const groupKey = `${e.severity}:${e.code}`;
    let g = groups.get(groupKey);
    if (!g) {
      const info = isErrorCode(e.code) ? errorCatalogue[e.code] : undefined;
      g = {
        code: e.code,
        severity: e.severity,
        title: info?.title ?? e.code,
        description: info?.description ?? '',
        fix: info?.fix ?? '',
        count: 0,
        records: [],
      };
      groups.set(groupKey, g);
    }
    g.count++;
    if (g.records.length < perGroup) {
      const oppId = e.recordKey.startsWith('opportunity:') ? e.recordKey.slice('opportunity:'.length) : null;
      g.records.push({
        ...e,
        opportunityId: oppId,
        name: oppId ? ((mirrors.get(oppId) as { name?: string } | undefined)?.name ?? null) : null,
      });
    }
  }
  // Errors before warnings, then the largest group first.
  return [...groups.values()].sort(
    (a, b) => a.severity.localeCompare(b.severity) || b.count - a.count || a.code.localeCompare(b.code),
  );
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export async function errorsCsv(ctx: ServerContext): Promise<string> {
  const groups = await errorGroups(ctx, Number.MAX_SAFE_INTEGER);
  const header = [
    'record',
    'name',
    'severity',
    'code',
    'title',
    'field',
    'message',
    'attempts',
    'first_seen',
    'last_seen',
    'next_retry',
    'dead_lettered_at',
    'fix',
  ];
  const lines = [header.join(',')];
  for (const g of groups) {
    for (const r of g.records) {
      lines.push(
        [
          r.recordKey,
          r.name,
          r.severity,
          r.code,
          g.title,
          r.field,
          r.message,
          r.attempts,
          r.firstSeenAt,
          r.lastSeenAt,
          r.nextRetryAt,
          r.deadLetteredAt,
          g.fix,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}
