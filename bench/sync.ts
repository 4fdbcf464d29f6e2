// `npm run bench:sync` (issue 4): 10,000 changed opportunities (1.5 contact roles each, contacts and
// companies present in HubSpot, 1,000 accounts) through ONE incremental sync pass, against both
// emulators running as child processes (`node bin/dealbridge.js emulator …`) on this machine.
// Three runs, each from scratch (fresh emulators, fresh SQLite state under os.tmpdir()):
//   A. HubSpot rate limits off — calls per 1,000 opportunities vs DESIGN §2.7's floor, throughput;
//   B. the Professional tier's limit on (190 / 10 s) — wall time vs calls ÷ 19 per second, 429 share,
//      on a larger set (40,000 by default) so that the run is paced, not one burst;
//   C. the same load through a naive one-call-per-record HubSpot port (bench/naive-hubspot.ts),
//      limits off, on a smaller set (1,000 by default), extrapolated per 1,000 opportunities.
//   D. the look-back's cost (issue #11): a steady stream of opportunity changes (20/s by default)
//      with a pass every 5 s and the engine's default windows; Salesforce rows read by the change
//      feeds (the late-commit sweep included) per row changed, goal ≤ 2 (bench/lib/steady.ts).
// Options: --opportunities N (10000), --limited-opportunities N (40000, run B's size),
// --naive-opportunities N (1000), --seed N, --no-limited,
// --no-steady, --steady-only, --steady-rate N (20), --steady-pass-seconds N (5),
// --steady-warmup-seconds N (100), --steady-seconds N (120, measured), --steady-opportunities N (5000),
// --no-naive, --no-rollups (rollups and lifecycle stages run after every batch by default, as in
// `dealbridge serve`), --sql-profile (time per SQLite statement), --timeout-min N (30). Prints a table, then one JSON line.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataset, type Dataset } from './lib/dataset.js';
import { runScenario, type ScenarioResult } from './lib/scenario.js';
import { runSteady, type SteadyResult } from './lib/steady.js';
import { reportSteady, steadyRows } from './lib/steady-report.js';
import { f1, f2, row, status } from './lib/table.js';
import { profileSql } from './lib/sql-timing.js';
import type { Timings } from './lib/timing.js';

const args = process.argv.slice(2);
const num = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const flag = (name: string): boolean => args.includes(name);

const N = num('--opportunities', 10_000);
const NAIVE_N = num('--naive-opportunities', 1_000);
// The Professional run needs many more calls than the 190 a fresh 10 s window lets through at
// once, or it measures the burst, not the pacing: 40,000 opportunities make ~700 calls (~37 s).
const LIMITED_N = num('--limited-opportunities', 40_000);
const SEED = num('--seed', 20250101);
const ROLLUPS = !flag('--no-rollups');
const SQL: Timings | undefined = flag('--sql-profile') ? new Map() : undefined;
if (SQL) profileSql(SQL);
const PRO_PER_SECOND = 19; // 190 requests per rolling 10 s
const TIMEOUT_MIN = num('--timeout-min', 30);
const STEADY = !flag('--no-steady');
const STEADY_ONLY = flag('--steady-only');
const STEADY_RATE = num('--steady-rate', 20);
const STEADY_PASS_S = num('--steady-pass-seconds', 5);
// Longer than the full window (60 s) plus one sweep interval (30 s): the measure is the steady state.
const STEADY_WARMUP_S = num('--steady-warmup-seconds', 100);
const STEADY_S = num('--steady-seconds', 120);
// Enough that no opportunity changes twice within the window plus a sweep interval.
const STEADY_N = num('--steady-opportunities', 5000);

// Bounded: a stuck run ends with exit code 2 (emulator children are killed on exit).
setTimeout(() => {
  process.stderr.write(`bench:sync: no result after ${TIMEOUT_MIN} min, giving up\n`);
  process.exit(2);
}, TIMEOUT_MIN * 60_000).unref();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

