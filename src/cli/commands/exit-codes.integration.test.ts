// Every engine command through the real binary, for each exit code README ("The CLI") documents:
// 0 ok, 1 records failed or differences found, 2 configuration, 3 authentication, 4 setup,
// 5 Salesforce API budget spent, 6 a remote API unavailable, 7 the state store unusable. One emulator pair for the file; each
// scenario gets its own SQLite state file. The state of the main store moves forward test by test
// (setup not run → setup and import → bad credentials and closed ports → a difference → a failed
// record → the budget spent), so the tests run in order. Spawns that do not depend on each other
// run side by side.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHubspotEmulator, type HubspotEmulator } from '../../../emulators/hubspot/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/salesforce/index.js';

const bin = new URL('../../../bin/dealbridge.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'dealbridge-exit-'));

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

function run(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Ran> {
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

/** Asserts the exit code, showing what the command printed when it differs. */
function exits(r: Ran, code: number, what: string): void {
  assert.equal(r.code, code, `${what}: exit ${r.code}\nstdout: ${r.out}\nstderr: ${r.err}`);
}

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function json<T>(res: Response): Promise<T> {
  assert.ok(res.ok, `${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

describe('CLI exit codes', { timeout: 600_000 }, () => {
  let sf: SalesforceEmulator;
  let hs: HubspotEmulator;
  /** Both sides reachable, the main state file. */
  let env: NodeJS.ProcessEnv;
  let closed: string;

  const hubspotApi = (method: string, path: string, body?: unknown) =>
    fetch(`${hs.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${hs.accessToken}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const salesforceApi = async (method: string, path: string, body?: unknown) => {
    const t = await sf.admin.issueTokens();
    return fetch(`${t.instanceUrl}/services/data/v62.0${path}`, {
      method,
      headers: { Authorization: `Bearer ${t.accessToken}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };
  /** A deal the import created, and its opportunity. */
  const someDeal = async () => {
    const page = await json<{ results: Array<{ id: string; properties: Record<string, string | null> }> }>(
      await hubspotApi('GET', '/crm/v3/objects/deals?limit=1&properties=salesforce_opportunity_id,amount'),
    );
    const deal = page.results[0];
    assert.ok(deal?.properties.salesforce_opportunity_id, 'the import created deals');
    return { dealId: deal.id, opportunityId: deal.properties.salesforce_opportunity_id };
  };

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
    closed = `http://127.0.0.1:${await closedPort()}`;
  });
  after(async () => {
    await sf?.close();
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a bad configuration: exit 2 from every command, naming the key', async () => {
    // An unsupported store URL, for half of the commands; a bad config-file value for the others.
    const badStore = { ...env, DEALBRIDGE_DATABASE_URL: 'mysql://dealbridge@db/dealbridge' };
    const file = join(dir, 'bad.config.json');
    writeFileSync(file, JSON.stringify({ sync: { salesforceBudgetPercent: 150 } }));
    const badFile = { ...env, DEALBRIDGE_DATABASE_URL: join(dir, 'config.db'), DEALBRIDGE_CONFIG: file };
    const cases: Array<[NodeJS.ProcessEnv, RegExp, string[]]> = [
      [badStore, /DEALBRIDGE_DATABASE_URL/, ['setup']],
      [badFile, /salesforceBudgetPercent/, ['sync', '--once']],
      [badStore, /DEALBRIDGE_DATABASE_URL/, ['import']],
      [badStore, /DEALBRIDGE_DATABASE_URL/, ['verify']],
      [badFile, /salesforceBudgetPercent/, ['status']],
      [badStore, /DEALBRIDGE_DATABASE_URL/, ['errors', 'list']],
      [badFile, /salesforceBudgetPercent/, ['errors', 'retry']],
      [badStore, /DEALBRIDGE_DATABASE_URL/, ['settings', 'get']],
      [badFile, /salesforceBudgetPercent/, ['settings', 'set', 'lifecycleStage', 'on']],
    ];
    const ran = await Promise.all(cases.map(([e, , args]) => run(e, ...args)));
    cases.forEach(([, key, args], i) => {
      exits(ran[i]!, 2, args.join(' '));
      assert.match(ran[i]!.err, /CONFIG_INVALID/, args.join(' '));
      assert.match(ran[i]!.err, key, args.join(' '));
    });
  });

  test('the state store unreachable (a closed port): exit 7, naming host and port', async () => {
    const where = closed.slice('http://'.length);
    const r = await run({ ...env, DEALBRIDGE_DATABASE_URL: `postgres://dealbridge@${where}/test` }, 'status');
    exits(r, 7, 'status');
    assert.match(r.err, /STORE_UNREACHABLE/);
    assert.ok(r.err.includes(where), r.err);
  });

  test('setup not run: sync, import, import --dry-run and verify exit 4 and say to run setup', async () => {
    const on = await run(env, 'settings', 'set', 'opportunitySync', 'on', '--json');
    exits(on, 0, 'settings set opportunitySync on');
    const cases = [['sync', '--once'], ['import'], ['import', '--dry-run'], ['verify']];
    const ran = await Promise.all(cases.map((args) => run(env, ...args)));
    cases.forEach((args, i) => {
      exits(ran[i]!, 4, args.join(' '));
      assert.match(ran[i]!.err, /SETUP_REQUIRED.*dealbridge setup/, args.join(' '));
    });
  });

  test('all good: setup, import --dry-run, import, verify, sync --once, status, errors exit 0', async () => {
    const setup = await run(env, 'setup', '--json');
    exits(setup, 0, 'setup');
    const dry = await run(env, 'import', '--dry-run', '--json');
    exits(dry, 0, 'import --dry-run');
    const preview = JSON.parse(dry.out.trim().split('\n').at(-1) ?? '') as {
      dryRun: boolean;
      create: number;
    };
    assert.equal(preview.dryRun, true);
    assert.ok(preview.create > 0, dry.out);
    const imp = await run(env, 'import', '--json');
    exits(imp, 0, 'import');
    const summary = JSON.parse(imp.out.trim().split('\n').at(-1) ?? '') as { status: string; failed: number };
    assert.equal(summary.status, 'completed');
    assert.equal(summary.failed, 0);
    exits(await run(env, 'verify', '--json'), 0, 'verify');
    exits(await run(env, 'sync', '--once', '--json'), 0, 'sync --once');
    exits(await run(env, 'status', '--json'), 0, 'status');
    const list = await run(env, 'errors', 'list', '--json');
    exits(list, 0, 'errors list');
    assert.deepEqual(JSON.parse(list.out), []);
    exits(await run(env, 'errors', 'retry', '--json'), 0, 'errors retry');
  });

  test('a token or secret the remote refuses: exit 3', async () => {
    const badHubspot = { ...env, HUBSPOT_ACCESS_TOKEN: 'pat-na1-not-a-real-token' };
    const badSalesforce = { ...env, SALESFORCE_CLIENT_SECRET: 'not-the-secret' };
    const cases: Array<[NodeJS.ProcessEnv, string[]]> = [
      [badHubspot, ['setup']],
      [badSalesforce, ['sync', '--once']],
      [badHubspot, ['import']],
      [badSalesforce, ['import', '--dry-run']],
      [badHubspot, ['verify']],
      [
        { ...badSalesforce, DEALBRIDGE_DATABASE_URL: join(dir, 'auth.db') },
        ['settings', 'set', 'opportunitySync', 'on'],
      ],
    ];
    const ran = await Promise.all(cases.map(([e, args]) => run(e, ...args)));
    cases.forEach(([, args], i) => {
      exits(ran[i]!, 3, args.join(' '));
      assert.match(ran[i]!.err, /AUTH_FAILED/, args.join(' '));
    });
  });

  test('a remote API unreachable (a closed port): exit 6', async () => {
    const noHubspot = { ...env, HUBSPOT_BASE_URL: closed };
    const noSalesforce = { ...env, SALESFORCE_LOGIN_URL: closed };
    const cases: Array<[NodeJS.ProcessEnv, string[]]> = [
      [noHubspot, ['setup']],
      [noHubspot, ['sync', '--once']],
      [noSalesforce, ['import']],
      [noHubspot, ['import', '--dry-run']],
      [noHubspot, ['verify']],
      [
        { ...noSalesforce, DEALBRIDGE_DATABASE_URL: join(dir, 'down.db') },
        ['settings', 'set', 'opportunitySync', 'on'],
      ],
    ];
    const ran = await Promise.all(cases.map(([e, args]) => run(e, ...args)));
    cases.forEach(([, args], i) => {
      exits(ran[i]!, 6, args.join(' '));
      assert.match(ran[i]!.err, /(HUBSPOT|SALESFORCE)_UNAVAILABLE/, args.join(' '));
    });
  });

  test('verify with a difference: exit 1, listing it', async () => {
    const { dealId } = await someDeal();
    await json(
      await hubspotApi('PATCH', `/crm/v3/objects/deals/${dealId}`, { properties: { amount: '1.23' } }),
    );
    const r = await run(env, 'verify', '--json');
    exits(r, 1, 'verify');
    const report = JSON.parse(r.out) as { ok: boolean; differences: Array<Record<string, unknown>> };
    assert.equal(report.ok, false);
    assert.ok(report.differences.length > 0);
  });

  test('sync --once with a failed record: exit 1; status and errors list exit 1 too, errors retry 0', async () => {
    // A stage added in Salesforce after setup, with the sync told not to provision it on HubSpot,
    // so the stage map has no HubSpot stage for it.
    exits(await run(env, 'settings', 'set', 'autoProvision', 'off'), 0, 'settings set autoProvision off');
    const { opportunityId } = await someDeal();
    const opp = await json<{ RecordTypeId: string }>(
      await salesforceApi('GET', `/sobjects/Opportunity/${opportunityId}?fields=RecordTypeId`),
    );
    const added = await sf.admin.call('POST', '/__emulator/stages', {
      label: 'Security Review',
      recordTypeIds: [opp.RecordTypeId],
      probability: 60,
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const patched = await salesforceApi('PATCH', `/sobjects/Opportunity/${opportunityId}`, {
      StageName: 'Security Review',
    });
    assert.equal(patched.status, 204, await patched.text());

    const sync = await run(env, 'sync', '--once', '--json');
    exits(sync, 1, 'sync --once');
    assert.equal((JSON.parse(sync.out) as { failed: number }).failed, 1);
    const [status, list] = await Promise.all([
      run(env, 'status', '--json'),
      run(env, 'errors', 'list', '--json'),
    ]);
    exits(status, 1, 'status');
    exits(list, 1, 'errors list');
    const errors = JSON.parse(list.out) as Array<{ code: string; recordKey: string }>;
    assert.deepEqual(
      errors.map((e) => e.code),
      ['STAGE_NOT_MAPPED'],
    );
    const retry = await run(env, 'errors', 'retry', '--json');
    exits(retry, 0, 'errors retry');
    // retry takes errors and warnings alike (the demo's unmatched owners are warnings).
    const scheduled = JSON.parse(retry.out) as { recordKeys: string[] };
    assert.ok(scheduled.recordKeys.includes(errors[0]!.recordKey), retry.out);
  });

  test('the Salesforce API budget spent: sync --once, import and import --dry-run exit 5', async () => {
    // 90 % of the daily allocation used; dealbridge's budget is 80 %.
    const limits = await sf.admin.call('GET', '/__emulator/limits');
    const { allocation } = limits.body as { allocation: number };
    const set = await sf.admin.call('POST', '/__emulator/limits', { used: Math.floor(allocation * 0.9) });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    try {
      const cases = [
        ['sync', '--once'],
        ['import', '--restart'],
        ['import', '--dry-run'],
      ];
      const ran = await Promise.all(cases.map((args) => run(env, ...args)));
      cases.forEach((args, i) => {
        exits(ran[i]!, 5, args.join(' '));
        assert.match(ran[i]!.err + ran[i]!.out, /SALESFORCE_LIMIT_REACHED/, args.join(' '));
      });
    } finally {
      await sf.admin.call('POST', '/__emulator/limits', { used: 0 });
    }
  });
});
