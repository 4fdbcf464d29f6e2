// Benchmark of the HubSpot emulator (issue 3, point 10):
//  1. memory of a portal with 1,000,000 deals and 2,000,000 associations — target ≤ 3 GiB RSS;
//  2. latency of 100-input batch upserts (by a unique property) over HTTP with rate limits off,
//     with that portal loaded — target ≤ 5 ms median. Median, p95, p99 over ≥ 200 requests.
// The emulator runs in a child process (seeded through its admin API), so the client's own work
// and memory do not count; RSS is read from /proc/<pid>/status.
// Every seeded record is built before timing (`materialize`), so memory and latency are those of
// a portal whose million deals are all real records; --lazy leaves them to be built on first use
// (what `/__emulator/seed` does by default: seconds instead of minutes for a million).
// Run: node --import tsx bench/hubspot-emulator.ts [--deals 1000000] [--associations 2000000] [--requests 300] [--lazy]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHubspotEmulator } from '../emulators/hubspot/index.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const MB = 1024 * 1024;
const UNIQUE = 'salesforce_opportunity_id';

async function serve(): Promise<void> {
  const emu = await createHubspotEmulator({ rateLimits: false, seed: 'empty' });
  process.stdout.write(JSON.stringify({ url: emu.url, token: emu.accessToken }) + '\n');
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** CPU time (user + system, ms) the process has used: immune to waiting for a core on a busy box. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s ticks
}

function startChild(): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        const { url, token } = JSON.parse(buf.slice(0, nl)) as { url: string; token: string };
        resolve({ child, url, token });
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
  });
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

async function main(): Promise<void> {
  const deals = arg('--deals', 1_000_000);
  const associations = arg('--associations', 2_000_000);
  const requests = Math.max(200, arg('--requests', 300));
  const contacts = arg('--contacts', Math.round(deals / 2));
  const companies = arg('--companies', Math.round(deals / 10));
  const { child, url, token } = await startChild();
  const pid = child.pid!;
  const rows: [string, string][] = [];
  try {
    const rssEmpty = rssOf(pid);
    const t0 = performance.now();
    const seed = await fetch(`${url}/__emulator/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        deals,
        contacts,
        companies,
        associations,
        uniqueProperty: UNIQUE,
        materialize: !args.includes('--lazy'),
      }),
    });
    if (!seed.ok) throw new Error(`seed failed: ${seed.status} ${await seed.text()}`);
    const counts = (await seed.json()) as Record<string, unknown>;
    const seedMs = performance.now() - t0;
    const rssSeeded = rssOf(pid);
    rows.push(['seeded', JSON.stringify(counts)]);
    rows.push([
      'seed time',
      `${(seedMs / 1000).toFixed(1)} s (${args.includes('--lazy') ? 'records built on first use' : 'every record built'})`,
    ]);
    rows.push(['RSS empty portal', `${(rssEmpty / MB).toFixed(0)} MiB`]);
    rows.push(['RSS after seed', `${(rssSeeded / MB).toFixed(0)} MiB (target ≤ 3072)`]);

    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const upsert = async (n: number): Promise<number> => {
      // 80 updates of existing deals spread over the million, 20 new ones per request.
      const inputs = Array.from({ length: 100 }, (_, k) => {
        const existing = k < 80;
        const key = existing ? `BENCH-${(n * 7919 + k * 104_729) % deals}` : `NEW-${n}-${k}`;
        const properties: Record<string, string> = { amount: String(1000 + n + k) };
        if (!existing)
          Object.assign(properties, {
            dealname: `New ${n}-${k}`,
            pipeline: 'default',
            dealstage: 'qualifiedtobuy',
          });
        return { id: key, idProperty: UNIQUE, properties };
      });
      const body = JSON.stringify({ inputs });
      const start = performance.now();
      const res = await fetch(`${url}/crm/v3/objects/deals/batch/upsert`, { method: 'POST', headers, body });
      const text = await res.text();
      const ms = performance.now() - start;
      if (res.status !== 200) throw new Error(`upsert ${n}: ${res.status} ${text.slice(0, 300)}`);
      return ms;
    };
    for (let i = 0; i < 20; i++) await upsert(1_000_000 + i); // warm-up, not counted
    const times: number[] = [];
    const cpu0 = cpuMsOf(pid);
    const wall0 = performance.now();
    for (let i = 0; i < requests; i++) times.push(await upsert(i));
    const cpuPer = (cpuMsOf(pid) - cpu0) / requests;
    const wallPer = (performance.now() - wall0) / requests;
    times.sort((a, b) => a - b);
    const rssAfter = rssOf(pid);
    rows.push(['batch upserts timed', `${requests} × 100 inputs (80 updates, 20 creates)`]);
    rows.push(['upsert median', `${quantile(times, 0.5).toFixed(2)} ms (target ≤ 5)`]);
    rows.push(['upsert p95', `${quantile(times, 0.95).toFixed(2)} ms`]);
    rows.push(['upsert p99', `${quantile(times, 0.99).toFixed(2)} ms`]);
    rows.push(['emulator CPU per upsert', `${cpuPer.toFixed(2)} ms (user+sys of the emulator process)`]);
    rows.push(['mean wall per upsert', `${wallPer.toFixed(2)} ms`]);
    rows.push(['load average', readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')]);
    rows.push(['upsert max', `${times[times.length - 1]!.toFixed(2)} ms`]);
    rows.push(['RSS after upserts', `${(rssAfter / MB).toFixed(0)} MiB`]);
  } finally {
    child.kill('SIGTERM');
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log('\nHubSpot emulator benchmark');
  console.log(`${'metric'.padEnd(w)} | value`);
  console.log(`${'-'.repeat(w)}-|-${'-'.repeat(40)}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(w)} | ${v}`);
}

if (args.includes('--serve')) await serve();
else await main();
