// `npm run bench:import` (issue 5): the initial import of a sized org through the real CLI
// (`node bin/dealbridge.js import --json` as a child process, so its peak memory is its own),
// against both emulators as child processes. Default: 100,000 opportunities (≈150,000 contact
// roles, 50,000 contacts, 10,000 accounts) under the Professional tier's limit (190 / 10 s).
// Reports HubSpot calls vs DESIGN §2.7's floor, wall time vs calls ÷ 19 per second, the 429 share,
// Salesforce calls, and the connector's peak RSS. Every Salesforce contact is in HubSpot (same
// email, stage `lead`); companies are matched or created by the connector.
// Options: --opportunities N (100000) --contacts N (N/2) --accounts N (N/10) --no-limits (HubSpot
// rate limits off: the 1,000,000 run) --node-options '--max-old-space-size=N' (for the connector)
// --keep (leave the temp dir).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSetup } from '../src/engine/setup/run-setup.js';
import { createHubspotAdapter } from '../src/hubspot/index.js';
import { createSalesforceAdapter } from '../src/salesforce/index.js';
import { openStore } from '../src/store/index.js';
import { http, startEmulator } from './lib/emulators.js';

const args = process.argv.slice(2);
const num = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = num('--opportunities', 100_000);
const CONTACTS = num('--contacts', Math.round(N / 2));
const ACCOUNTS = num('--accounts', Math.round(N / 10));
const LIMITS = !args.includes('--no-limits');
const NODE_OPTIONS = args.includes('--node-options')
  ? String(args[args.indexOf('--node-options') + 1])
  : undefined;
const BIN = fileURLToPath(new URL('../bin/dealbridge.js', import.meta.url));
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

/** Peak RSS (VmHWM) of a process, polled: the kernel keeps the high-water mark for us. */
function watchPeak(pid: number): { stop(): number } {
  let peak = 0;
  const read = async () => {
    try {
      const s = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0);
      if (kb > peak) peak = kb;
    } catch {
      /* exited */
    }
  };
  const timer = setInterval(() => void read(), 250);
  return {
    stop() {
      clearInterval(timer);
      return peak / 1024;
    },
  };
}

async function salesforceEmails(url: string, token: string): Promise<string[]> {
  const emails: string[] = [];
  let next: string | undefined =
    `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Email FROM Contact')}`;
  while (next) {
    const page: { records: { Email: string }[]; nextRecordsUrl?: string } = await http(
      'GET',
      `${url}${next}`,
      undefined,
      { authorization: `Bearer ${token}` },
    );
    for (const r of page.records) emails.push(r.Email);
    next = page.nextRecordsUrl;
  }
  return emails;
}

interface Summary {
  status: string;
  processed: number;
  created: number;
  skipped: number;
  failed: number;
  rollups?: { contacts: { updated: number }; companies: { updated: number } };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dealbridge-bench-import-'));
  log(
    `org: ${N} opportunities, ${CONTACTS} contacts, ${ACCOUNTS} accounts; HubSpot limits ${LIMITS ? 'Professional (190/10 s)' : 'off'}`,
  );
  const sfEmu = await startEmulator('salesforce', ['--seed', 'empty']);
  const seeded = await http<{ records: Record<string, { live: number }> }>(
    'POST',
    `${sfEmu.url}/__emulator/seed`,
    {
      kind: 'sized',
      opportunities: N,
      contacts: CONTACTS,
      accounts: ACCOUNTS,
      maxContactRoles: 3,
      seed: 11,
    },
  );
  const roles = seeded.records.OpportunityContactRole?.live ?? NaN;
  const tokens = await http<{ accessToken: string }>('POST', `${sfEmu.url}/__emulator/tokens`, {});
  const emails = await salesforceEmails(sfEmu.url, tokens.accessToken);
  const users = (
    await http<{ records: { Email: string }[] }>(
      'GET',
      `${sfEmu.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Email FROM User')}`,
      undefined,
      { authorization: `Bearer ${tokens.accessToken}` },
    )
  ).records;
  const portalFile = join(dir, 'portal.json');
  await writeFile(
    portalFile,
    JSON.stringify({
      owners: users.map((u) => ({ email: u.Email })),
      objects: { contacts: emails.map((email) => ({ properties: { email, lifecyclestage: 'lead' } })) },
    }),
  );
  const hsEmu = await startEmulator('hubspot', [
    '--seed',
    'empty',
    '--data',
    portalFile,
    '--tier',
    'professional',
  ]);
  const hsToken = 'sandbox-token';
  log(`emulators up: ${roles} contact roles; ${emails.length} HubSpot contacts`);

