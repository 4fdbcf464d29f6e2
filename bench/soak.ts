// `npm run soak -- --minutes N` (issue #17 §1): both emulators (child processes), the connector as
// the user runs it (`node bin/dealbridge.js sync`, its default loop, in a child process) on a fresh
// SQLite state folder (or `--store postgres`: a fresh schema in postgres://…/test), setup, sync on;
// then N minutes of load (bench/lib/soak-load.ts, ~20 changes/s) under overlapping faults
// (bench/lib/soak-faults.ts), SIGKILLs of the connector at random moments (20 in 10 minutes, scaled
// for shorter runs) and one restart on a state file copied while the process ran; then the faults
// stop, and `dealbridge verify --json` (the real CLI) is run until it finds no difference.
// Prints a table and one JSON line; exits 1 when a goal is missed (docs/soak.md).
// Options: --minutes N (10; fractions allowed), --seed S, --store sqlite|postgres,
// --rate N (changes per second, 20), --converge-minutes N (how long to wait after, 10).
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from './lib/dataset.js';
import { http, startEmulator } from './lib/emulators.js';
import { cli, SyncProcess } from './lib/connector.js';
import { SoakFaults } from './lib/soak-faults.js';
import { SoakLoad } from './lib/soak-load.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const MINUTES = Number(opt('--minutes') ?? 10);
const SEED = Number(opt('--seed') ?? Date.now() % 1_000_000);
const STORE = opt('--store') ?? 'sqlite';
const RATE = Number(opt('--rate') ?? 20);
const CONVERGE_MIN = Number(opt('--converge-minutes') ?? 10);
// --keep: leave the state folder (and, when verify still differs, the HubSpot side of each record it
// names, in diagnose.json) for reading afterwards.
const KEEP = args.includes('--keep');
if (!(MINUTES > 0) || !['sqlite', 'postgres'].includes(STORE) || !(RATE > 0)) {
  process.stderr.write(
    'usage: npm run soak -- [--minutes N] [--seed S] [--store sqlite|postgres] [--rate N] [--keep]\n',
  );
  process.exit(2);
}
const ALLOCATION = 5_000_000;
const GOAL_429_SHARE = 0.01;

