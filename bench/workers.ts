// `npm run bench:workers` (issue 15): the throughput of an import handed to 1, 2 and 3 `dealbridge
// worker` processes (`import --queue`) on the Postgres store, HubSpot limits off, through both
// emulators as child processes. Each round has a fresh HubSpot portal (same contacts) and a fresh
// store schema over the same Salesforce org, so the rounds do the same work: every deal created.
// Reports opportunities/s, the speed-up over one worker, the 1-minute load average at the end of
// the round and the CPU seconds each kind of process used (workers, emulators), which says what
// bounds the figure on this machine.
// Options: --opportunities N (20000) --workers 1,2,3 --concurrency N (2, batches per worker)
// --batch-size N (1000) --keep-schemas.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runSetup } from '../src/engine/setup/run-setup.js';
import { createHubspotAdapter } from '../src/hubspot/index.js';
import { createSalesforceAdapter } from '../src/salesforce/index.js';
import { openStore } from '../src/store/index.js';
import { cpuMsOf, http, startEmulator } from './lib/emulators.js';
import { f1, f2, row } from './lib/table.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? String(args[i + 1]) : dflt;
};
const N = Number(opt('--opportunities', '20000'));
const WORKERS = opt('--workers', '1,2,3').split(',').map(Number);
const CONCURRENCY = Number(opt('--concurrency', '2'));
const BATCH = Number(opt('--batch-size', '1000'));
const PG = process.env.DEALBRIDGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = fileURLToPath(new URL('../bin/dealbridge.js', import.meta.url));
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

async function sql(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

function waitForLine(child: ChildProcess, match: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (match.test(buf)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
  });
}