const log = (line: string) => process.stderr.write(line + '\n');
const per1k = (calls: number, n: number) => (calls * 1000) / n;

interface Floor {
  hubspot: number;
  salesforce: number;
  terms: Record<string, number>;
}

/** DESIGN §2.7: N/100 deal upserts + N/1,000 association batches + contacts/100 + companies/100 rollup writes; N/2,000 query pages. */
function designFloor(ds: Dataset, rollups: boolean): Floor {
  const { opportunities: n, contacts, accounts } = ds.sizes;
  const terms: Record<string, number> = {
    'deal upserts (N/100)': Math.ceil(n / 100),
    'association batches (N/1,000)': Math.ceil(n / 1000),
    ...(rollups
      ? {
          'contact rollup writes (contacts/100)': Math.ceil(contacts / 100),
          'company rollup writes (companies/100)': Math.ceil(accounts / 100),
        }
      : {}),
  };
  const hubspot = Object.values(terms).reduce((a, b) => a + b, 0);
  return { hubspot, salesforce: Math.ceil(n / 2000), terms };
}

/** What batching can reach with 100-input association writes and a batch read per 100 lookups. */
function reachableFloor(ds: Dataset, rollups: boolean): number {
  const { opportunities: n, contacts, accounts, contactRoles } = ds.sizes;
  const lookups = Math.ceil(contacts / 100) + Math.ceil(accounts / 100);
  const assoc = Math.ceil(contactRoles / 100) + Math.ceil(n / 100);
  const rollupWrites = rollups ? Math.ceil(contacts / 100) + Math.ceil(accounts / 100) : 0;
  return Math.ceil(n / 100) + assoc + lookups + rollupWrites;
}