const log = (line: string) => process.stderr.write(`soak: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface VerifyJson {
  ok: boolean;
  checked: Record<string, number>;
  counts: Record<string, number>;
  differences: { record: string; check: string; message: string }[];
}

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'dealbridge-soak-'));
  const random = prng(SEED);
  const loadMs = MINUTES * 60_000;
  log(`seed ${SEED}, ${MINUTES} min of load at ${RATE} changes/s, store ${STORE}, state in ${dir}`);
  const sfEmu = await startEmulator('salesforce', ['--seed', 'empty']);
  const hsEmu = await startEmulator('hubspot', ['--seed', 'empty', '--tier', 'professional']);
  const schema = `soak_${SEED}_${process.pid}`;
  const dbUrl =
    STORE === 'postgres' ? `postgres://postgres@127.0.0.1:5432/test?schema=${schema}` : join(dir, 'state.db');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SALESFORCE_LOGIN_URL: sfEmu.url,
    SALESFORCE_CLIENT_ID: String(sfEmu.info.clientId),
    SALESFORCE_CLIENT_SECRET: String(sfEmu.info.clientSecret),
    HUBSPOT_BASE_URL: hsEmu.url,
    HUBSPOT_ACCESS_TOKEN: String(hsEmu.info.accessToken),
    DEALBRIDGE_DATABASE_URL: dbUrl,
  };
  const sync = new SyncProcess(env);
  const faults = new SoakFaults(sfEmu.url, hsEmu.url, ALLOCATION);
  try {
    await http('POST', `${sfEmu.url}/__emulator/limits`, { allocation: ALLOCATION, used: 0 });
    await http('POST', `${hsEmu.url}/__emulator/owners`, {
      email: 'integration@dealbridge-emulator.example',
    });
    const load = new SoakLoad({
      salesforceUrl: sfEmu.url,
      hubspotUrl: hsEmu.url,
      hubspotToken: String(hsEmu.info.accessToken),
      seed: SEED,
    });
    await load.prepare(20, 60, 0.8);
    for (const step of [
      ['setup', '--json'],
      ['settings', 'set', 'opportunitySync', 'on'],
    ]) {
      const r = await cli(env, step);
      if (r.code !== 0) throw new Error(`dealbridge ${step.join(' ')}: exit ${r.code}: ${r.err}${r.out}`);
    }
    await http('DELETE', `${hsEmu.url}/__emulator/stats`);
    sync.start();

    // The schedule: kills at random moments, one state copy and the restart on it (SQLite).
    const kills = Math.max(2, Math.round((20 * MINUTES) / 10));
    const at = (lo: number, hi: number) => loadMs * (lo + random() * (hi - lo));
    const killTimes = Array.from({ length: kills }, () => at(0.05, 0.95)).sort((a, b) => a - b);
    const copyAt = at(0.2, 0.4);
    const restoreAt = copyAt + loadMs * 0.15;
    const outageMs = Math.min(60_000, loadMs / 4);
    await faults.start({
      loadMs,
      batchOutageAt: at(0.3, 0.5),
      allocationSpentAt: at(0.55, 0.7),
      outageMs,
      tokenExpiryEveryMs: Math.min(120_000, loadMs / 3),
    });
    const stopLoad = new AbortController();
    const started = Date.now();
    const loadDone = load.run(RATE, stopLoad.signal);
    const events: { t: number; run: () => Promise<void> }[] = [
      ...killTimes.map((t) => ({
        t,
        run: async () => {
          await sync.kill();
          sync.start();
        },
      })),
    ];
    const stateFiles = ['state.db', 'state.db-wal', 'state.db-shm'];
    const copyDir = join(dir, 'copy');
    let restoredFromCopy = false;
    if (STORE === 'sqlite') {
      events.push({
        t: copyAt,
        run: async () => {
          await rm(copyDir, { recursive: true, force: true });
          await import('node:fs/promises').then((fs) => fs.mkdir(copyDir));
          // Frozen while copied: what a filesystem snapshot (a crash-consistent backup) holds.
          await sync.frozen(async () => {
            for (const f of stateFiles) {
              if (await exists(join(dir, f))) await copyFile(join(dir, f), join(copyDir, f));
            }
          });
          log('state copied while the connector ran');
        },
      });
      events.push({
        t: restoreAt,
        run: async () => {
          await sync.kill();
          for (const f of stateFiles) {
            await rm(join(dir, f), { force: true });
            if (await exists(join(copyDir, f))) await copyFile(join(copyDir, f), join(dir, f));
          }
          sync.start();
          restoredFromCopy = true;
          log('restarted on the copied state');
        },
      });
    }
    events.sort((a, b) => a.t - b.t);
    for (const e of events) {
      const wait = started + e.t - Date.now();
      if (wait > 0) await sleep(wait);
      await e.run();
    }
    const rest = started + loadMs - Date.now();
    if (rest > 0) await sleep(rest);
    stopLoad.abort();
    await loadDone;
    await faults.stop();
    const faultsStoppedAt = Date.now();
    log(
      `load and faults stopped after ${((faultsStoppedAt - started) / 1000).toFixed(0)} s; waiting for convergence`,
    );

    // Convergence: the connector keeps running; `verify --json` until it finds nothing.
    let report: VerifyJson | undefined;
    let convergedMs: number | undefined;
    const deadline = faultsStoppedAt + CONVERGE_MIN * 60_000;
    for (;;) {
      const r = await cli(env, ['verify', '--json']);
      try {
        report = JSON.parse(r.out) as VerifyJson;
      } catch {
        report = undefined;
      }
      if (r.code === 0 && report?.ok) {
        convergedMs = Date.now() - faultsStoppedAt;
        break;
      }
      if (Date.now() > deadline) break;
      log(`verify: ${report ? JSON.stringify(report.counts) : `exit ${r.code} ${r.err.slice(0, 300)}`}`);
      await sleep(10_000);
    }
    await sync.stop();
    if (KEEP && report && !report.ok) await diagnose(dir, hsEmu.url, String(hsEmu.info.accessToken), report);
    const stats = await http<{ requests: number; byStatus: Record<string, number> }>(
      'GET',
      `${hsEmu.url}/__emulator/stats`,
    );
    const deals = await allDeals(hsEmu.url, String(hsEmu.info.accessToken));
    const perOpp = new Map<string, number>();
    for (const d of deals) {
      const id = d.properties.salesforce_opportunity_id;
      if (id) perOpp.set(id, (perOpp.get(id) ?? 0) + 1);
    }
    const duplicates = [...perOpp.values()].filter((n) => n > 1).length;
    const drift = report ? Object.values(report.counts).reduce((a, b) => a + b, 0) : NaN;
    const lostRecords = new Set(
      (report?.differences ?? []).filter((d) => d.record.startsWith('opportunity:')).map((d) => d.record),
    ).size;
    const requests = stats.requests - load.hubspotRequests;
    const r429 = (stats.byStatus['429'] ?? 0) - load.hubspot429;
    const share429 = requests > 0 ? r429 / requests : 0;
    const made = load.totalMade();
    const result = {
      seed: SEED,
      store: STORE,
      minutes: MINUTES,
      changesMade: made,
      changesByKind: Object.fromEntries(load.made),
      changesGivenUp: load.failed,
      changesSynced: convergedMs !== undefined ? made : null,
      lost: report ? lostRecords : null,
      verifyDifferences: report?.counts ?? null,
      duplicateDeals: duplicates,
      errorCodes: Object.fromEntries(sync.errorCodes),
      hubspotRequests: requests,
      hubspot429: r429,
      hubspot429Share: share429,
      kills: sync.kills,
      restoredFromCopy,
      unexpectedExits: sync.unexpectedExits.length,
      convergeSeconds: convergedMs !== undefined ? convergedMs / 1000 : null,
      opportunities: load.opportunityIds.length,
      deals: deals.length,
      faults: faults.log,
    };
    const goals: [string, string, string, boolean][] = [
      ['verify differences', String(Number.isNaN(drift) ? 'n/a' : drift), '0', drift === 0],
      ['lost (opportunities verify lists)', String(result.lost ?? 'n/a'), '0', result.lost === 0],
      ['duplicate deals', String(duplicates), '0', duplicates === 0],
      [
        '429 share of HubSpot requests',
        `${(share429 * 100).toFixed(2)} %`,
        '< 1 %',
        share429 < GOAL_429_SHARE,
      ],
      [
        'time to converge after the faults',
        convergedMs !== undefined ? `${(convergedMs / 1000).toFixed(0)} s` : 'not converged',
        `< ${CONVERGE_MIN} min`,
        convergedMs !== undefined,
      ],
      [
        'connector exits the soak did not cause',
        String(sync.unexpectedExits.length),
        '0',
        sync.unexpectedExits.length === 0,
      ],
    ];
    const w = [40, 16, 12, 6];
    const row = (c: string[]) => c.map((x, i) => x.padEnd(w[i] ?? 10)).join('  ');
    const out: string[] = ['', `soak — ${MINUTES} min, ${STORE}, seed ${SEED}`];
    out.push(row(['measure', 'value', 'goal', 'status']));
    out.push(row(['-'.repeat(40), '-'.repeat(16), '-'.repeat(12), '------']));
    out.push(row(['changes made (Salesforce, HubSpot contacts)', String(made), '', '']));
    out.push(row(['changes synced', String(result.changesSynced ?? 'n/a'), '', '']));
    out.push(
      row(['SIGKILLs / restart on copied state', `${sync.kills} / ${restoredFromCopy ? 1 : 0}`, '', '']),
    );
    out.push(row(['HubSpot requests (connector)', String(requests), '', '']));
    for (const [name, value, goal, ok] of goals) out.push(row([name, value, goal, ok ? 'ok' : 'MISSED']));
    out.push(
      row([
        'error codes seen',
        Object.entries(result.errorCodes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none',
        '',
        '',
      ]),
    );
    for (const u of sync.unexpectedExits)
      out.push(`  exit ${u.code ?? u.signal}: ${u.stderr.trim().slice(-500)}`);
    for (const d of (report?.differences ?? []).slice(0, 10))
      out.push(`  ${d.check} ${d.record}: ${d.message}`);
    process.stdout.write(out.join('\n') + '\n');
    process.stdout.write(JSON.stringify(result) + '\n');
    return goals.every(([, , , ok]) => ok) ? 0 : 1;
  } finally {
    await sync.stop().catch(() => undefined);
    await sfEmu.stop();
    await hsEmu.stop();
    if (KEEP) log(`state kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

// The HubSpot side of each record verify still names (`opportunity:`, `contact:`, `account:` with
// a Salesforce id), found by the id dealbridge writes into it, with its deal associations.
async function diagnose(dir: string, url: string, token: string, report: VerifyJson): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const where: Record<string, [string, string]> = {
    opportunity: ['deals', 'salesforce_opportunity_id'],
    contact: ['contacts', 'salesforce_contact_id'],
    account: ['companies', 'salesforce_account_id'],
  };
  const out: Record<string, unknown> = { differences: report.differences };
  for (const d of report.differences) {
    const [kind, id] = d.record.split(':');
    const w = kind ? where[kind] : undefined;
    if (!w || !id || out[d.record]) continue;
    const [type, property] = w;
    const found = await http<{ results: { id: string }[] }>(
      'POST',
      `${url}/crm/v3/objects/${type}/search`,
      { filterGroups: [{ filters: [{ propertyName: property, operator: 'EQ', value: id }] }], limit: 10 },
      auth,
    ).catch((e: unknown) => ({ results: [], error: String(e) }));
    out[d.record] = await Promise.all(
      found.results.map((r) =>
        http(
          'GET',
          `${url}/crm/v3/objects/${type}/${r.id}?associations=deals,contacts,companies`,
          undefined,
          auth,
        ),
      ),
    );
  }
  await writeFile(join(dir, 'diagnose.json'), JSON.stringify(out, null, 2));
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function allDeals(
  url: string,
  token: string,
): Promise<{ properties: Record<string, string | null> }[]> {
  const out: { properties: Record<string, string | null> }[] = [];
  let after: string | undefined;
  do {
    const q = `limit=100&properties=salesforce_opportunity_id${after ? `&after=${after}` : ''}`;
    const page = await http<{
      results: { properties: Record<string, string | null> }[];
      paging?: { next?: { after: string } };
    }>('GET', `${url}/crm/v3/objects/deals?${q}`, undefined, { authorization: `Bearer ${token}` });
    out.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return out;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
