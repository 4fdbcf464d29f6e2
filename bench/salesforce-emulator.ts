// Benchmark of the Salesforce emulator (issue 2, point 8):
//  1. paging 100,000 opportunities through jsforce's query(autoFetch) — target ≥ 20,000 records/s;
//  2. memory of an org with 1,000,000 opportunities and ~1,500,000 contact roles — target ≤ 2 GiB RSS
//     (measured in a child process started with --expose-gc so earlier work does not count).
// Run: node --import tsx bench/salesforce-emulator.ts [--opps 100000] [--memory-opps 1000000] [--skip-memory]
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import jsforce from 'jsforce';
import { createSalesforceEmulator } from '../emulators/salesforce/index.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const MB = 1024 * 1024;

async function memoryChild(n: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const emu = await createSalesforceEmulator({ seed: { kind: 'sized', opportunities: n } });
  const seedMs = performance.now() - t0;
  gc?.();
  const t = emu.admin.state.store;
  const mem = process.memoryUsage();
  const counts = Object.fromEntries(t.allTables().map((x) => [x.def.name, x.liveCount]));
  await emu.close();
  process.stdout.write(
    JSON.stringify({ seedMs, rssBefore: before, rss: mem.rss, heapUsed: mem.heapUsed, counts }) + '\n',
  );
}

interface Ready {
  url: string;
  clientId: string;
  clientSecret: string;
  seedMs: number;
  accessToken: string;
  refreshToken: string;
}

/** CPU time (user + system) a process has used so far, from /proc (Linux; 0 elsewhere). */
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** Starts the emulator in its own process and waits for its ready line. */
function startServer(n: number): Promise<{ ready: Ready; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./salesforce-server.ts', import.meta.url)), String(n)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ ready: JSON.parse(buf.slice(0, nl)) as Ready, child });
    });
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${String(code)}`)));
  });
}

async function paging(n: number) {
  const { ready, child } = await startServer(n);
  const seedMs = ready.seedMs;
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: ready.url, clientId: ready.clientId, clientSecret: ready.clientSecret },
    instanceUrl: ready.url,
    accessToken: ready.accessToken,
    refreshToken: ready.refreshToken,
    version: '62.0',
  });
  let t0: number;
  const rows: { name: string; records: number; ms: number; clientCpuMs: number; serverCpuMs: number }[] = [];
  const queries = [
    [
      'flat fields',
      'SELECT Id, Name, StageName, Amount, CloseDate, AccountId, OwnerId, SystemModstamp FROM Opportunity',
    ],
    [
      'parent fields + contact-role subquery',
      'SELECT Id, Name, StageName, Amount, CloseDate, Account.Name, Owner.Email, (SELECT ContactId, Role, IsPrimary FROM OpportunityContactRoles) FROM Opportunity',
    ],
  ] as const;
  for (const [name, soql] of queries) {
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const srv0 = procCpuMs(child.pid!);
    const res = await conn.query(soql).execute({ autoFetch: true, maxFetch: n + 1 });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const serverCpuMs = procCpuMs(child.pid!) - srv0;
    if (res.records.length !== n) throw new Error(`${name}: fetched ${res.records.length} of ${n}`);
    rows.push({
      name,
      records: res.records.length,
      ms,
      clientCpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs,
    });
  }
  const stats = (await (await fetch(`${ready.url}/__emulator/stats`)).json()) as {
    routes: Record<string, Record<string, number>>;
  };
  child.kill('SIGTERM');
  return { seedMs, rows, pages: (stats.routes.queryMore?.['200'] ?? 0) / queries.length };
}

async function main() {
  if (args.includes('--memory-child')) return memoryChild(arg('--memory-child', 1_000_000));
  const n = arg('--opps', 100_000);
  const p = await paging(n);
  console.log(`\nSalesforce emulator benchmark (node ${process.version})\n`);
  console.log(
    `seeded ${n.toLocaleString('en')} opportunities in ${(p.seedMs / 1000).toFixed(1)} s; ${p.pages} queryMore pages per query run; emulator in its own process\n`,
  );
  // Wall-clock rate is what a user sees; on a shared machine it also measures the neighbours, so the
  // CPU-bound rate (records / CPU time of the busier of the two processes) is printed next to it.
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores\n`,
  );
  console.log(
    '| jsforce query(autoFetch) | records | wall s | records/s (wall) | client CPU s | emulator CPU s | records/s (CPU-bound) | target |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  const fmt = (x: number) => Math.round(x).toLocaleString('en');
  for (const r of p.rows) {
    const rate = r.records / (r.ms / 1000);
    const cpuRate = r.records / (Math.max(r.clientCpuMs, r.serverCpuMs) / 1000);
    console.log(
      `| ${r.name} | ${r.records.toLocaleString('en')} | ${(r.ms / 1000).toFixed(2)} | ${fmt(rate)} | ${(r.clientCpuMs / 1000).toFixed(2)} | ${(r.serverCpuMs / 1000).toFixed(2)} | ${fmt(cpuRate)} | ${rate >= 20000 ? 'ok' : 'BELOW'} ≥ 20,000 |`,
    );
  }
  if (args.includes('--skip-memory')) return;
  const m = arg('--memory-opps', 1_000_000);
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=4096',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--memory-child',
      String(m),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 16 * MB,
    },
  );
  if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    seedMs: number;
    rss: number;
    heapUsed: number;
    counts: Record<string, number>;
  };
  console.log(
    '\n| org in memory | opportunities | contact roles | accounts | contacts | seed s | heap used MiB | RSS MiB | target |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  console.log(
    `| sized seed | ${r.counts.Opportunity?.toLocaleString('en')} | ${r.counts.OpportunityContactRole?.toLocaleString('en')} | ${r.counts.Account?.toLocaleString('en')} | ${r.counts.Contact?.toLocaleString('en')} | ${(r.seedMs / 1000).toFixed(1)} | ${Math.round(r.heapUsed / MB)} | ${Math.round(r.rss / MB)} | ${r.rss <= 2048 * MB ? 'ok' : 'OVER'} ≤ 2,048 |`,
  );
}

await main();
