// One benchmark run from scratch: both emulators (child processes) loaded with the dataset, a
// fresh SQLite state under the temp folder, setup, HubSpot contacts and companies linked to their
// Salesforce ids (as HubSpot's own Salesforce integration leaves them), opportunity sync turned on
// (which sets the change cursors to Salesforce's server time), then every opportunity changed
// through Salesforce's REST API, and ONE sync pass timed and counted.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fromAppConfig } from '../../src/composition/runtime-config.js';
import { openRuntime, type Runtime } from '../../src/composition/runtime.js';
import { createRollupHook } from '../../src/engine/rollups/hook.js';
import { runSetup } from '../../src/engine/setup/run-setup.js';
import { writeSetting } from '../../src/engine/user-settings.js';
import type { PassResult } from '../../src/engine/sync/pass.js';
import type { Touched } from '../../src/engine/sync/batch.js';
import { createHubspotAdapter, type HubspotAdapter } from '../../src/hubspot/adapter.js';
import { naiveHubspot } from '../naive-hubspot.js';
import { instrument, timingRows, type Timings } from './timing.js';
import type { Dataset } from './dataset.js';
import { cpuMsOf, http, ownCpuMs, startEmulator, type EmulatorProcess } from './emulators.js';

export interface ScenarioOptions {
  name: string;
  dataset: Dataset;
  dir: string;
  /** HubSpot tier whose limits are on during the pass; false = limits off. */
  limits: false | 'professional';
  naive: boolean;
  rollups: boolean;
  log: (line: string) => void;
  /** Filled by bench/lib/sql-timing.ts when --sql-profile is on; cleared when the pass starts. */
  sql?: Timings;
}

export interface HubspotStats {
  requests: number;
  byStatus: Record<string, number>;
  routes: Record<string, Record<string, number>>;
  rateLimited: { total: number } & Record<string, number>;
}

export interface SalesforceStats {
  total: number;
  routes: Record<string, Record<string, number>>;
}

export interface ScenarioResult {
  name: string;
  opportunities: number;
  seconds: number;
  pass: Omit<PassResult, 'touched'>;
  hubspot: HubspotStats;
  salesforce: SalesforceStats;
  /** Client-side tally by method and path (object types spelled out, ids as {id}). */
  hubspotByPath: Record<string, number>;
  /** HubSpot requests (client side) made by the rollup hook, and its time. */
  rollup: { requests: number; seconds: number; batches: number };
  cpuMs: { connector: number; salesforce: number; hubspot: number };
  window: { startUs: number; endUs: number };
  /** Time inside the store and the two ports during the pass (nested calls count twice). */
  timings: { key: string; calls: number; ms: number }[];
  sql?: { key: string; calls: number; ms: number }[];
  check: { deals: number; dealsExpected: number; associations?: number };
}

const API = 'v62.0';
const UNLIMITED = 1_000_000_000;

function pathKey(method: string, path: string): string {
  const p = path
    .split('?')[0]!
    .replace(/\/\d+(?=\/|$)/g, '/{id}')
    .replace(/(\/objects\/\w+\/)(?!batch$|search$)[^/]+$/, '$1{id}');
  return `${method} ${p}`;
}

/** Wraps the transport so every logical request is tallied by path (retries inside count once). */
function tally(adapter: HubspotAdapter, into: Map<string, number>): HubspotAdapter {
  const t = adapter.transport;
  const request = t.request.bind(t);
  t.request = (method, path, body, o) => {
    const k = pathKey(method, path);
    into.set(k, (into.get(k) ?? 0) + 1);
    return request(method, path, body, o);
  };
  return adapter;
}

