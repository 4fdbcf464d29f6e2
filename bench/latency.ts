// `npm run bench:latency [-- --seconds 60 --rate 20 --pool 200 --cdc-poll 60 --json]` (issue #14): the time from
// a change in Salesforce to the deal in HubSpot, for the Change Data Capture path and for polling
// (the default 5 s loop), side by side in one run, with the Salesforce REST calls per hour each
// spends. Both emulators and the connector run in this process (the connector as `sync` runs it:
// runLiveSync over the real adapters and a SQLite store), so the figures include their sharing
// of the CPU. A change is an update of one opportunity's Amount through Salesforce's REST API,
// timed from Salesforce's answer; it has arrived when HubSpot has answered dealbridge's write of
// that value or a later one of the same opportunity (polling folds changes within a pass).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHubspotEmulator } from '../emulators/hubspot/index.js';
import { createSalesforceEmulator } from '../emulators/salesforce/index.js';
import { createHubspotAdapter } from '../src/hubspot/index.js';
import { createSalesforceAdapter } from '../src/salesforce/index.js';
import { openStore } from '../src/store/index.js';
import { runSetup } from '../src/engine/setup/run-setup.js';
import { writeSetting } from '../src/engine/user-settings.js';
import { createRollupHook } from '../src/engine/rollups/hook.js';
import { SyncEngine } from '../src/engine/sync/pass.js';
import { runLiveSync } from '../src/engine/cdc/live-sync.js';
import { SalesforceRest } from '../src/engine/testing/salesforce-rest.js';
import { HubspotRest } from '../src/engine/testing/hubspot-rest.js';
import { row } from './lib/table.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const SECONDS = arg('seconds', 60);
const RATE = arg('rate', 20);
const POOL = arg('pool', 200);
/** sync.cdcPollIntervalSeconds: the safety net's polling while CDC is live (default 60). */
const CDC_POLL_SECONDS = arg('cdc-poll', 60);
const JSON_OUT = process.argv.includes('--json');
const log = (s: string) => {
  if (!JSON_OUT) process.stderr.write(`${s}\n`);
};

interface PathResult {
  path: 'cdc' | 'polling';
  changes: number;
  arrived: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  restCalls: number;
  restCallsPerHour: number;
  restByRoute: Record<string, number>;
  events: number;
}

