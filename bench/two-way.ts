// `npm run bench:two-way [-- --seconds 30 --rate 10 --pool 200 --json]` (issue #13): the time from
// a HubSpot user's change of a linked deal to the opportunity in Salesforce, with webhooks
// (`serve`'s POST /webhooks/hubspot, the HubSpot emulator's signed deliveries) and with the poll
// alone (webhooks off), each as `serve` runs it (startServer with its sync loop, 5-s passes, a
// SQLite store). A change is a PATCH of one deal's amount through HubSpot's API, timed from
// HubSpot's answer; it has arrived when Salesforce has answered dealbridge's collection write of
// that value or a later one of the same opportunity. Also: Salesforce REST calls per 1,000
// HubSpot changes against the floor (1,000 / 200 collection writes, plus the reads of the
// changed opportunities, one query per batch), and echo writes: deal writes dealbridge sends back
// to HubSpot for these changes (goal 0).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openRuntime } from '../src/composition/runtime.js';
import { CUSTOM_MAPPINGS_SETTING } from '../src/engine/mapping/sync-context.js';
import { withRule } from '../src/engine/mapping/rules.js';
import { connectEmulators, type EmulatorWorld } from '../src/engine/testing/emulator-world.js';
import type { Store } from '../src/store/index.js';
import { writeSetting } from '../src/engine/user-settings.js';
import { startServer } from '../src/server/serve.js';
import { row } from './lib/table.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const SECONDS = arg('seconds', 30);
const RATE = arg('rate', 10);
const POOL = arg('pool', 200);
const INTERVAL_MS = 5000;
const JSON_OUT = process.argv.includes('--json');
const SECRET = 'bench-app-client-secret';
const log = (s: string) => {
  if (!JSON_OUT) process.stderr.write(`${s}\n`);
};