export async function linkHubspotRecords(
  ds: Dataset,
  sf: EmulatorProcess,
  hs: EmulatorProcess,
  token: string,
): Promise<{ opportunityIds: string[] }> {
  const doc = await http<{ records: Record<string, Record<string, unknown>[]> }>(
    'GET',
    `${sf.url}/__emulator/export`,
  );
  const contacts = (doc.records.Contact ?? []).map((c) => ({
    id: String(ds.hubspotContactIdByEmail.get(String(c.Email))),
    properties: { salesforce_contact_id: String(c.Id) },
  }));
  const companies = (doc.records.Account ?? []).map((a) => ({
    id: String(ds.hubspotCompanyIdByDomain.get(String(a.Website).replace('https://www.', ''))),
    properties: { salesforce_account_id: String(a.Id) },
  }));
  const auth = { authorization: `Bearer ${token}` };
  for (const [type, inputs] of [
    ['contacts', contacts],
    ['companies', companies],
  ] as const) {
    for (let i = 0; i < inputs.length; i += 100) {
      await http(
        'POST',
        `${hs.url}/crm/v3/objects/${type}/batch/update`,
        { inputs: inputs.slice(i, i + 100) },
        auth,
      );
    }
  }
  return { opportunityIds: (doc.records.Opportunity ?? []).map((o) => String(o.Id)) };
}