  const databaseUrl = join(dir, 'state.db');
  const store = await openStore(databaseUrl);
  const sf = await createSalesforceAdapter({
    loginUrl: sfEmu.url,
    clientId: String(sfEmu.info.clientId ?? 'dealbridge-sandbox'),
    clientSecret: String(sfEmu.info.clientSecret ?? 'sandbox-secret'),
    apiVersion: '62.0',
    budgetPercent: 100,
  });
  const hs = createHubspotAdapter({ baseUrl: hsEmu.url, accessToken: hsToken });
  const setup = await runSetup({ salesforce: sf, hubspot: hs, store });
  if (!setup.ok) throw new Error(`setup: ${setup.problems.join('; ')}`);
  await store.setSetting('salesforceBudgetPercent', 100);
  sf.close();
  await store.close();
  // "Limits off" keeps the limiter on with a burst nobody reaches: with the limiter off the
  // emulator sends no X-HubSpot-RateLimit-* headers, and the connector's pacer then stays at its
  // cautious default (100 / 10 s) instead of opening up to what the portal allows.
  await http(
    'POST',
    `${hsEmu.url}/__emulator/limits`,
    LIMITS
      ? { enabled: true, resetUsage: true }
      : { enabled: true, burst: 1_000_000, daily: 1_000_000_000, resetUsage: true },
  );
  await http('DELETE', `${hsEmu.url}/__emulator/stats`);
  await http('DELETE', `${sfEmu.url}/__emulator/stats`);
  // A fresh Salesforce day: setup's and the seeding queries do not count against the import.
  await http('POST', `${sfEmu.url}/__emulator/limits`, { used: 0 });