interface PathResult {
  path: 'webhooks' | 'polling';
  changes: number;
  arrived: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  salesforceCalls: number;
  salesforceCallsPer1000: number;
  collectionWrites: number;
  floorPer1000: number;
  echoWrites: number;
}

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function runPath(path: 'webhooks' | 'polling'): Promise<PathResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dealbridge-two-way-'));
  let w: EmulatorWorld | undefined;
  const rt = await openRuntime({
    databaseUrl: join(dir, 'state.db'),
    salesforce: { apiVersion: '62.0', budgetPercent: 80 },
    hubspot: { baseUrl: 'http://127.0.0.1:1', accessToken: 'unused', clientSecret: SECRET },
    engine: { lookbackSeconds: 30 },
    createSalesforce: async () => w!.sf,
    createHubspot: async () => w!.hs,
  });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    w = await connectEmulators({ store: rt.store as Store });
    const { sf, hs, sfRest, hsRest } = w;
    await writeSetting(rt.store, 'opportunitySync', true, { salesforce: sf });
    const amount = withRule([], 'amount', 'two_way');
    if (!amount.ok) throw new Error(amount.reason);
    await rt.store.setSetting(CUSTOM_MAPPINGS_SETTING, amount.mappings);
    const contactId = await sfRest.create('Contact', { LastName: 'Buyer', Email: 'buyer@example.com' });
    await hsRest.createContact('buyer@example.com');
    w.later();
    const pool: string[] = [];
    for (let i = 0; i < POOL; i++) {
      const id = await sfRest.create('Opportunity', {
        Name: `Two-way ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2027-06-30',
        Amount: 1000,
      });
      await sfRest.create('OpportunityContactRole', { OpportunityId: id, ContactId: contactId });
      pool.push(id);
    }
    // Arrival: Salesforce's answer to dealbridge's collection write of a value.
    const pending = new Map<string, { seq: number; at: number }[]>();
    const latencies: number[] = [];
    let collectionWrites = 0;
    let echo = 0;
    let measuring = false;
    const update = sf.updateOpportunities.bind(sf);
    sf.updateOpportunities = async (updates) => {
      const r = await update(updates);
      if (measuring) collectionWrites += Math.ceil(updates.length / 200);
      const now = performance.now();
      for (const u of updates) {
        const seq = Number(u.fields.Amount) - 1_000_000;
        const list = pending.get(u.id);
        if (!list || !Number.isFinite(seq)) continue;
        pending.set(
          u.id,
          list.filter((p) => {
            if (p.seq > seq) return true;
            latencies.push(now - p.at);
            return false;
          }),
        );
      }
      return r;
    };
    const upsert = hs.upsertDeals.bind(hs);
    hs.upsertDeals = async (inputs) => {
      if (measuring) echo += inputs.filter((i) => pending.has(i.opportunityId)).length;
      return upsert(inputs);
    };
    server = await startServer({
      runtime: rt,
      host: '127.0.0.1',
      port: 0,
      adminToken: 'bench-admin-token-0123456789',
      sync: true,
      intervalMs: INTERVAL_MS,
    });
    // Every pool opportunity has its deal, and the process's catching-up pass is over.
    let links = await rt.store.getDealLinks(pool);
    for (let i = 0; links.size < POOL || [...links.values()].some((l) => !l.dealId); i++) {
      if (i > 1200) throw new Error('the pool did not sync in 120 s');
      await sleep(100);
      links = await rt.store.getDealLinks(pool);
    }
    await sleep(INTERVAL_MS * 2);
    if (path === 'webhooks') {
      await hsRest.call('POST', '/__emulator/webhooks', {
        clientSecret: SECRET,
        targetUrl: `${server.url}/webhooks/hubspot`,
        batchDelayMs: 50,
        pollMs: 20,
      });
      await hsRest.call('POST', '/__emulator/webhooks/subscriptions', {
        eventType: 'deal.propertyChange',
        propertyName: 'amount',
      });
    }
    const dealOf = new Map([...links.values()].map((l) => [l.opportunityId, l.dealId!]));
    log(`${path}: pool of ${POOL} synced; ${RATE} HubSpot changes/s for ${SECONDS} s`);
    const sfBefore = sf.requestCount();
    measuring = true;
    const start = performance.now();
    let seq = 0;
    const inflight: Promise<void>[] = [];
    while (performance.now() - start < SECONDS * 1000) {
      const due = start + (seq * 1000) / RATE;
      await sleep(due - performance.now());
      const oppId = pool[seq % POOL]!;
      const my = ++seq;
      inflight.push(
        hsRest
          .call('PATCH', `/crm/v3/objects/deals/${dealOf.get(oppId)}`, {
            properties: { amount: String(1_000_000 + my) },
          })
          .then(() => {
            const list = pending.get(oppId) ?? [];
            list.push({ seq: my, at: performance.now() });
            pending.set(oppId, list);
          }),
      );
    }
    await Promise.all(inflight);
    // Let the last changes arrive: the poll finds them within a pass or two.
    for (let i = 0; i < 200 && [...pending.values()].some((l) => l.length > 0); i++) await sleep(100);
    // And a pass more, to see any echo of the last ones.
    await sleep(INTERVAL_MS + 1000);
    measuring = false;
    const salesforceCalls = sf.requestCount() - sfBefore;
    const sorted = [...latencies].sort((a, b) => a - b);
    const per1000 = (x: number) => Math.round((x * 1000) / Math.max(1, seq));
    return {
      path,
      changes: seq,
      arrived: sorted.length,
      p50Ms: pct(sorted, 50),
      p95Ms: pct(sorted, 95),
      maxMs: sorted.at(-1) ?? NaN,
      salesforceCalls,
      salesforceCallsPer1000: per1000(salesforceCalls),
      collectionWrites,
      // 1,000 / 200 collection writes, and at least as many reads of the changed opportunities.
      floorPer1000: 10,
      echoWrites: echo,
    };
  } finally {
    await server?.close();
    w?.sf.close();
    await rt.close();
    await w?.sfEmu.close();
    await w?.hsEmu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const webhooks = await runPath('webhooks');
const polling = await runPath('polling');
const goals = {
  webhooksP95AtMostTwoSeconds: webhooks.p95Ms <= 2000,
  pollingP95AtMostIntervalPlusTwo: polling.p95Ms <= INTERVAL_MS + 2000,
  noEcho: webhooks.echoWrites === 0 && polling.echoWrites === 0,
  nothingLost: webhooks.arrived === webhooks.changes && polling.arrived === polling.changes,
};
const out = { seconds: SECONDS, rate: RATE, pool: POOL, intervalMs: INTERVAL_MS, webhooks, polling, goals };
if (!JSON_OUT) {
  const wd = [9, 8, 8, 8, 8, 8, 9, 12, 12, 8, 5];
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  const lines = [
    row(
      [
        'path',
        'changes',
        'arrived',
        'p50 ms',
        'p95 ms',
        'max ms',
        'SF calls',
        'SF per 1000',
        'coll. writes',
        'floor',
        'echo',
      ],
      wd,
    ),
    ...[webhooks, polling].map((r) =>
      row(
        [
          r.path,
          r.changes,
          r.arrived,
          f(r.p50Ms),
          f(r.p95Ms),
          f(r.maxMs),
          r.salesforceCalls,
          r.salesforceCallsPer1000,
          r.collectionWrites,
          r.floorPer1000,
          r.echoWrites,
        ],
        wd,
      ),
    ),
    `goals: webhooks p95 <= 2 s ${goals.webhooksP95AtMostTwoSeconds ? 'met' : 'MISSED'}; polling p95 <= interval + 2 s ${goals.pollingP95AtMostIntervalPlusTwo ? 'met' : 'MISSED'}; echo writes 0 ${goals.noEcho ? 'met' : 'MISSED'}; nothing lost ${goals.nothingLost ? 'met' : 'MISSED'}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(Object.values(goals).every(Boolean) ? 0 : 1);
