// `dealbridge doctor` through the real binary against both emulators, one test per documented
// exit code: 2 configuration, 3 authentication, 6 a remote API unavailable, 4 setup not current,
// 0 after `dealbridge setup`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHubspotEmulator, type HubspotEmulator } from '../../../emulators/hubspot/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/salesforce/index.js';

const bin = new URL('../../../bin/dealbridge.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'dealbridge-doctor-'));

interface Check {
  name: string;
  ok: boolean;
  problem?: string;
  fix?: string;
  detail: Record<string, unknown>;
}
interface Report {
  ok: boolean;
  exitCode: number;
  checks: Check[];
}

function run(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, HOME: dir, ...env },
      cwd: dir,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

async function doctor(env: NodeJS.ProcessEnv): Promise<{ code: number | null; report: Report; err: string }> {
  const r = await run(env, 'doctor', '--json');
  return { code: r.code, report: JSON.parse(r.out) as Report, err: r.err };
}

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('dealbridge doctor', { timeout: 180_000 }, () => {
  let sf: SalesforceEmulator;
  let hs: HubspotEmulator;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    sf = await createSalesforceEmulator({ seed: 'demo' });
    hs = await createHubspotEmulator({ seed: 'demo' });
    env = {
      DEALBRIDGE_DATABASE_URL: join(dir, 'state.db'),
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: sf.clientId,
      SALESFORCE_CLIENT_SECRET: sf.clientSecret,
      HUBSPOT_BASE_URL: hs.url,
      HUBSPOT_ACCESS_TOKEN: hs.accessToken,
    };
  });
  after(async () => {
    await sf?.close();
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a bad configuration value: exit 2, naming the key, secrets masked', async () => {
    const { code, report } = await doctor({ ...env, SALESFORCE_API_VERSION: 'sixty-two' });
    assert.equal(code, 2);
    const config = report.checks.find((c) => c.name === 'config');
    assert.equal(config?.ok, false);
    assert.match(config?.problem ?? '', /SALESFORCE_API_VERSION/);
    const text = await run({ ...env, SALESFORCE_API_VERSION: 'sixty-two' }, 'doctor');
    assert.doesNotMatch(text.out + text.err, new RegExp(sf.clientSecret));
  });

  test('a HubSpot token the portal refuses: exit 3 (authentication)', async () => {
    const { code, report } = await doctor({ ...env, HUBSPOT_ACCESS_TOKEN: 'pat-na1-not-a-real-token' });
    assert.equal(code, 3);
    assert.equal(report.checks.find((c) => c.name === 'hubspot')?.ok, false);
    assert.equal(report.checks.find((c) => c.name === 'salesforce')?.ok, true);
  });

  test('Salesforce unreachable: exit 6 (a remote API unavailable)', async () => {
    const port = await closedPort();
    const { code, report } = await doctor({ ...env, SALESFORCE_LOGIN_URL: `http://127.0.0.1:${port}` });
    assert.equal(code, 6);
    assert.equal(report.checks.find((c) => c.name === 'salesforce')?.ok, false);
  });

  test('both sides fine, setup never ran: exit 4 with the fix; after setup: exit 0', async () => {
    const before = await doctor(env);
    assert.equal(before.code, 4, JSON.stringify(before.report));
    const setup = before.report.checks.find((c) => c.name === 'setup');
    assert.equal(setup?.ok, false);
    assert.match(setup?.fix ?? '', /dealbridge setup/);
    const hubspot = before.report.checks.find((c) => c.name === 'hubspot');
    assert.equal(typeof hubspot?.detail.portalId, 'number');
    assert.equal(hubspot?.detail.companyCurrency, 'USD');
    const salesforce = before.report.checks.find((c) => c.name === 'salesforce');
    assert.equal(salesforce?.detail.apiVersion, '62.0');
    assert.match(String(salesforce?.detail.organizationId), /^00D/);

    const ran = await run(env, 'setup', '--json');
    assert.equal(ran.code, 0, ran.err);
    const afterSetup = await doctor(env);
    assert.equal(afterSetup.code, 0, JSON.stringify(afterSetup.report));
    assert.equal(afterSetup.report.ok, true);
    const store = afterSetup.report.checks.find((c) => c.name === 'store');
    assert.deepEqual(store?.detail.migrationsPending, []);
  });
});
