// `kill -9` of `dealbridge sync` (the real CLI, a child process) between receiving a change event
// and storing its outcome: HubSpot holds the deal write 3 s, the process is killed meanwhile, and
// the restarted process resumes from the stored replay id: the change arrives, once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { openStore, type Store } from '../../store/index.js';
import { writeSetting } from '../user-settings.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';

const BIN = fileURLToPath(new URL('../../../bin/dealbridge.js', import.meta.url));
let w: EmulatorWorld;
let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dealbridge-kill-'));
  const file = join(dir, 'state.db');
  const store: Store = await openStore(file);
  w = await connectEmulators({ store });
  await w.sfEmu.admin.call('POST', 'cdc/selection', { entities: ['Opportunity', 'OpportunityContactRole'] });
  await writeSetting(store, 'opportunitySync', true, { salesforce: w.sf });
  await store.close();
  w.sf.close();
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    SALESFORCE_LOGIN_URL: w.sfEmu.url,
    SALESFORCE_CLIENT_ID: w.sfEmu.clientId,
    SALESFORCE_CLIENT_SECRET: w.sfEmu.clientSecret,
    HUBSPOT_BASE_URL: w.hsEmu.url,
    HUBSPOT_ACCESS_TOKEN: w.hsEmu.accessToken,
    DEALBRIDGE_DATABASE_URL: file,
  };
});
after(async () => {
  await w.sfEmu.close();
  await w.hsEmu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `dealbridge sync --json`; resolves once it says CDC is live. */
function startSync(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'sync', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not live in 20 s: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"cdc":"live"')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`sync exited ${code}: ${out}${err.slice(-2000)}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('killed between an event and its stored outcome: after a restart, no loss and no duplicate', async () => {
  const email = 'killed@example.com';
  const contactId = await w.sfRest.create('Contact', { LastName: 'Killed', Email: email });
  await w.hsRest.createContact(email);
  let child = await startSync();
  const oppId = await w.sfRest.create('Opportunity', {
    Name: 'Killed',
    StageName: 'Prospecting',
    CloseDate: '2027-05-31',
  });
  await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  for (let i = 0; i < 100 && !(await w.hsRest.dealOf(oppId)); i++) await sleep(100);
  assert.ok(await w.hsRest.dealOf(oppId), 'the deal is there');
  // …and the create's events are stored as applied (a replay id to resume from).
  const reader = await openStore(env.DEALBRIDGE_DATABASE_URL!);
  let before: string | null | undefined;
  for (let i = 0; i < 100 && !before; i++) {
    before = (await reader.getCdcState('/data/ChangeEvents'))?.replayId;
    if (!before) await sleep(100);
  }
  await reader.close();
  assert.ok(before, 'a replay id was stored');
  // HubSpot now holds every deal write 3 s: the next event is received, its write is in flight.
  await w.hsRest.call('POST', '/__emulator/faults', { path: '/crm/v3/objects/deals/batch/*', delayMs: 3000 });
  await w.sfRest.update('Opportunity', oppId, { Amount: 4242 });
  await sleep(1000);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  await w.hsRest.call('DELETE', '/__emulator/faults');
  // The kill came before the outcome: the stored replay id is short of the update's event.
  const latest = ((await w.sfEmu.admin.call('GET', 'cdc')).body as { latestReplayId: number }).latestReplayId;
  const killed = await openStore(env.DEALBRIDGE_DATABASE_URL!);
  const stored = (await killed.getCdcState('/data/ChangeEvents'))?.replayId;
  await killed.close();
  assert.ok(
    stored !== undefined && stored !== null && Number(stored) < latest,
    `stored ${stored}, latest ${latest}`,
  );
  child = await startSync();
  try {
    let amount: unknown;
    for (let i = 0; i < 100; i++) {
      amount = (await w.hsRest.dealOf(oppId, ['amount']))?.properties.amount;
      if (amount === '4242') break;
      await sleep(100);
    }
    assert.equal(amount, '4242', 'the change arrived after the restart');
    const deals = (await w.hsRest.allDeals()).filter((d) => d.properties.salesforce_opportunity_id === oppId);
    assert.equal(deals.length, 1, 'one deal');
  } finally {
    child.kill('SIGKILL');
  }
});