const routeCounts = (stats: { routes: Record<string, Record<string, number>> }): Record<string, number> =>
  Object.fromEntries(
    Object.entries(stats.routes).map(([route, byStatus]) => [
      route,
      Object.values(byStatus).reduce((a, b) => a + b, 0),
    ]),
  );

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function runPath(path: 'cdc' | 'polling'): Promise<PathResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dealbridge-latency-'));
  const sfEmu = await createSalesforceEmulator({ seed: 'empty' });
  const hsEmu = await createHubspotEmulator({ seed: 'empty', rateLimits: false });
  const store = await openStore(join(dir, 'state.db'));
  const controller = new AbortController();
  let done: Promise<unknown> = Promise.resolve();
  try {
    // The org offers CDC for Opportunity and its roles, or does not (polling is then the live path).
    if (path === 'cdc')
      await sfEmu.admin.call('POST', 'cdc/selection', {
        entities: ['Opportunity', 'OpportunityContactRole', 'Account'],
      });
    // The bench delivers ~1,200 events a run; an Enterprise org's default 25,000 a day is plenty.
    const hsRest = new HubspotRest(hsEmu.url, hsEmu.accessToken);
    await hsRest.call('POST', '/__emulator/owners', {
      email: 'integration@dealbridge-emulator.example',
      id: 501,
    });
    const sf = await createSalesforceAdapter({
      loginUrl: sfEmu.url,
      clientId: sfEmu.clientId,
      clientSecret: sfEmu.clientSecret,
      apiVersion: '62.0',
      budgetPercent: 80,
    });
    const hs = createHubspotAdapter({ baseUrl: hsEmu.url, accessToken: hsEmu.accessToken });
    const setup = await runSetup({ salesforce: sf, hubspot: hs, store });
    if (!setup.ok) throw new Error(JSON.stringify(setup.problems));
    const t = await sfEmu.admin.issueTokens();
    const sfRest = new SalesforceRest(
      t.instanceUrl,
      async () => (await sfEmu.admin.issueTokens()).accessToken,
    );
    // The pool: opportunities with a contact role whose contact is in HubSpot, synced before measuring.
    const contactId = await sfRest.create('Contact', { LastName: 'Buyer', Email: 'buyer@example.com' });
    await hsRest.createContact('buyer@example.com');
    await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    sfEmu.admin.state.clock.advance(1000);
    const pool: string[] = [];
    for (let i = 0; i < POOL; i++) {
      const id = await sfRest.create('Opportunity', {
        Name: `Latency ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2027-06-30',
      });
      await sfRest.create('OpportunityContactRole', { OpportunityId: id, ContactId: contactId });
      pool.push(id);
    }
    // Arrival: HubSpot's answer to dealbridge's write of a value.
    const pending = new Map<string, { seq: number; at: number }[]>();
    const latencies: number[] = [];
    const arrive = (oppId: string, amount: unknown) => {
      const seq = Number(amount) - 1_000_000;
      const list = pending.get(oppId);
      if (!list || !Number.isFinite(seq)) return;
      const now = performance.now();
      const keep = list.filter((p) => {
        if (p.seq > seq) return true;
        latencies.push(now - p.at);
        return false;
      });
      pending.set(oppId, keep);
    };
    for (const method of ['upsertDeals', 'createDeals'] as const) {
      const orig = hs[method].bind(hs) as (
        inputs: { opportunityId: string; properties: Record<string, unknown> }[],
      ) => Promise<unknown>;
      (hs as unknown as Record<string, unknown>)[method] = async (
        inputs: { opportunityId: string; properties: Record<string, unknown> }[],
      ) => {
        const r = await orig(inputs);
        for (const i of inputs) arrive(i.opportunityId, i.properties.amount);
        return r;
      };
    }
    const engine = new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      onTouched: createRollupHook({ salesforce: sf, hubspot: hs, store }),
    });
    let passes = 0;
    done = runLiveSync(
      engine,
      { salesforce: sf, store, changeEvents: sf.changeEvents() },
      {
        intervalMs: 5000,
        cdcPollIntervalMs: CDC_POLL_SECONDS * 1000,
        signal: controller.signal,
        onPass: () => void passes++,
      },
    );
    // Every pool opportunity has its deal (the first pass), and CDC is live when offered.
    for (let i = 0; ; i++) {
      const links = await store.getDealLinks(pool);
      const cdc = (await store.getCdcState('/data/ChangeEvents'))?.status;
      if (
        links.size === POOL &&
        [...links.values()].every((l) => l.dealId) &&
        (path === 'polling' || cdc === 'live')
      )
        break;
      if (i > 600) throw new Error('the pool did not sync in 60 s');
      await sleep(100);
    }
    await sleep(2000);
    log(`${path}: pool of ${POOL} synced; ${RATE} changes/s for ${SECONDS} s`);
    const restBefore = sf.requestCount();
    const routesBefore = routeCounts(sfEmu.admin.state.stats.toJSON());
    const eventsBefore = (await store.apiCalls('salesforce-events', new Date(0).toISOString())).reduce(
      (n, r) => n + r.count,
      0,
    );
    const start = performance.now();
    let seq = 0;
    const inflight: Promise<void>[] = [];
    while (performance.now() - start < SECONDS * 1000) {
      const due = start + (seq * 1000) / RATE;
      await sleep(due - performance.now());
      const oppId = pool[seq % POOL]!;
      const my = ++seq;
      inflight.push(
        sfRest.update('Opportunity', oppId, { Amount: 1_000_000 + my }).then(() => {
          const list = pending.get(oppId) ?? [];
          list.push({ seq: my, at: performance.now() });
          pending.set(oppId, list);
        }),
      );
    }
    await Promise.all(inflight);
    const measuredMs = performance.now() - start;
    const restCalls = sf.requestCount() - restBefore;
    // The connector's REST calls by route (the bench's own edits are the sobject.update ones;
    // streaming.* is CometD, not the REST allocation).
    const routesAfter = routeCounts(sfEmu.admin.state.stats.toJSON());
    const restByRoute = Object.fromEntries(
      Object.entries(routesAfter)
        .map(([route, n]) => [route, n - (routesBefore[route] ?? 0)] as const)
        .filter(([route, n]) => n > 0 && route !== 'sobject.update' && !route.startsWith('streaming.')),
    );
    // Let the last changes arrive: a polling pass at most 5 s later.
    for (let i = 0; i < 150 && [...pending.values()].some((l) => l.length > 0); i++) await sleep(100);
    const events =
      (await store.apiCalls('salesforce-events', new Date(0).toISOString())).reduce(
        (n, r) => n + r.count,
        0,
      ) - eventsBefore;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      path,
      changes: seq,
      arrived: sorted.length,
      p50Ms: pct(sorted, 50),
      p95Ms: pct(sorted, 95),
      p99Ms: pct(sorted, 99),
      maxMs: sorted.at(-1) ?? NaN,
      restCalls,
      restCallsPerHour: Math.round((restCalls * 3_600_000) / measuredMs),
      restByRoute,
      events,
    };
  } finally {
    controller.abort();
    await done;
    await store.close();
    await sfEmu.close();
    await hsEmu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const cdc = await runPath('cdc');
const polling = await runPath('polling');
const goals = {
  cdcP95UnderOneSecond: cdc.p95Ms <= 1000,
  restWithCdcAtMostTenPercent: cdc.restCallsPerHour <= 0.1 * polling.restCallsPerHour,
  nothingLost: cdc.arrived === cdc.changes && polling.arrived === polling.changes,
};
if (JSON_OUT) {
  process.stdout.write(
    JSON.stringify({
      seconds: SECONDS,
      rate: RATE,
      pool: POOL,
      cdcPollSeconds: CDC_POLL_SECONDS,
      cdc,
      polling,
      goals,
    }) + '\n',
  );
} else {
  const w = [10, 8, 8, 9, 9, 9, 9, 11, 14, 8];
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  const lines = [
    row(
      [
        'path',
        'changes',
        'arrived',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'REST calls',
        'REST calls/h',
        'events',
      ],
      w,
    ),
    ...[cdc, polling].map((r) =>
      row(
        [
          r.path,
          r.changes,
          r.arrived,
          f(r.p50Ms),
          f(r.p95Ms),
          f(r.p99Ms),
          f(r.maxMs),
          r.restCalls,
          r.restCallsPerHour,
          r.events,
        ],
        w,
      ),
    ),
    ...[cdc, polling].map(
      (r) =>
        `${r.path} REST calls by route: ${Object.entries(r.restByRoute)
          .map(([route, n]) => `${route} ${n}`)
          .join(', ')}`,
    ),
    `goals: CDC p95 <= 1 s ${goals.cdcP95UnderOneSecond ? 'met' : 'MISSED'}; REST calls with CDC <= 10 % of polling's ${goals.restWithCdcAtMostTenPercent ? 'met' : 'MISSED'} (${((100 * cdc.restCallsPerHour) / polling.restCallsPerHour).toFixed(1)} %); nothing lost ${goals.nothingLost ? 'met' : 'MISSED'}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(
    JSON.stringify({
      seconds: SECONDS,
      rate: RATE,
      pool: POOL,
      cdcPollSeconds: CDC_POLL_SECONDS,
      cdc,
      polling,
      goals,
    }) + '\n',
  );
}
process.exit(Object.values(goals).every(Boolean) ? 0 : 1);