  log('import: starting the connector');
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'import', '--json'], {
    env: {
      ...process.env,
      SALESFORCE_LOGIN_URL: sfEmu.url,
      SALESFORCE_CLIENT_ID: String(sfEmu.info.clientId ?? 'dealbridge-sandbox'),
      SALESFORCE_CLIENT_SECRET: String(sfEmu.info.clientSecret ?? 'sandbox-secret'),
      HUBSPOT_BASE_URL: hsEmu.url,
      HUBSPOT_ACCESS_TOKEN: hsToken,
      DEALBRIDGE_DATABASE_URL: databaseUrl,
      ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const peak = watchPeak(child.pid ?? 0);
  let last: Summary | undefined;
  let buf = '';
  let stderr = '';
  let lastLog = 0;
  // When the rollup phase began (seconds after the start): the deals and the rollups, timed apart.
  let rollupsAt: number | undefined;
  const loadAtStart = loadavg()[0] ?? 0;
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, i)) as Summary & { type: string; ratePerSecond: number };
      buf = buf.slice(i + 1);
      if (line.type === 'summary') last = line;
      else if ((line as { phase?: string }).phase === 'rollups' && rollupsAt === undefined) {
        rollupsAt = (performance.now() - t0) / 1000;
        log(`  deals done after ${rollupsAt.toFixed(0)} s (${line.processed} processed); rollups`);
      } else if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(
          `  ${line.processed}/${N} processed, ${line.created} created, ${Math.round(line.ratePerSecond)}/s`,
        );
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallS = (performance.now() - t0) / 1000;
  const peakMb = peak.stop();
  if (code !== 0 || !last) throw new Error(`import exited ${code}: ${stderr.slice(-2000)}`);

  const hsStats = await http<{
    requests: number;
    byStatus?: Record<string, number>;
    routes?: Record<string, Record<string, number>>;
  }>('GET', `${hsEmu.url}/__emulator/stats`);
  const sfStats = await http<{ requests?: number; total?: number }>('GET', `${sfEmu.url}/__emulator/stats`);
  const calls = hsStats.requests;
  const limited = hsStats.byStatus?.['429'] ?? 0;
  const floorTerms = {
    'deal upserts N/100': Math.ceil(N / 100),
    'association batches N/1,000': Math.ceil(N / 1000),
    'contact rollup writes contacts/100': Math.ceil(CONTACTS / 100),
    'company rollup writes companies/100': Math.ceil(ACCOUNTS / 100),
  };
  const floor = Object.values(floorTerms).reduce((a, b) => a + b, 0);
  const byRoute = Object.entries(hsStats.routes ?? {})
    .map(([k, m]) => [k, Object.values(m).reduce((a, b) => a + b, 0)] as const)
    .sort((a, b) => b[1] - a[1]);
  const ideal = calls / 19;
  const rows: [string, string, string, string][] = [
    [
      'HubSpot calls',
      String(calls),
      `floor ${floor}: ${(calls / floor).toFixed(2)}×`,
      calls / floor <= 1.2 ? 'ok' : 'MISSED (goal ≤ 1.2×)',
    ],
    ['429 responses', String(limited), `${((limited * 100) / Math.max(1, calls)).toFixed(2)} %`, ''],
    [
      'wall time',
      `${wallS.toFixed(0)} s`,
      LIMITS
        ? `calls ÷ 19/s = ${ideal.toFixed(0)} s: ${(wallS / ideal).toFixed(2)}×`
        : `${(N / wallS).toFixed(0)} opportunities/s`,
      LIMITS
        ? wallS / ideal <= 1.15
          ? 'ok'
          : 'MISSED (goal ≤ 1.15×)'
        : wallS <= 900
          ? 'ok'
          : 'MISSED (goal ≤ 15 min)',
    ],
    [
      'connector peak RSS',
      `${peakMb.toFixed(0)} MB`,
      '',
      peakMb <= (LIMITS ? 300 : 500) ? 'ok' : `MISSED (goal ≤ ${LIMITS ? 300 : 500} MB)`,
    ],
    [
      'Salesforce calls',
      String(sfStats.requests ?? sfStats.total ?? '?'),
      `floor N/2,000 = ${Math.ceil(N / 2000)} query pages`,
      '',
    ],
    [
      'phases',
      rollupsAt === undefined ? '' : `${rollupsAt.toFixed(0)} s + ${(wallS - rollupsAt).toFixed(0)} s`,
      'start-up and deals + rollups',
      '',
    ],
    ['deals created', String(last.created), `skipped ${last.skipped}, failed ${last.failed}`, last.status],
    [
      'rollups written',
      `${last.rollups?.contacts.updated ?? '?'} contacts, ${last.rollups?.companies.updated ?? '?'} companies`,
      '',
      '',
    ],
  ];
  const w = [20, 24, 44, 24];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i] ?? 10)).join('  ');
  process.stdout.write(
    `\nbench:import — ${N} opportunities (${roles} roles, ${CONTACTS} contacts, ${ACCOUNTS} accounts), limits ${LIMITS ? 'Professional' : 'off'}, load ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]?.toFixed(1)} at the end\n`,
  );
  process.stdout.write(line(['measure', 'value', 'against', 'goal']) + '\n');
  for (const r of rows) process.stdout.write(line(r) + '\n');
  process.stdout.write('\nHubSpot calls by route:\n');
  for (const [k, v] of byRoute.slice(0, 14)) process.stdout.write(`  ${String(v).padStart(7)}  ${k}\n`);
  process.stdout.write(
    JSON.stringify({
      n: N,
      roles,
      calls,
      floor,
      limited,
      wallS,
      rollupsAt,
      peakMb,
      byRoute: Object.fromEntries(byRoute),
    }) + '\n',
  );

  await hsEmu.stop();
  await sfEmu.stop();
  if (!args.includes('--keep')) await rm(dir, { recursive: true, force: true });
}

await main();