interface Round {
  workers: number;
  seconds: number;
  rate: number;
  load1: number;
  workerCpuS: number;
  emulatorCpuS: number;
  created: number;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dealbridge-bench-workers-'));
  log(
    `org: ${N} opportunities; workers ${WORKERS.join(', ')}; ${CONCURRENCY} batches of ${BATCH} per worker; ${cpus().length} cores`,
  );
  const sfEmu = await startEmulator('salesforce', ['--seed', 'empty']);
  await http('POST', `${sfEmu.url}/__emulator/seed`, {
    kind: 'sized',
    opportunities: N,
    contacts: Math.round(N / 2),
    accounts: Math.round(N / 10),
    maxContactRoles: 3,
    seed: 11,
  });
  const { accessToken } = await http<{ accessToken: string }>('POST', `${sfEmu.url}/__emulator/tokens`, {});
  const query = async <T>(soql: string): Promise<T[]> => {
    const out: T[] = [];
    let next: string | undefined = `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`;
    while (next) {
      const page: { records: T[]; nextRecordsUrl?: string } = await http(
        'GET',
        `${sfEmu.url}${next}`,
        undefined,
        {
          authorization: `Bearer ${accessToken}`,
        },
      );
      out.push(...page.records);
      next = page.nextRecordsUrl;
    }
    return out;
  };
  const emails = (await query<{ Email: string }>('SELECT Email FROM Contact')).map((r) => r.Email);
  const users = await query<{ Email: string }>('SELECT Email FROM User');
  const portalFile = join(dir, 'portal.json');
  await writeFile(
    portalFile,
    JSON.stringify({
      owners: users.map((u) => ({ email: u.Email })),
      objects: { contacts: emails.map((email) => ({ properties: { email, lifecyclestage: 'lead' } })) },
    }),
  );
  const rounds: Round[] = [];
  const schemas: string[] = [];
  try {
    for (const count of WORKERS) {
      const hsEmu = await startEmulator('hubspot', [
        '--seed',
        'empty',
        '--data',
        portalFile,
        '--tier',
        'professional',
      ]);
      // Limits off, as bench:import does it: a burst nobody reaches (the headers still pace nobody).
      await http('POST', `${hsEmu.url}/__emulator/limits`, {
        enabled: true,
        burst: 1_000_000,
        daily: 1_000_000_000,
        resetUsage: true,
      });
      const schema = `bench_workers_${process.pid}_${count}`;
      schemas.push(schema, `${schema}_pgboss`);
      const u = new URL(PG);
      u.searchParams.set('schema', schema);
      const databaseUrl = u.toString();
      const store = await openStore(databaseUrl);
      const sf = await createSalesforceAdapter({
        loginUrl: sfEmu.url,
        clientId: String(sfEmu.info.clientId ?? 'dealbridge-sandbox'),
        clientSecret: String(sfEmu.info.clientSecret ?? 'sandbox-secret'),
        apiVersion: '62.0',
        budgetPercent: 100,
      });
      const hs = createHubspotAdapter({ baseUrl: hsEmu.url, accessToken: 'sandbox-token' });
      const setup = await runSetup({ salesforce: sf, hubspot: hs, store });
      if (!setup.ok) throw new Error(`setup: ${setup.problems.join('; ')}`);
      await store.setSetting('salesforceBudgetPercent', 100);
      sf.close();
      await store.close();
      await http('POST', `${sfEmu.url}/__emulator/limits`, { used: 0 });
      const env = {
        ...process.env,
        SALESFORCE_LOGIN_URL: sfEmu.url,
        SALESFORCE_CLIENT_ID: String(sfEmu.info.clientId ?? 'dealbridge-sandbox'),
        SALESFORCE_CLIENT_SECRET: String(sfEmu.info.clientSecret ?? 'sandbox-secret'),
        HUBSPOT_BASE_URL: hsEmu.url,
        HUBSPOT_ACCESS_TOKEN: 'sandbox-token',
        DEALBRIDGE_DATABASE_URL: databaseUrl,
        DEALBRIDGE_LOG_LEVEL: 'warn',
      };
      const workers = Array.from({ length: count }, () =>
        spawn(process.execPath, [BIN, 'worker', '--port', '0', '--concurrency', String(CONCURRENCY)], {
          env,
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      );
      await Promise.all(workers.map((w) => waitForLine(w, /taking jobs/)));
      const cpu0 = {
        w: workers.map((w) => cpuMsOf(w.pid)),
        e: cpuMsOf(sfEmu.child.pid) + cpuMsOf(hsEmu.child.pid),
      };
      log(`${count} worker(s): import --queue`);
      const t0 = performance.now();
      const imp = spawn(
        process.execPath,
        [BIN, 'import', '--queue', '--json', '--batch-size', String(BATCH)],
        {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      imp.stdout.on('data', (d: Buffer) => (out += d.toString()));
      imp.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => imp.on('close', resolve));
      const seconds = (performance.now() - t0) / 1000;
      const load1 = loadavg()[0] ?? NaN;
      const workerCpuS = workers.reduce((s, w, i) => s + (cpuMsOf(w.pid) - (cpu0.w[i] ?? 0)), 0) / 1000;
      const emulatorCpuS = (cpuMsOf(sfEmu.child.pid) + cpuMsOf(hsEmu.child.pid) - cpu0.e) / 1000;
      const summary = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { type: string; status?: string; created?: number; processed?: number })
        .find((l) => l.type === 'summary');
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(
        workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))),
      );
      await hsEmu.stop();
      if (code !== 0 || summary?.status !== 'completed')
        throw new Error(`import --queue exited ${code}: ${err.slice(-1500)} ${out.slice(-500)}`);
      const r = {
        workers: count,
        seconds,
        rate: N / seconds,
        load1,
        workerCpuS,
        emulatorCpuS,
        created: summary.created ?? 0,
      };
      rounds.push(r);
      log(`  ${f1(seconds)} s, ${Math.round(r.rate)}/s, load ${f2(load1)}, ${r.created} created`);
    }
  } finally {
    await sfEmu.stop();
    if (!args.includes('--keep-schemas'))
      for (const s of schemas) await sql(`drop schema if exists "${s}" cascade`);
    await rm(dir, { recursive: true, force: true });
  }
  const base = rounds[0]?.rate ?? NaN;
  const widths = [8, 10, 14, 9, 11, 15, 17];
  const lines = [
    row(
      ['workers', 'wall s', 'opps/s', 'speed-up', 'load avg 1m', 'worker CPU s', 'emulators CPU s'],
      widths,
    ),
    ...rounds.map((r) =>
      row(
        [
          r.workers,
          f1(r.seconds),
          Math.round(r.rate),
          `${f2(r.rate / base)}×`,
          f2(r.load1),
          f1(r.workerCpuS),
          f1(r.emulatorCpuS),
        ],
        widths,
      ),
    ),
  ];
  process.stdout.write(
    `\nbench:workers — ${N} opportunities, HubSpot limits off, ${cpus().length} cores\n${lines.join('\n')}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
