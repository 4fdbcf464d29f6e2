// `dealbridge sync --dry-run` through the real binary against both emulators: the plan as text
// and as JSON, HubSpot and the state file left as they were (only the API calls it spent are
// counted), --interval refused, and the `sync --once` that follows doing what the plan said.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHubspotEmulator, type HubspotEmulator } from '../../../emulators/hubspot/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import { HubspotRest } from '../../engine/testing/hubspot-rest.js';
import { SalesforceRest } from '../../engine/testing/salesforce-rest.js';

const bin = new URL('../../../bin/dealbridge.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'dealbridge-dry-'));

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

function exits(r: Ran, code: number, what: string): void {
  assert.equal(r.code, code, `${what}: exit ${r.code}\nstdout: ${r.out}\nstderr: ${r.err}`);
}

interface Status {
  cursors: { name: string; cursor: { modstamp: string; id: string } | null }[];
  lastPass: unknown;
  apiCallsLast24h: { salesforce: number; hubspot: number };
}

describe('sync --dry-run through the binary', { timeout: 300_000 }, () => {
  let sf: SalesforceEmulator;
  let hs: HubspotEmulator;
  let env: NodeJS.ProcessEnv;
  let sfRest: SalesforceRest;
  let hsRest: HubspotRest;

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
    const tokens = await sf.admin.issueTokens();
    sfRest = new SalesforceRest(tokens.instanceUrl, async () => (await sf.admin.issueTokens()).accessToken);
    hsRest = new HubspotRest(hs.url, hs.accessToken);
    exits(await run(env, 'setup', '--json'), 0, 'setup');
    exits(await run(env, 'settings', 'set', 'opportunitySync', 'on', '--json'), 0, 'opportunitySync on');
    exits(await run(env, 'sync', '--once', '--json'), 0, 'a first pass');
  });
  after(async () => {
    await sf?.close();
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('prints the plan, writes nothing, and the next sync --once does what it said', async () => {
    const contact = await sfRest.create('Contact', { LastName: 'Dry', Email: 'dry.run@example.com' });
    await hsRest.createContact('dry.run@example.com');
    const opp = await sfRest.create('Opportunity', {
      Name: 'Dry run deal',
      StageName: 'Prospecting',
      CloseDate: '2025-03-31',
      Amount: 4200,
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: opp, ContactId: contact });
    const status = async () => JSON.parse((await run(env, 'status', '--json')).out) as Status;
    const before = await status();
    const dealsBefore = await hsRest.allDeals();

    const text = await run(env, 'sync', '--dry-run');
    exits(text, 0, 'sync --dry-run');
    assert.match(text.out, /^Dry run: /);
    assert.match(
      text.out,
      new RegExp(`^create +${opp} "Dry run deal" new deal .*dealname: \\(none\\) → "Dry run deal"`, 'm'),
    );
    assert.match(text.out, /^A pass now would: created 1, /m);

    const json = await run(env, 'sync', '--dry-run', '--json');
    exits(json, 0, 'sync --dry-run --json');
    const report = JSON.parse(json.out) as {
      dryRun: boolean;
      plan: {
        opportunityId: string;
        action: string;
        dealId: string | null;
        changes: Record<string, unknown>;
      }[];
      summary: { created: number; updated: number; archived: number; failed: number };
    };
    assert.equal(report.dryRun, true);
    const entry = report.plan.find((e) => e.opportunityId === opp);
    assert.equal(entry?.action, 'create');
    assert.equal(entry.dealId, null);
    assert.deepEqual(entry.changes.amount, { old: null, new: '4200' });

    // Nothing written: HubSpot has no deal for it, the cursors did not move, no pass was recorded;
    // the API calls the dry runs made are counted.
    assert.equal(await hsRest.dealOf(opp), undefined);
    assert.deepEqual(await hsRest.allDeals(), dealsBefore);
    const after = await status();
    const cursors = (s: Status) => s.cursors.map((c) => [c.name, c.cursor]);
    assert.deepEqual(cursors(after), cursors(before));
    assert.deepEqual(after.lastPass, before.lastPass);
    assert.ok(after.apiCallsLast24h.hubspot > before.apiCallsLast24h.hubspot, 'its HubSpot reads counted');
    assert.ok(
      after.apiCallsLast24h.salesforce > before.apiCallsLast24h.salesforce,
      'its Salesforce reads counted',
    );

    const once = await run(env, 'sync', '--once', '--json');
    exits(once, 0, 'sync --once');
    const pass = JSON.parse(once.out) as typeof report.summary;
    assert.deepEqual(
      [pass.created, pass.updated, pass.archived, pass.failed],
      [report.summary.created, report.summary.updated, report.summary.archived, report.summary.failed],
    );
    assert.equal((await hsRest.dealOf(opp))?.properties.dealname, 'Dry run deal');
  });

  test('--dry-run is one pass: --interval is refused (exit 2); --help describes it', async () => {
    const both = await run(env, 'sync', '--dry-run', '--interval', '5s');
    exits(both, 2, 'sync --dry-run --interval 5s');
    assert.match(both.err, /--dry-run.*--interval|--interval.*--dry-run/);
    const help = await run(env, 'sync', '--help');
    exits(help, 0, 'sync --help');
    assert.match(help.out, /--dry-run +one pass that writes nothing/);
    assert.match(help.out, /no cursor moves/);
  });
});
