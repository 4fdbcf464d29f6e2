// What /metrics reports of one connection at a scrape, read from where the facts already live:
// the store (cursors, stored errors and dead letters, import runs, the last pass, the pause
// switch) and the adapters' own request counters (the ones UsageRecorder turns into the store's
// API usage). No bookkeeping of its own: a scrape reads, it never counts.
import type { HubspotPort, SalesforcePort } from '../engine/ports/remote.js';
import type { ImportRun, Side, StateStore } from '../engine/ports/store.js';
import { lagSeconds } from '../engine/sync/change-feed.js';
import { readPause } from '../engine/pause.js';
import { instantMs } from '../domain/salesforce.js';

/** One org ↔ portal pair as /metrics sees it. Today there is one, `default` (issue #15). */
export interface MetricsConnection {
  name: string;
  store: Pick<
    StateStore,
    'listCursors' | 'errorCountsByCode' | 'listErrors' | 'listImportRuns' | 'lastPassSummary' | 'getSetting'
  >;
  /** The adapters made so far (Runtime.openedAdapters): none made, no request sent. */
  adapters(): {
    salesforce?: Pick<SalesforcePort, 'requestCount' | 'rateLimitedCount'>;
    hubspot?: Pick<HubspotPort, 'usage'>;
  };
}

export const IMPORT_OUTCOMES = ['processed', 'created', 'updated', 'unchanged', 'skipped', 'failed'] as const;

/** Requests this process sent to each side, and the answers among them that refused for a limit. */
/** HTTP requests per API (change events arrive on the streaming connection and are not requests). */
export type ApiReadings = Record<
  Exclude<Side, 'salesforce-events'>,
  { requests: number; rateLimited: number }
>;

export interface StoreReadings {
  /** Every cursor the store holds, by name: a new feed (CDC) shows up without a change here. */
  feedLagSeconds: Record<string, number>;
  /** Stored record errors and warnings, by severity and code (what `status` counts). */
  recordErrors: { severity: 'error' | 'warning'; code: string; count: number }[];
  /** Records waiting for their next retry (dead letters apart: those wait for a person). */
  retryWaiting: number;
  deadLetters: number;
  paused: boolean;
  /** The end of the last sync pass any process stored, in Unix seconds. */
  lastPassAt: number | null;
  /** The newest import run: whether it runs, its counts and expected total. */
  import: {
    running: boolean;
    counts: Record<(typeof IMPORT_OUTCOMES)[number], number>;
    expected: number | null;
  } | null;
}

const unixSeconds = (iso: string) => Date.parse(iso) / 1000;

/** From memory (the adapters' counters): readable while the store is not. */
export function readApi(c: MetricsConnection): ApiReadings {
  const { salesforce, hubspot } = c.adapters();
  const hs = hubspot?.usage();
  return {
    salesforce: {
      requests: salesforce?.requestCount() ?? 0,
      rateLimited: salesforce?.rateLimitedCount() ?? 0,
    },
    hubspot: { requests: hs?.requests ?? 0, rateLimited: hs?.rateLimited ?? 0 },
  };
}

function importReading(run: ImportRun | undefined): StoreReadings['import'] {
  if (!run) return null;
  return {
    running: run.status === 'running',
    counts: Object.fromEntries(IMPORT_OUTCOMES.map((o) => [o, run[o]])) as Record<
      (typeof IMPORT_OUTCOMES)[number],
      number
    >,
    expected: run.total,
  };
}

export async function readStore(c: MetricsConnection, now: Date): Promise<StoreReadings> {
  const { store } = c;
  const feedLagSeconds: Record<string, number> = {};
  for (const [name, cursor] of await store.listCursors()) {
    // A cursor whose stamp is not an instant (none today) has no lag to report.
    if (Number.isNaN(instantMs(cursor.modstamp))) continue;
    const lag = lagSeconds(cursor, now);
    if (lag !== null) feedLagSeconds[name] = lag;
  }
  const recordErrors: StoreReadings['recordErrors'] = [];
  for (const severity of ['error', 'warning'] as const)
    for (const [code, count] of Object.entries(await store.errorCountsByCode(severity)))
      recordErrors.push({ severity, code, count });
  const errorTotal = recordErrors.filter((e) => e.severity === 'error').reduce((a, e) => a + e.count, 0);
  const deadLetters = (await store.listErrors({ severity: 'error', deadLetter: true })).length;
  const last = await store.lastPassSummary('sync');
  const [run] = await store.listImportRuns(1);
  return {
    feedLagSeconds,
    recordErrors,
    retryWaiting: errorTotal - deadLetters,
    deadLetters,
    paused: (await readPause(store)).paused,
    lastPassAt: last ? unixSeconds(last.finishedAt) : null,
    import: importReading(run),
  };
}