/** Changes every opportunity through Salesforce's REST API (sObject Collections, 200 per call). */
export async function touchOpportunities(
  sf: EmulatorProcess,
  ids: string[],
  note = 'Changed by the benchmark',
): Promise<void> {
  const tok = await http<{ accessToken: string; instanceUrl: string }>(
    'POST',
    `${sf.url}/__emulator/tokens`,
    {},
  );
  const auth = { authorization: `Bearer ${tok.accessToken}` };
  for (let i = 0; i < ids.length; i += 200) {
    const records = ids.slice(i, i + 200).map((id, k) => ({
      attributes: { type: 'Opportunity' },
      id,
      Description: `${note} (${i + k})`,
    }));
    const results = await http<{ success: boolean; errors: unknown[] }[]>(
      'PATCH',
      `${tok.instanceUrl}/services/data/${API}/composite/sobjects`,
      { allOrNone: true, records },
      auth,
    );
    const bad = results.filter((r) => !r.success);
    if (bad.length) throw new Error(`touching opportunities failed: ${JSON.stringify(bad[0])}`);
  }
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const { dataset: ds, log } = o;
  const sfFile = join(o.dir, `${o.name}-salesforce.json`);
  const hsFile = join(o.dir, `${o.name}-hubspot.json`);
  await writeFile(sfFile, JSON.stringify(ds.salesforce));
  await writeFile(hsFile, JSON.stringify(ds.hubspot));
  const [sf, hs] = await Promise.all([
    startEmulator('salesforce', ['--seed', 'empty', '--data', sfFile]),
    startEmulator('hubspot', ['--seed', 'empty', '--data', hsFile, '--tier', o.limits || 'professional']),
  ]);
  let rt: Runtime | undefined;
  try {
    const hsToken = String(hs.info.accessToken);
    // "Limits off" keeps HubSpot's rate-limit headers but with a burst no client reaches: with the
    // emulator's limiter disabled there are no headers at all, and the connector's pacer then
    // (rightly) assumes the Starter tier, 100 per 10 s, which would measure the pacer, not the sync.
    if (!o.limits) {
      await http('POST', `${hs.url}/__emulator/limits`, { burst: UNLIMITED, daily: UNLIMITED });
    }
    const byPath = new Map<string, number>();
    const cfg = fromAppConfig({
      databaseUrl: join(o.dir, `${o.name}.db`),
      salesforce: {
        loginUrl: sf.url,
        clientId: String(sf.info.clientId),
        clientSecret: String(sf.info.clientSecret),
        apiVersion: API.slice(1),
      },
      hubspot: { baseUrl: hs.url, accessToken: hsToken },
    });
    const timings: Timings = new Map();
    cfg.createHubspot = (c) => {
      const adapter = tally(createHubspotAdapter({ baseUrl: c.baseUrl, accessToken: c.accessToken }), byPath);
      return Promise.resolve(
        instrument(o.naive ? naiveHubspot(adapter) : adapter, 'hubspot', timings, ['usage']),
      );
    };
    const createSalesforce = cfg.createSalesforce;
    cfg.createSalesforce = async (c) =>
      instrument(await createSalesforce(c), 'salesforce', timings, ['usage']);
    const rollup = { requests: 0, seconds: 0, batches: 0 };
    let hook: ((t: Touched) => Promise<void>) | undefined;
    const runtime = await openRuntime(cfg, {
      ...(o.rollups
        ? {
            onTouched: async (touched: Touched) => {
              const hubspot = await runtime.hubspot();
              hook ??= createRollupHook({
                salesforce: await runtime.salesforce(),
                hubspot,
                store: runtime.store,
              });
              const before = hubspot.usage().requests;
              const t0 = performance.now();
              await hook(touched);
              rollup.seconds += (performance.now() - t0) / 1000;
              rollup.requests += hubspot.usage().requests - before;
              rollup.batches++;
            },
          }
        : {}),
    });
    rt = runtime;
    instrument(runtime.store, 'store', timings);

    const salesforce = await runtime.salesforce();
    const hubspot = await runtime.hubspot();
    const setup = await runSetup({ salesforce, hubspot, store: runtime.store });
    if (setup.problems.length) log(`  setup problems: ${setup.problems.join('; ')}`);
    const { opportunityIds } = await linkHubspotRecords(ds, sf, hs, hsToken);
    await writeSetting(runtime.store, 'opportunitySync', true, { salesforce });
    await touchOpportunities(sf, opportunityIds);
    const engine = await runtime.engine();

    if (o.limits) {
      // Let the rolling window drain (setup and linking used part of it), on both sides alike.
      await new Promise((resolve) => setTimeout(resolve, 10_500));
    }
    await http('DELETE', `${sf.url}/__emulator/stats`);
    await http('DELETE', `${hs.url}/__emulator/stats`);
    byPath.clear();
    timings.clear();
    o.sql?.clear();
    const cpu0 = { connector: ownCpuMs(), salesforce: cpuMsOf(sf.child.pid), hubspot: cpuMsOf(hs.child.pid) };
    log(`  ${o.name}: sync pass over ${opportunityIds.length} changed opportunities…`);
    const t0 = performance.now();
    const startUs = Number(process.hrtime.bigint() / 1000n);
    const pass = await engine.runPass();
    const seconds = (performance.now() - t0) / 1000;
    // Monotonic µs, the clock of --cpu-prof's samples: lets a profile be cut to the pass alone.
    const window = { startUs, endUs: Number(process.hrtime.bigint() / 1000n) };
    const cpuMs = {
      connector: ownCpuMs() - cpu0.connector,
      salesforce: cpuMsOf(sf.child.pid) - cpu0.salesforce,
      hubspot: cpuMsOf(hs.child.pid) - cpu0.hubspot,
    };
    const hubspotStats = await http<HubspotStats>('GET', `${hs.url}/__emulator/stats`);
    const salesforceStats = await http<SalesforceStats>('GET', `${sf.url}/__emulator/stats`);
    const counts = await http<{ deals: number; associations?: number }>('GET', `${hs.url}/__emulator/counts`);
    const { touched: _t, ...passOut } = pass;
    return {
      name: o.name,
      opportunities: opportunityIds.length,
      seconds,
      pass: passOut,
      hubspot: hubspotStats,
      salesforce: salesforceStats,
      hubspotByPath: Object.fromEntries([...byPath].sort((a, b) => b[1] - a[1])),
      rollup,
      cpuMs,
      window,
      timings: timingRows(timings),
      ...(o.sql ? { sql: timingRows(o.sql) } : {}),
      check: {
        deals: counts.deals,
        dealsExpected: opportunityIds.length,
        ...(counts.associations !== undefined ? { associations: counts.associations } : {}),
      },
    };
  } finally {
    await rt?.close().catch(() => {});
    await Promise.allSettled([sf.stop(), hs.stop()]);
  }
}
