// Crash safety: `node bin/dealbridge.js sync` in a child process, killed (SIGKILL) in the middle of
// its batches several times and started again, ends with exactly one HubSpot deal per opportunity.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHubspotEmulator, type HubspotEmulator } from '../../../emulators/hubspot/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import { HubspotRest } from '../testing/hubspot-rest.js';
import { SalesforceRest } from '../testing/salesforce-rest.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'bin/dealbridge.js');
const OPPORTUNITIES = 150;

describe('crash in the middle of a batch', () => {
  let sfEmu: SalesforceEmulator;
  let hsEmu: HubspotEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    sfEmu = await createSalesforceEmulator({ seed: 'empty' });
    hsEmu = await createHubspotEmulator({ seed: 'empty', rateLimits: false });
    dir = mkdtempSync(join(tmpdir(), 'dealbridge-crash-'));
    env = {
      ...process.env,
      SALESFORCE_LOGIN_URL: sfEmu.url,
      SALESFORCE_CLIENT_ID: sfEmu.clientId,
      SALESFORCE_CLIENT_SECRET: sfEmu.clientSecret,
      HUBSPOT_BASE_URL: hsEmu.url,
      HUBSPOT_ACCESS_TOKEN: hsEmu.accessToken,
      DEALBRIDGE_DATABASE_URL: join(dir, 'state.db'),
    };
  });
  after(async () => {
    await sfEmu.close();
    await hsEmu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI without blocking this process: the emulators answer from its event loop. */
  function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
  }

  test(
    'kill -9 during sync, restart: every opportunity has exactly one deal',
    { timeout: 240_000 },
    async () => {
      const hs = new HubspotRest(hsEmu.url, hsEmu.accessToken);
      await hs.call('POST', '/__emulator/owners', { email: 'integration@dealbridge-emulator.example' });
      const setup = await cli('setup', '--json');
      assert.equal(setup.code, 0, setup.err + setup.out);
      const on = await cli('settings', 'set', 'opportunitySync', 'on');
      assert.equal(on.code, 0, on.err);

      const tokens = await sfEmu.admin.issueTokens();
      const sf = new SalesforceRest(
        tokens.instanceUrl,
        async () => (await sfEmu.admin.issueTokens()).accessToken,
      );
      const contacts: string[] = [];
      for (let i = 0; i < 8; i++) {
        contacts.push(await sf.create('Contact', { LastName: `C${i}`, Email: `crash${i}@example.com` }));
        await hs.createContact(`crash${i}@example.com`);
      }
      const oppIds: string[] = [];
      for (let i = 0; i < OPPORTUNITIES; i++) {
        const id = await sf.create('Opportunity', {
          Name: `Crash ${i}`,
          StageName: 'Prospecting',
          CloseDate: '2024-11-30',
          Amount: i,
        });
        await sf.create('OpportunityContactRole', {
          OpportunityId: id,
          ContactId: contacts[i % contacts.length],
        });
        oppIds.push(id);
      }
      // Slow HubSpot down so that the kills land while batches are in flight.
      await hs.call('POST', '/__emulator/faults', {
        path: '/crm/v3/objects/deals/batch/upsert',
        delayMs: 150,
      });
      await hs.call('POST', '/__emulator/faults', { path: '/crm/v4/associations/*', delayMs: 150 });

      for (let round = 0; round < 3; round++) {
        const child = spawn(process.execPath, [bin, 'sync', '--interval', '1s'], { env, stdio: 'ignore' });
        const target = Math.min(OPPORTUNITIES - 1, (round + 1) * 40);
        const deadline = Date.now() + 60_000;
        while ((await hs.allDeals()).length < target && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
        }
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
      await hs.call('DELETE', '/__emulator/faults');

      const last = await cli('sync', '--once', '--json');
      assert.equal(last.code, 0, last.err + last.out);
      const deals = await hs.allDeals();
      const byOpp = new Map<string, number>();
      for (const d of deals) {
        const id = d.properties.salesforce_opportunity_id ?? '';
        byOpp.set(id, (byOpp.get(id) ?? 0) + 1);
      }
      assert.equal(deals.length, OPPORTUNITIES, 'one deal per opportunity, no more');
      for (const id of oppIds) assert.equal(byOpp.get(id), 1, `opportunity ${id}`);
      const sample = deals[0];
      assert.ok(sample && (await hs.associated(sample.id, 'contacts')).length === 1);

      const status = await cli('status', '--json');
      const parsed = JSON.parse(status.out) as { errors: { total: number } };
      assert.equal(parsed.errors.total, 0);
    },
  );
});
