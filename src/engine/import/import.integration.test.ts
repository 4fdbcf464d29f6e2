// End to end through both emulators with the real adapters and a SQLite file: the CLI's import and
// verify on the demo org, an import killed halfway and resumed, an import next to the sync while
// opportunities change, rollups after role removal and deletion, multi-currency with dated rates.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Big from 'big.js';
import type { HubspotEmulator } from '../../../emulators/hubspot/index.js';
import type { SeedRequest } from '../../../emulators/salesforce/routes/admin.js';
import type { SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import type { HubspotAdapter } from '../../hubspot/index.js';
import type { SalesforceAdapter } from '../../salesforce/index.js';
import { openStore, type Store } from '../../store/index.js';
import { listerFor, runVerify, type VerifyReport } from '../../verify/index.js';
import { createRollupHook } from '../rollups/hook.js';
import { defaultRollupPropertyNames } from '../rollups/index.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from '../sync/pass.js';
import type { HubspotRest } from '../testing/hubspot-rest.js';
import type { SalesforceRest } from '../testing/salesforce-rest.js';
import { connectEmulators } from '../testing/emulator-world.js';
import { runImport } from './run.js';

const BIN = fileURLToPath(new URL('../../../bin/dealbridge.js', import.meta.url));

interface World {
  sfEmu: SalesforceEmulator;
  hsEmu: HubspotEmulator;
  sf: SalesforceAdapter;
  hs: HubspotAdapter;
  store: Store;
  sfRest: SalesforceRest;
  hsRest: HubspotRest;
  env: NodeJS.ProcessEnv;
  deps: { salesforce: SalesforceAdapter; hubspot: HubspotAdapter; store: Store };
  close(): Promise<void>;
}

async function world(sfSeed: SeedRequest, hsSeed: 'demo' | 'empty'): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'dealbridge-import-'));
  const databaseUrl = join(dir, 'state.db');
  const store = await openStore(databaseUrl);
  const { sfEmu, hsEmu, sf, hs, sfRest, hsRest } = await connectEmulators({
    store,
    salesforceSeed: sfSeed,
    hubspotSeed: hsSeed,
    ownerEmail: 'integration@dealbridge-emulator.example',
  });
  return {
    sfEmu,
    hsEmu,
    sf,
    hs,
    store,
    hsRest,
    sfRest,
    env: {
      ...process.env,
      SALESFORCE_LOGIN_URL: sfEmu.url,
      SALESFORCE_CLIENT_ID: sfEmu.clientId,
      SALESFORCE_CLIENT_SECRET: sfEmu.clientSecret,
      HUBSPOT_BASE_URL: hsEmu.url,
      HUBSPOT_ACCESS_TOKEN: hsEmu.accessToken,
      DEALBRIDGE_DATABASE_URL: databaseUrl,
    },
    deps: { salesforce: sf, hubspot: hs, store },
    async close() {
      sf.close();
      await store.close();
      await sfEmu.close();
      await hsEmu.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the real binary; `onLine` may kill it. */
function cli(
  w: World,
  args: string[],
  onLine?: (line: string, kill: () => void) => void,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: w.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        onLine?.(line, () => child.kill('SIGKILL'));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const jsonLines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function verify(w: World): Promise<VerifyReport> {
  const list = listerFor(w.hs);
  return runVerify(
    { salesforce: w.sf, hubspot: w.hs, list },
    { rule: 'created', lifecycle: true, names: defaultRollupPropertyNames },
  );
}

async function assertUniqueDeals(w: World): Promise<number> {
  const deals = await w.hsRest.allDeals();
  const ids = deals.map((d) => d.properties.salesforce_opportunity_id).filter(Boolean);
  assert.equal(new Set(ids).size, ids.length, 'one deal per opportunity');
  return ids.length;
}

/** HubSpot contacts for every Salesforce contact of a sized org (batch create, 100 per call). */
async function mirrorContacts(w: World): Promise<void> {
  const contacts = await w.sfRest.query<{ Email: string }>('SELECT Email FROM Contact');
  for (let i = 0; i < contacts.length; i += 100) {
    await w.hsRest.call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: contacts
        .slice(i, i + 100)
        .map((c) => ({ properties: { email: c.Email, lifecyclestage: 'lead' } })),
    });
  }
}

describe('import through both emulators', () => {
  const worlds: World[] = [];
  after(async () => {
    for (const w of worlds) await w.close();
  });

  test('demo org: CLI import, verify clean, a second import creates nothing, a wrong value is caught', async () => {
    const w = await world({ kind: 'demo' }, 'demo');
    worlds.push(w);
    const dry = jsonLines((await cli(w, ['import', '--dry-run', '--json'])).stdout).at(-1);
    assert.equal(dry?.dryRun, true);
    assert.equal((await w.hsRest.allDeals()).length, 0, 'a dry run writes nothing');
    const first = await cli(w, ['import', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const summary = jsonLines(first.stdout).at(-1);
    assert.equal(summary?.type, 'summary');
    assert.equal(summary?.status, 'completed');
    assert.ok(Number(summary?.created) > 100);
    assert.equal(summary?.created, dry?.create, 'the preview predicted the creates');
    // The adapter counts the org first: progress has a total and an ETA.
    assert.equal(summary?.total, summary?.processed, "the total is the org's opportunity count");
    const progress = jsonLines(first.stdout).filter((l) => l.type === 'progress');
    assert.ok(progress.length > 0 && progress.every((l) => l.total === summary?.total));
    assert.ok(progress.some((l) => typeof l.etaSeconds === 'number'));
    assert.equal(summary?.skipped, dry?.skip);
    assert.equal(await assertUniqueDeals(w), summary?.created);

    const v = await cli(w, ['verify']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /no differences/);

    const again = (await runImport(w.deps)).run;
    assert.equal(again.created, 0);
    assert.equal(again.updated, 0);
    assert.equal(again.unchanged, summary?.created);

    // Wrong values written straight into HubSpot: a contact's revenue and a deal's amount.
    const status = jsonLines((await cli(w, ['import', 'status', '--json'])).stdout)[0] as {
      runs: { status: string }[];
    };
    assert.deepEqual(
      status.runs.map((r) => r.status),
      ['completed', 'completed', 'dry-run'],
    );
    const contacts = (await w.hsRest.call(
      'GET',
      '/crm/v3/objects/contacts?limit=100&properties=salesforce_total_revenue,salesforce_contact_id',
    )) as { results: { id: string; properties: Record<string, string | null> }[] };
    const victim = contacts.results.find((c) => c.properties.salesforce_total_revenue);
    assert.ok(victim);
    await w.hsRest.call('PATCH', `/crm/v3/objects/contacts/${victim.id}`, {
      properties: { salesforce_total_revenue: '1.23' },
    });
    const [deal] = await w.hsRest.allDeals();
    assert.ok(deal);
    await w.hsRest.call('PATCH', `/crm/v3/objects/deals/${deal.id}`, { properties: { amount: '0.01' } });
    const bad = await cli(w, ['verify', '--json']);
    assert.equal(bad.code, 1);
    const report = JSON.parse(bad.stdout) as VerifyReport;
    assert.equal(report.ok, false);
    assert.deepEqual(report.differences.map((d) => [d.check, d.field, d.hubspotId, d.actual]).sort(), [
      ['deal_field', 'amount', deal.id, '0.01'],
      ['rollup', 'salesforce_total_revenue', victim.id, '1.23'],
    ]);
  });

  test('an import killed halfway resumes after its checkpoint and creates no duplicates', async () => {
    const w = await world(
      { kind: 'sized', opportunities: 800, accounts: 40, contacts: 200, seed: 7 },
      'empty',
    );
    worlds.push(w);
    await mirrorContacts(w);
    let killedAt = 0;
    const killed = await cli(w, ['import', '--json', '--batch-size', '100'], (line, kill) => {
      const p = JSON.parse(line) as { type: string; processed: number };
      if (p.type === 'progress' && p.processed > 0 && killedAt === 0) {
        killedAt = p.processed;
        kill();
      }
    });
    assert.equal(killed.signal, 'SIGKILL', killed.stdout + killed.stderr);
    const [run] = await w.store.listImportRuns(1);
    assert.equal(run?.status, 'running');
    assert.ok(run?.checkpointId && run.processed < 800, JSON.stringify(run));

    const resumed = await cli(w, ['import', '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = jsonLines(resumed.stdout).at(-1);
    assert.equal(summary?.resumed, true);
    assert.equal(summary?.id, run.id);
    assert.equal(summary?.processed, 800);
    // Deals written by batches in flight at the kill (not yet stored) are found again by the
    // resumed run's upserts: counted as updated, never created twice.
    assert.equal(await assertUniqueDeals(w), Number(summary?.created) + Number(summary?.updated));
    // Also the create-only createdate: a deal the killed run created and the resumed run writes
    // again must keep the opportunity's CreatedDate, and so must new deals in the same batch.
    const report = await verify(w);
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  });

  test('an import next to the sync while opportunities change: both agree, verify is clean', async () => {
    const w = await world(
      { kind: 'sized', opportunities: 400, accounts: 20, contacts: 120, seed: 3 },
      'empty',
    );
    worlds.push(w);
    await mirrorContacts(w);
    await writeSetting(w.store, 'opportunitySync', true, { salesforce: w.sf });
    const engine = new SyncEngine({
      ...w.deps,
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
      onTouched: createRollupHook(w.deps),
    });
    const ids = (await w.sfRest.query<{ Id: string }>('SELECT Id FROM Opportunity ORDER BY Id')).map(
      (r) => r.Id,
    );
    const [early, late, gone] = [ids[1], ids[ids.length - 2], ids[ids.length - 1]] as [
      string,
      string,
      string,
    ];
    let changed = false;
    let done = false;
    const syncing = (async () => {
      while (!done) {
        await engine.runPass();
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const result = await runImport(w.deps, {
      batchSize: 50,
      onProgress: (p) => {
        if (changed || p.processed < 100) return;
        changed = true;
        void Promise.all([
          w.sfRest.update('Opportunity', early, { Amount: 555, StageName: 'Closed Won' }),
          w.sfRest.update('Opportunity', late, { Amount: 777, Name: 'Changed during import' }),
          w.sfRest.delete('Opportunity', gone),
        ]);
      },
    });
    done = true;
    await syncing;
    assert.equal(result.run.status, 'completed');
    await engine.runPass();
    await assertUniqueDeals(w);
    const lateDeal = await w.hsRest.dealOf(late, ['amount']);
    assert.equal(lateDeal?.properties.amount, '777');
    assert.equal(await w.hsRest.dealOf(gone), undefined);
    const report = await verify(w);
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  });

  test('rollups follow role removal and deletion; multi-currency at dated rates; CURRENCY_NOT_ENABLED for one deal', async () => {
    const w = await world({ kind: 'empty', multiCurrency: true, datedRates: true }, 'empty');
    worlds.push(w);
    await w.hsRest.call('POST', '/__emulator/currencies', { code: 'EUR', rate: 1.1 });
    const rates = await w.sfRest.query<{
      IsoCode: string;
      ConversionRate: number;
      StartDate: string;
      NextStartDate: string;
    }>(
      "SELECT IsoCode, ConversionRate, StartDate, NextStartDate FROM DatedConversionRate WHERE IsoCode = 'EUR' ORDER BY StartDate",
    );
    const period = rates[rates.length - 2];
    const before = rates[rates.length - 3];
    assert.ok(period && before);
    const dayBefore = new Date(Date.parse(period.StartDate) - 86_400_000).toISOString().slice(0, 10);
    const email = 'multi@example.com';
    const contactId = await w.sfRest.create('Contact', { LastName: 'Multi', Email: email });
    const other = await w.sfRest.create('Contact', { LastName: 'Other', Email: 'other@example.com' });
    const hsContact = await w.hsRest.createContact(email, { lifecyclestage: 'lead' });
    await w.hsRest.createContact('other@example.com');
    const opp = async (fields: Record<string, unknown>, contacts: string[]) => {
      const id = await w.sfRest.create('Opportunity', { Name: 'M', StageName: 'Closed Won', ...fields });
      for (const c of contacts)
        await w.sfRest.create('OpportunityContactRole', { OpportunityId: id, ContactId: c });
      return id;
    };
    const onStart = await opp({ Amount: 100, CurrencyIsoCode: 'EUR', CloseDate: period.StartDate }, [
      contactId,
    ]);
    await opp({ Amount: 100, CurrencyIsoCode: 'EUR', CloseDate: dayBefore }, [contactId]);
    const jpy = await opp({ Amount: 1000, CurrencyIsoCode: 'JPY', CloseDate: dayBefore }, [other]);
    const shared = await opp({ Amount: 50, CurrencyIsoCode: 'USD', CloseDate: dayBefore }, [
      contactId,
      other,
    ]);

    const r = await runImport(w.deps);
    assert.equal(r.run.failed, 1);
    const errors = await w.store.listErrors({ recordKeys: [`opportunity:${jpy}`] });
    assert.equal(errors[0]?.code, 'CURRENCY_NOT_ENABLED');
    assert.equal(await w.hsRest.dealOf(jpy), undefined);
    assert.equal(
      (await w.hsRest.dealOf(onStart, ['deal_currency_code']))?.properties.deal_currency_code,
      'EUR',
    );

    const cents = (v: Big) => v.round(2, Big.roundHalfUp);
    const eur = (rate: number) => cents(new Big(100).div(rate));
    const expected = eur(period.ConversionRate).plus(eur(before.ConversionRate)).plus(50);
    const props = ['salesforce_total_revenue', 'salesforce_num_associated_deals', 'lifecyclestage'];
    let c = await w.hsRest.get('contacts', hsContact, props);
    assert.equal(c?.properties.salesforce_total_revenue, expected.toFixed(2));
    assert.equal(c?.properties.salesforce_num_associated_deals, '3');
    assert.equal(c?.properties.lifecyclestage, 'customer');

    // Role removal and deletion, through the sync with the rollup hook.
    await writeSetting(w.store, 'opportunitySync', true, { salesforce: w.sf });
    const engine = new SyncEngine({
      ...w.deps,
      options: { lookbackSeconds: 30 },
      onTouched: createRollupHook(w.deps),
    });
    const [role] = await w.sfRest.query<{ Id: string }>(
      `SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '${shared}' AND ContactId = '${contactId}'`,
    );
    await w.sfRest.delete('OpportunityContactRole', role?.Id ?? '');
    await w.sfRest.delete('Opportunity', onStart);
    await engine.runPass();
    c = await w.hsRest.get('contacts', hsContact, props);
    assert.equal(c?.properties.salesforce_num_associated_deals, '1');
    assert.equal(c?.properties.salesforce_total_revenue, eur(before.ConversionRate).toFixed(2));
    assert.equal(c?.properties.lifecyclestage, 'customer');

    // verify agrees with everything but the deal HubSpot could not take.
    const report = await verify(w);
    assert.deepEqual(
      report.differences.map((d) => [d.check, d.record]),
      [['missing_deal', `opportunity:${jpy}`]],
    );
  });
});
