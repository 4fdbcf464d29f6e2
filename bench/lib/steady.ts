// The look-back's cost at a steady stream of changes (issue #11): both emulators as child
// processes, every opportunity synced once, then `rate` opportunity changes per second through
// Salesforce's REST API while the engine runs a pass every `passSeconds`, with the engine's
// default windows (sync.lookbackSeconds 60, the short window and the late-commit sweep). After a
// warm-up longer than the full window plus one sweep interval, it counts the rows the change
// feeds return (opportunities and contact roles, the sweep included) against the changes made.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fromAppConfig } from '../../src/composition/runtime-config.js';
import { openRuntime, type Runtime } from '../../src/composition/runtime.js';
import { runSetup } from '../../src/engine/setup/run-setup.js';
import { writeSetting } from '../../src/engine/user-settings.js';
import type { SalesforcePort } from '../../src/engine/ports/remote.js';
import type { Dataset } from './dataset.js';
import { http, startEmulator } from './emulators.js';
import { linkHubspotRecords, touchOpportunities } from './scenario.js';

export interface SteadyOptions {
  dataset: Dataset;
  dir: string;
  ratePerSecond: number;
  passSeconds: number;
  warmupSeconds: number;
  measureSeconds: number;
  log: (line: string) => void;
}

export interface SteadyResult {
  ratePerSecond: number;
  passSeconds: number;
  lookbackSeconds: number;
  shortLookbackSeconds: number;
  lateCommitSweepMs: number;
  measureSeconds: number;
  /** Opportunity changes made while measuring. */
  changed: number;
  /** Rows the change feeds returned to the passes that started while measuring. */
  rowsRead: { opportunities: number; contactRoles: number; total: number };
  rowsPerChange: number;
  passes: number;
  /** Salesforce requests of those passes (the connector's own count). */
  salesforceRequests: number;
}

type Counted = 'opportunitiesChangedSince' | 'contactRolesChangedSince';

/** Counts the rows the two change feeds yield (the sweep reads through the same methods). */
function countRows(port: SalesforcePort, rows: Record<Counted, number>): SalesforcePort {
  const wrap = <T>(name: Counted, source: AsyncIterable<T[]>): AsyncIterable<T[]> => ({
    async *[Symbol.asyncIterator]() {
      for await (const page of source) {
        rows[name] += page.length;
        yield page;
      }
    },
  });
  const opps = port.opportunitiesChangedSince.bind(port);
  const roles = port.contactRolesChangedSince.bind(port);
  port.opportunitiesChangedSince = (c, o) => wrap('opportunitiesChangedSince', opps(c, o));
  port.contactRolesChangedSince = (c, o) => wrap('contactRolesChangedSince', roles(c, o));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function runSteady(o: SteadyOptions): Promise<SteadyResult> {
  const { dataset: ds, log } = o;
  const sfFile = join(o.dir, 'steady-salesforce.json');
  const hsFile = join(o.dir, 'steady-hubspot.json');
  await writeFile(sfFile, JSON.stringify(ds.salesforce));
  await writeFile(hsFile, JSON.stringify(ds.hubspot));
  const [sf, hs] = await Promise.all([
    startEmulator('salesforce', ['--seed', 'empty', '--data', sfFile]),
    startEmulator('hubspot', ['--seed', 'empty', '--data', hsFile, '--tier', 'professional']),
  ]);
  let rt: Runtime | undefined;
  try {
    const hsToken = String(hs.info.accessToken);
    await http('POST', `${hs.url}/__emulator/limits`, { burst: 1_000_000_000, daily: 1_000_000_000 });
    const cfg = fromAppConfig({
      databaseUrl: join(o.dir, 'steady.db'),
      salesforce: {
        loginUrl: sf.url,
        clientId: String(sf.info.clientId),
        clientSecret: String(sf.info.clientSecret),
        apiVersion: '62.0',
      },
      hubspot: { baseUrl: hs.url, accessToken: hsToken },
    });
    const rows: Record<Counted, number> = { opportunitiesChangedSince: 0, contactRolesChangedSince: 0 };
    const createSalesforce = cfg.createSalesforce;
    cfg.createSalesforce = async (c) => countRows(await createSalesforce(c), rows);
    rt = await openRuntime(cfg, {});
    const salesforce = await rt.salesforce();
    const hubspot = await rt.hubspot();
    const setup = await runSetup({ salesforce, hubspot, store: rt.store });
    if (setup.problems.length) log(`  setup problems: ${setup.problems.join('; ')}`);
    const { opportunityIds } = await linkHubspotRecords(ds, sf, hs, hsToken);
    await writeSetting(rt.store, 'opportunitySync', true, { salesforce });
    await touchOpportunities(sf, opportunityIds, 'First sync');
    const engine = await rt.engine();
    log(`  steady: first pass over ${opportunityIds.length} opportunities…`);
    await engine.runPass();

    const t0 = performance.now();
    const measureFrom = t0 + o.warmupSeconds * 1000;
    const end = measureFrom + o.measureSeconds * 1000;
    let next = 0;
    let changed = 0;
    let stop = false;
    // One REST call a second carries that second's changes (sObject Collections).
    const changer = (async () => {
      for (let s = 0; !stop; s++) {
        const ids = Array.from(
          { length: o.ratePerSecond },
          () => opportunityIds[next++ % opportunityIds.length]!,
        );
        await touchOpportunities(sf, ids, `Steady change ${s}`);
        if (performance.now() >= measureFrom && performance.now() < end) changed += ids.length;
        await sleep(t0 + (s + 1) * 1000 - performance.now());
      }
    })();
    log(
      `  steady: ${o.ratePerSecond} changes/s, a pass every ${o.passSeconds} s; ` +
        `warm-up ${o.warmupSeconds} s, then ${o.measureSeconds} s measured…`,
    );
    let passes = 0;
    const read = { opportunities: 0, contactRoles: 0 };
    let requests = 0;
    for (let p = 0; performance.now() < end; p++) {
      const measuring = performance.now() >= measureFrom;
      const before = { ...rows };
      const req0 = salesforce.requestCount();
      await engine.runPass();
      if (measuring) {
        passes++;
        read.opportunities += rows.opportunitiesChangedSince - before.opportunitiesChangedSince;
        read.contactRoles += rows.contactRolesChangedSince - before.contactRolesChangedSince;
        requests += salesforce.requestCount() - req0;
      }
      await sleep(t0 + (p + 1) * o.passSeconds * 1000 - performance.now());
    }
    stop = true;
    await changer;
    const total = read.opportunities + read.contactRoles;
    const opts = engine.options;
    return {
      ratePerSecond: o.ratePerSecond,
      passSeconds: o.passSeconds,
      lookbackSeconds: opts.lookbackSeconds,
      shortLookbackSeconds: opts.shortLookbackSeconds,
      lateCommitSweepMs: opts.lateCommitSweepMs,
      measureSeconds: o.measureSeconds,
      changed,
      rowsRead: { ...read, total },
      rowsPerChange: total / Math.max(1, changed),
      passes,
      salesforceRequests: requests,
    };
  } finally {
    await rt?.close().catch(() => {});
    await Promise.allSettled([sf.stop(), hs.stop()]);
  }
}