function sum(o: Record<string, Record<string, number>>): number {
  return Object.values(o).reduce((a, m) => a + Object.values(m).reduce((x, y) => x + y, 0), 0);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dealbridge-bench-sync-'));
  const started = Date.now();
  const results: Record<string, ScenarioResult> = {};
  try {
    let steady: SteadyResult | undefined;
    if (STEADY || STEADY_ONLY) {
      const steadyDs = buildDataset(STEADY_N, { seed: SEED });
      log(`Steady run: ${STEADY_RATE} changes/s over ${STEADY_N} opportunities.`);
      steady = await runSteady({
        dataset: steadyDs,
        dir,
        ratePerSecond: STEADY_RATE,
        passSeconds: STEADY_PASS_S,
        warmupSeconds: STEADY_WARMUP_S,
        measureSeconds: STEADY_S,
        log,
      });
      if (STEADY_ONLY) {
        reportSteady(steady, true);
        return;
      }
    }
    const ds = buildDataset(N, { seed: SEED });
    log(
      `Dataset: ${ds.sizes.opportunities} opportunities, ${ds.sizes.contactRoles} contact roles, ` +
        `${ds.sizes.contacts} contacts, ${ds.sizes.accounts} accounts, ${ds.sizes.users} users (seed ${SEED}); state in ${dir}`,
    );
    log('Emulators: child processes (node bin/dealbridge.js emulator salesforce|hubspot), loopback HTTP.');
    results.unlimited = await runScenario({
      name: 'unlimited',
      dataset: ds,
      dir,
      limits: false,
      naive: false,
      rollups: ROLLUPS,
      log,
      ...(SQL ? { sql: SQL } : {}),
    });
    if (!flag('--no-limited')) {
      const limitedDs = LIMITED_N === N ? ds : buildDataset(LIMITED_N, { seed: SEED });
      log(`Professional run: ${limitedDs.sizes.opportunities} opportunities (--limited-opportunities).`);
      results.professional = await runScenario({
        name: 'professional',
        dataset: limitedDs,
        dir,
        limits: 'professional',
        naive: false,
        rollups: ROLLUPS,
        log,
      });
    }
    let naiveDs: Dataset | undefined;
    if (!flag('--no-naive')) {
      naiveDs = buildDataset(NAIVE_N, { seed: SEED });
      results.naive = await runScenario({
        name: 'naive',
        dataset: naiveDs,
        dir,
        limits: false,
        naive: true,
        rollups: ROLLUPS,
        log,
      });
    }
    report(ds, naiveDs, results, Date.now() - started, steady);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function report(
  ds: Dataset,
  naiveDs: Dataset | undefined,
  r: Record<string, ScenarioResult>,
  totalMs: number,
  steady: SteadyResult | undefined,
): void {
  const a = r.unlimited!;
  const n = a.opportunities;
  const floor = designFloor(ds, ROLLUPS);
  const reachable = reachableFloor(ds, ROLLUPS);
  const hsCalls = a.hubspot.requests;
  const sfCalls = a.salesforce.total;
  const hsRatio = hsCalls / floor.hubspot;
  const sfRatio = sfCalls / floor.salesforce;
  const throughput = n / a.seconds;
  const out: string[] = [];
  const w = [46, 14, 14, 22, 8];
  out.push('');
  out.push(`bench:sync — ${n} changed opportunities, one sync pass${ROLLUPS ? ' (with rollups)' : ''}`);
  out.push(row(['metric', 'value', 'per 1,000', 'goal', 'status'], w));
  out.push(row(['-'.repeat(46), '-'.repeat(14), '-'.repeat(14), '-'.repeat(22), '------'], w));
  out.push(row(['1. HubSpot calls (limits off)', hsCalls, f1(per1k(hsCalls, n)), '', ''], w));
  out.push(row(['   DESIGN §2.7 floor, HubSpot', floor.hubspot, f1(per1k(floor.hubspot, n)), '', ''], w));
  for (const [k, v] of Object.entries(floor.terms)) out.push(row([`     ${k}`, v, '', '', ''], w));
  out.push(row(['   ratio to floor, HubSpot', f2(hsRatio), '', '≤ 1.2', status(hsRatio <= 1.2)], w));
  out.push(
    row(
      [
        '   reachable with 100-input assoc. writes',
        reachable,
        f1(per1k(reachable, n)),
        `ratio ${f2(hsCalls / reachable)}`,
        '',
      ],
      w,
    ),
  );
  out.push(row(['   Salesforce calls', sfCalls, f1(per1k(sfCalls, n)), '', ''], w));
  out.push(
    row(
      [
        '   DESIGN §2.7 floor, Salesforce (N/2,000)',
        floor.salesforce,
        f1(per1k(floor.salesforce, n)),
        '',
        '',
      ],
      w,
    ),
  );
  out.push(row(['   ratio to floor, Salesforce', f2(sfRatio), '', '≤ 1.2', status(sfRatio <= 1.2)], w));
  if (ROLLUPS) {
    const syncOnly = hsCalls - a.rollup.requests;
    const syncFloor =
      (floor.terms['deal upserts (N/100)'] ?? 0) + (floor.terms['association batches (N/1,000)'] ?? 0);
    out.push(
      row(['   of which by the rollup hook', a.rollup.requests, f1(per1k(a.rollup.requests, n)), '', ''], w),
    );
    out.push(
      row(
        [
          '   sync alone vs its floor (upserts + assoc.)',
          `${syncOnly} / ${syncFloor}`,
          f1(per1k(syncOnly, n)),
          `ratio ${f2(syncOnly / syncFloor)}`,
          '',
        ],
        w,
      ),
    );
  }
  out.push(
    row(['2. throughput, limits off (opps/s)', f1(throughput), '', '≥ 2,000', status(throughput >= 2000)], w),
  );
  out.push(row(['   pass wall time (s)', f2(a.seconds), '', '', ''], w));
  const cpuS = (a.cpuMs.connector + a.cpuMs.salesforce + a.cpuMs.hubspot) / 1000;
  out.push(
    row(
      [
        '   CPU-bound rate, N ÷ CPU s of all 3 (opps/s)',
        f1(n / cpuS),
        '',
        '≥ 2,000',
        status(n / cpuS >= 2000),
      ],
      w,
    ),
  );
  out.push(row(['   of which rollup hook (s)', f2(a.rollup.seconds), '', '', ''], w));
  out.push(
    row(
      [
        '   CPU s: connector / SF emu / HS emu',
        `${f2(a.cpuMs.connector / 1000)} / ${f2(a.cpuMs.salesforce / 1000)} / ${f2(a.cpuMs.hubspot / 1000)}`,
        '',
        '',
        '',
      ],
      w,
    ),
  );
  let limited: Record<string, unknown> | undefined;
  const p = r.professional;
  if (p) {
    const calls = p.hubspot.requests;
    const ideal = calls / PRO_PER_SECOND;
    const ratio = p.seconds / ideal;
    const share = p.hubspot.rateLimited.total / calls;
    out.push(
      row(
        ['3. Professional limit (190/10 s): HubSpot calls', calls, f1(per1k(calls, p.opportunities)), '', ''],
        w,
      ),
    );
    out.push(
      row(
        [
          '   wall time (s)',
          f2(p.seconds),
          '',
          `≤ ${f1(1.15 * ideal)} s`,
          calls <= 190 ? 'n/a' : status(ratio <= 1.15),
        ],
        w,
      ),
    );
    out.push(row(['   calls ÷ 19/s (s)', f2(ideal), '', '', ''], w));
    out.push(row(['   same pass with limits off (s), run A', f2(a.seconds), '', '', ''], w));
    out.push(
      row(
        [
          '   ratio wall ÷ (calls ÷ 19)',
          f2(ratio),
          '',
          '≤ 1.15',
          calls <= 190 ? 'n/a' : status(ratio <= 1.15),
        ],
        w,
      ),
    );
    out.push(
      row(
        [
          '4. 429 share',
          `${(share * 100).toFixed(2)} %`,
          `${p.hubspot.rateLimited.total} × 429`,
          '< 1 %',
          status(share < 0.01),
        ],
        w,
      ),
    );
    limited = {
      hubspotCalls: calls,
      seconds: p.seconds,
      idealSeconds: ideal,
      ratio,
      rateLimited: p.hubspot.rateLimited.total,
      share429: share,
      salesforceCalls: p.salesforce.total,
      pass: p.pass,
    };
  }
  let naive: Record<string, unknown> | undefined;
  const v = r.naive;
  if (v && naiveDs) {
    const nn = v.opportunities;
    const calls1k = per1k(v.hubspot.requests, nn);
    const ours1k = per1k(hsCalls, n);
    const secs1k = (v.seconds * 1000) / nn;
    const ourSecs1k = (a.seconds * 1000) / n;
    out.push(
      row(
        [`5. naive one-call-per-record (${nn} opps, limits off)`, v.hubspot.requests, f1(calls1k), '', ''],
        w,
      ),
    );
    out.push(row(['   naive ÷ ours, HubSpot calls per 1,000', f1(calls1k / ours1k), '', '', ''], w));
    out.push(row(['   naive pass time (s) / per 1,000 opps', f2(v.seconds), f2(secs1k), '', ''], w));
    out.push(row(['   naive ÷ ours, time per 1,000', f1(secs1k / ourSecs1k), '', '', ''], w));
    out.push(
      row(['   naive at 190/10 s, per 1,000 (s, lower bound)', '', f1(calls1k / PRO_PER_SECOND), '', ''], w),
    );
    naive = {
      opportunities: nn,
      hubspotCalls: v.hubspot.requests,
      hubspotCallsPer1000: calls1k,
      seconds: v.seconds,
      secondsPer1000: secs1k,
      callRatio: calls1k / ours1k,
      timeRatio: secs1k / ourSecs1k,
      extrapolated: nn !== n,
      salesforceCalls: v.salesforce.total,
      byPath: v.hubspotByPath,
    };
  }
  if (steady) out.push(...steadyRows(steady, w));
  out.push('');
  out.push('HubSpot calls by route, limits-off run (emulator stats; status → count):');
  for (const [route, m] of Object.entries(a.hubspot.routes).sort(
    (x, y) => sum({ y: y[1] }) - sum({ x: x[1] }),
  )) {
    out.push(`  ${route.padEnd(66)} ${JSON.stringify(m)}`);
  }
  out.push('HubSpot calls by path, limits-off run (client side, object types spelled out):');
  for (const [path, c] of Object.entries(a.hubspotByPath)) out.push(`  ${path.padEnd(66)} ${c}`);
  out.push(
    'Where the limits-off pass spent its time (ms inside store / port methods; nested calls count twice):',
  );
  for (const t of a.timings.slice(0, 18))
    out.push(`  ${t.key.padEnd(50)} ${String(t.ms).padStart(7)} ms  ${t.calls} calls`);
  if (a.sql) {
    out.push('SQLite time in the limits-off pass (--sql-profile; ms, statements):');
    for (const t of a.sql.slice(0, 15))
      out.push(`  ${String(t.ms).padStart(7)} ms ${String(t.calls).padStart(6)}×  ${t.key}`);
  }
  out.push('Salesforce calls by route, limits-off run:');
  for (const [route, m] of Object.entries(a.salesforce.routes))
    out.push(`  ${route.padEnd(66)} ${JSON.stringify(m)}`);
  out.push(
    `Pass outcome (limits off): created ${a.pass.created}, updated ${a.pass.updated}, unchanged ${a.pass.unchanged}, ` +
      `skipped ${a.pass.skipped}, failed ${a.pass.failed}; HubSpot holds ${a.check.deals} deals (expected ${a.check.dealsExpected})`,
  );
  out.push(
    `Machine: ${cpus().length} cores, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; whole benchmark ${(totalMs / 1000).toFixed(1)} s`,
  );
  process.stdout.write(out.join('\n') + '\n');

  const json = {
    bench: 'sync',
    opportunities: n,
    dataset: ds.sizes,
    seed: SEED,
    rollups: ROLLUPS,
    emulators: 'child processes',
    floor: { ...floor, reachableHubspot: reachable },
    unlimited: {
      hubspotCalls: hsCalls,
      hubspotPer1000: per1k(hsCalls, n),
      hubspotRatio: hsRatio,
      salesforceCalls: sfCalls,
      salesforcePer1000: per1k(sfCalls, n),
      salesforceRatio: sfRatio,
      seconds: a.seconds,
      opportunitiesPerSecond: throughput,
      opportunitiesPerCpuSecond: n / ((a.cpuMs.connector + a.cpuMs.salesforce + a.cpuMs.hubspot) / 1000),
      rollup: a.rollup,
      cpuMs: a.cpuMs,
      passWindowUs: a.window,
      timings: a.timings,
      ...(a.sql ? { sql: a.sql } : {}),
      hubspotRoutes: a.hubspot.routes,
      hubspotByPath: a.hubspotByPath,
      salesforceRoutes: a.salesforce.routes,
      pass: a.pass,
      check: a.check,
    },
    ...(limited ? { professional: limited } : {}),
    ...(naive ? { naive } : {}),
    ...(steady ? { steady } : {}),
    goals: {
      ...(steady ? { rowsPerChange: steady.rowsPerChange <= 2 } : {}),
      callsWithinFloor: hsRatio <= 1.2 && sfRatio <= 1.2,
      throughput: throughput >= 2000,
      ...(limited
        ? { wallTime: (limited.ratio as number) <= 1.15, share429: (limited.share429 as number) < 0.01 }
        : {}),
    },
  };
  process.stdout.write(JSON.stringify(json) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:sync failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
