// Version-level resources: the versions list, the resources of a version, and /limits.
import type { Ctx, Route } from './context.js';
import type { EmulatorState } from '../state.js';

export const MIN_VERSION = 50;
export const MAX_VERSION = 62;
const RELEASES = ['Winter', 'Spring', 'Summer'];

/** GET /services/data: every supported version (Winter '21 = 50.0 … Winter '25 = 62.0). */
export function versions(): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = MIN_VERSION; v <= MAX_VERSION; v++) {
    const k = v - MIN_VERSION;
    const season = RELEASES[k % 3]!;
    const year = 21 + Math.floor(k / 3);
    out.push({
      label: `${season} '${String(year).padStart(2, '0')}`,
      url: `/services/data/v${v}.0`,
      version: `${v}.0`,
    });
  }
  return out;
}

/** Resources of GET /services/data/vXX.X that the emulator serves (docs/emulators/salesforce.md). */
export const SERVED_RESOURCES = ['composite', 'limits', 'query', 'queryAll', 'sobjects', 'tooling', 'ui-api'];

export function limitsBody(state: EmulatorState) {
  const live = state.store.allTables().reduce((n, t) => n + t.liveCount, 0);
  const storageMax = 1024 + 20;
  return {
    ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
    DailyApiRequests: { Max: state.usage.allocation, Remaining: state.usage.remaining() },
    DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
    DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
    // High-volume platform events and change events delivered to CometD clients, per 24 hours.
    DailyDeliveredPlatformEvents: {
      Max: state.events.deliveries.allocation,
      Remaining: state.events.deliveries.remaining(),
    },
    DailyStreamingApiEvents: { Max: 200000, Remaining: 200000 },
    // Salesforce counts about 2 KB of data storage per record.
    DataStorageMB: { Max: storageMax, Remaining: Math.max(0, storageMax - Math.ceil((live * 2) / 1024)) },
    FileStorageMB: { Max: 1024, Remaining: 1024 },
    SingleEmailMessages: { Max: 5000, Remaining: 5000 },
  };
}

export function resolveOrgRoute(method: string, parts: string[]): Route | undefined {
  if (method !== 'GET') return undefined;
  if (parts.length === 0 || (parts.length === 1 && parts[0] === '')) {
    return {
      name: 'resources',
      run: (ctx: Ctx) => {
        // Salesforce lists every resource of the version; the emulator lists those it serves (any
        // other answers 404 NOT_FOUND), plus `identity`, the caller's absolute identity URL, which
        // jsforce's identity() reads when it has no id URL from a token response.
        const b = `/services/data/v${ctx.version}`;
        const body: Record<string, string> = {};
        for (const r of SERVED_RESOURCES) body[r] = `${b}/${r}`;
        body.identity = `${ctx.state.baseUrl}/id/${ctx.state.store.orgId}/${ctx.userId}`;
        return { status: 200, body };
      },
    };
  }
  if (parts.length === 1 && parts[0] === 'limits')
    return { name: 'limits', run: (ctx) => ({ status: 200, body: limitsBody(ctx.state) }) };
  return undefined;
}
