// End to end through both emulators (real adapters, SQLite store, the rollup hook): the Account
// change feed, and the full comparison that finds deletes once getDeleted's 15 days are exceeded
// (the Salesforce emulator's clock is moved through its admin API; the engine's clock follows it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HubspotEmulator } from '../../../emulators/hubspot/index.js';
import type { SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import type { HubspotAdapter } from '../../hubspot/index.js';
import type { SalesforceAdapter } from '../../salesforce/index.js';
import { openStore, type Store } from '../../store/index.js';
import { CURSOR_ACCOUNTS } from './account-feed.js';
import { CURSOR_DELETES } from '../deletes/full-compare.js';
import { CURSOR_OPPORTUNITIES } from './change-feed.js';
import { CURSOR_OPPORTUNITY_SWEEP } from './late-commits.js';
import { createRollupHook } from '../rollups/hook.js';
import type { RollupResult } from '../rollups/pass.js';
import { writeSetting } from '../user-settings.js';
import { formatStatus, readStatus } from '../status/read-status.js';
import { SyncEngine } from './pass.js';
import type { HubspotRest } from '../testing/hubspot-rest.js';
import type { SalesforceRest } from '../testing/salesforce-rest.js';
import { connectEmulators } from '../testing/emulator-world.js';

interface World {
  sfEmu: SalesforceEmulator;
  hsEmu: HubspotEmulator;
  sf: SalesforceAdapter;
  hs: HubspotAdapter;
  store: Store;
  sfRest: SalesforceRest;
  hsRest: HubspotRest;
  engine: SyncEngine;
  rollups: RollupResult[];
  /** A new engine over the same store and adapters: a process restart. */
  restart(): SyncEngine;
  /** Salesforce's clock (moved by the tests), which the engine follows. */
  now(): Date;
}

async function world(): Promise<World> {
  const store = await openStore(':memory:');
  const { sfEmu, hsEmu, sf, hs, sfRest, hsRest } = await connectEmulators({ store });
  await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
  const rollups: RollupResult[] = [];
  const now = () => new Date(sfEmu.admin.state.clock.now());
  const make = () =>
    new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      now,
      options: { lookbackSeconds: 5, rescopeIntervalMs: 0, accountFeedIntervalMs: 0 },
      onTouched: createRollupHook(
        { salesforce: sf, hubspot: hs, store, now },
        { onResult: (r) => rollups.push(r) },
      ),
    });
  const w: World = {
    sfEmu,
    hsEmu,
    sf,
    hs,
    store,
    sfRest,
    hsRest,
    engine: make(),
    rollups,
    restart: () => (w.engine = make()),
    now,
  };
  return w;
}

async function advanceClock(w: World, by: string): Promise<void> {
  const r = await w.sfEmu.admin.call('POST', 'clock', { advance: by });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** An opportunity of `accountId` with a contact role whose contact is in HubSpot. */
async function opportunity(w: World, name: string, accountId: string | null) {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`;
  const contactId = await w.sfRest.create('Contact', { LastName: name, Email: email });
  await w.hsRest.createContact(email);
  const oppId = await w.sfRest.create('Opportunity', {
    Name: name,
    StageName: 'Prospecting',
    CloseDate: '2024-10-31',
    Amount: 1200,
    ...(accountId ? { AccountId: accountId } : {}),
  });
  await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  return oppId;
}

async function dealUpserts(w: World): Promise<number> {
  const stats = (await w.hsRest.call('GET', '/__emulator/stats')) as {
    routes: Record<string, Record<string, number>>;
  };
  const route = stats.routes['POST /crm/v3/objects/{objectType}/batch/upsert'] ?? {};
  return Object.values(route).reduce((a, b) => a + b, 0);
}

async function accountStamp(w: World, id: string): Promise<string> {
  const [row] = await w.sfRest.query<{ SystemModstamp: string }>(
    `SELECT SystemModstamp FROM Account WHERE Id = '${id}'`,
  );
  return new Date(Date.parse((row?.SystemModstamp ?? '').replace(/\+0000$/, 'Z'))).toISOString();
}

function close(w: World): Promise<unknown> {
  w.sf.close();
  return Promise.all([w.store.close(), w.sfEmu.close(), w.hsEmu.close()]);
}

describe('Account change feed through both emulators', () => {
  let w: World;
  before(async () => {
    w = await world();
  });
  after(() => close(w));

  test('a renamed account with a new website: mirrored, rollups recomputed, company fields left alone', async () => {
    const acc = await w.sfRest.create('Account', { Name: 'Umbrella', Website: 'https://umbrella.example' });
    const oppId = await opportunity(w, 'Umbrella renewal', acc);
    await w.engine.runPass();
    const deal = await w.hsRest.dealOf(oppId);
    assert.ok(deal);
    const [companyId] = await w.hsRest.associated(deal.id, 'companies');
    assert.ok(companyId);
    const fields = ['name', 'domain', 'salesforce_account_id', 'salesforce_num_associated_deals'];
    const before = await w.hsRest.get('companies', companyId, fields);
    assert.equal(before?.properties.name, 'Umbrella');
    assert.equal(before?.properties.salesforce_num_associated_deals, '1');
    const upserts = await dealUpserts(w);
    w.rollups.length = 0;

    await advanceClock(w, '1s'); // an edit in a later second than the pass's read (docs/sync.md)
    await w.sfRest.update('Account', acc, { Name: 'Umbrella Corporation', Website: 'umbrella-corp.example' });
    const r = await w.engine.runPass();
    assert.ok(r.touched.accountIds.has(acc));
    assert.equal(
      w.rollups.reduce((n, x) => n + x.companies.unchanged + x.companies.updated, 0),
      1,
      'the company rollups were recomputed (unchanged: they depend on the opportunities only)',
    );
    const mirror = (await w.store.getAccounts([acc])).get(acc);
    assert.equal(mirror?.Name, 'Umbrella Corporation');
    assert.equal(mirror?.Website, 'umbrella-corp.example');
    const afterChange = await w.hsRest.get('companies', companyId, fields);
    assert.deepEqual(afterChange?.properties, before?.properties, 'HubSpot owns the company name and domain');
    assert.deepEqual(await w.hsRest.associated(deal.id, 'companies'), [companyId]);
    assert.equal(await dealUpserts(w), upserts, 'no deal rewritten');
    assert.equal(r.created + r.updated, 0);
    assert.deepEqual(await w.store.getCursor(CURSOR_ACCOUNTS), {
      modstamp: await accountStamp(w, acc),
      id: acc,
    });
  });

  test('an account without a company: a website that now matches links the deal and writes the rollups', async () => {
    await writeSetting(w.store, 'createCompanies', false);
    const acc = await w.sfRest.create('Account', { Name: 'Globex' });
    const oppId = await opportunity(w, 'Globex pilot', acc);
    await w.engine.runPass();
    const deal = await w.hsRest.dealOf(oppId);
    assert.ok(deal);
    assert.deepEqual(await w.hsRest.associated(deal.id, 'companies'), []);
    const [warning] = await w.store.listErrors({ recordKeys: [`opportunity:${oppId}`] });
    assert.equal(warning?.code, 'COMPANY_MATCH_FAILED');
    // Another opportunity 10 s later moves the opportunity cursor past the look-back (5 s) before
    // the warning's retry (1 min) is due: only the account feed can bring the company now.
    await advanceClock(w, '10s');
    await opportunity(w, 'Unrelated', null);
    await w.engine.runPass();
    const created = (await w.hsRest.call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Globex Corporation', domain: 'globex.example' },
    })) as { id: string };
    const upserts = await dealUpserts(w);

    await w.sfRest.update('Account', acc, { Website: 'http://www.globex.example/about' });
    const r = await w.engine.runPass();
    assert.deepEqual(await w.hsRest.associated(deal.id, 'companies'), [created.id]);
    const company = await w.hsRest.get('companies', created.id, [
      'name',
      'salesforce_account_id',
      'salesforce_num_associated_deals',
      'salesforce_total_revenue',
    ]);
    assert.equal(company?.properties.salesforce_account_id, acc);
    assert.equal(company?.properties.name, 'Globex Corporation');
    assert.equal(company?.properties.salesforce_num_associated_deals, '1');
    assert.equal(await dealUpserts(w), upserts, 'hash skip: the deal properties did not change');
    assert.equal(r.updated, 1, 'the association is the change');
    assert.deepEqual(await w.store.listErrors({ recordKeys: [`opportunity:${oppId}`] }), []);
    await writeSetting(w.store, 'createCompanies', true);
  });

  test('the account cursor is persisted, shown by status and resumed after a restart', async () => {
    const acc = await w.sfRest.create('Account', { Name: 'Hooli', Website: 'hooli.example' });
    await opportunity(w, 'Hooli cloud', acc);
    await w.engine.runPass();
    await w.sfRest.update('Account', acc, { Name: 'Hooli XYZ' });
    await w.engine.runPass();
    const first = await w.store.getCursor(CURSOR_ACCOUNTS);
    assert.deepEqual(first, { modstamp: await accountStamp(w, acc), id: acc });
    const status = await readStatus(w.store, w.now());
    assert.deepEqual(status.cursors.find((c) => c.name === CURSOR_ACCOUNTS)?.cursor, first);
    assert.match(formatStatus(status), new RegExp(`Cursor account: ${first?.modstamp} ${acc}`));

    w.restart();
    await advanceClock(w, '1m');
    await w.sfRest.update('Account', acc, { Name: 'Hooli Nucleus' });
    await w.engine.runPass();
    assert.equal((await w.store.getAccounts([acc])).get(acc)?.Name, 'Hooli Nucleus');
    const moved = await w.store.getCursor(CURSOR_ACCOUNTS);
    assert.deepEqual(moved, { modstamp: await accountStamp(w, acc), id: acc });
    assert.ok(Date.parse(moved?.modstamp ?? '') > Date.parse(first?.modstamp ?? ''));
  });
});

describe("Deletes beyond getDeleted's 15 days through both emulators", () => {
  let w: World;
  before(async () => {
    w = await world();
  });
  after(() => close(w));

  test('the full comparison archives the deal of an opportunity deleted 16 days ago; live ones stay', async () => {
    const acc = await w.sfRest.create('Account', { Name: 'Initech', Website: 'initech.example' });
    const gone = await opportunity(w, 'Initech printers', acc);
    const live = await opportunity(w, 'Initech staplers', acc);
    const edited = await opportunity(w, 'Initech TPS', null);
    await w.engine.runPass();
    const goneDeal = await w.hsRest.dealOf(gone);
    assert.ok(goneDeal && (await w.hsRest.dealOf(live)));

    // The connector is stopped; the opportunity is deleted; 16 days pass: the recycle bin has
    // purged it (queryAll no longer returns it) and getDeleted no longer reaches back.
    await w.sfRest.delete('Opportunity', gone);
    await advanceClock(w, '16d');
    await w.sfRest.update('Opportunity', edited, { Name: 'Initech TPS reports' });
    w.restart();
    const r = await w.engine.runPass();

    assert.equal(await w.hsRest.dealOf(gone), undefined, 'archived');
    assert.ok(await w.hsRest.dealOf(live), 'a live opportunity keeps its deal');
    assert.equal((await w.hsRest.dealOf(edited, ['dealname']))?.properties.dealname, 'Initech TPS reports');
    assert.ok(r.fullComparison, JSON.stringify(r));
    assert.equal(r.fullComparison.salesforceIds, 2);
    assert.equal(r.fullComparison.liveDeals, 3);
    assert.equal(r.fullComparison.missing, 1);
    assert.equal(r.fullComparison.archived, 1);
    assert.equal(r.archived, 1);
    const audit = await w.store.auditFor(`deal:${goneDeal.id}`, 10);
    assert.ok(audit.some((a) => a.reason === 'archive' && a.newValue === 'true'));
    assert.equal((await w.store.getDealLinks([gone])).get(gone)?.archived, true);
    assert.deepEqual(await w.store.listErrors({ code: 'CURSOR_TOO_OLD' }), []);
    assert.equal((await w.store.getCursor(CURSOR_DELETES))?.modstamp, r.fullComparison.startedAt);
    // The company's rollups follow: one deal left.
    const [companyId] = await w.hsRest.associated((await w.hsRest.dealOf(live))?.id ?? '', 'companies');
    const company = await w.hsRest.get('companies', companyId ?? '', ['salesforce_num_associated_deals']);
    assert.equal(company?.properties.salesforce_num_associated_deals, '1');

    // Not every pass: the next ones go back to getDeleted, from the comparison's start.
    await advanceClock(w, '2h');
    const next = await w.engine.runPass();
    assert.equal(next.fullComparison, undefined);
    assert.ok(
      Date.parse((await w.store.getCursor(CURSOR_DELETES))?.modstamp ?? '') >
        Date.parse(r.fullComparison.startedAt),
    );
  });
});

describe('Late commits through both emulators', () => {
  let w: World;
  before(async () => {
    w = await world();
  });
  after(() => close(w));

  test('an opportunity committed late (stamped before the cursor, visible only now) is synced by the sweep', async () => {
    await opportunity(w, 'Before the late one', null);
    await advanceClock(w, '10s');
    await opportunity(w, 'Cursor mover', null);
    await w.engine.runPass();
    const cursor = await w.store.getCursor(CURSOR_OPPORTUNITIES);
    assert.ok(cursor);
    // A transaction stamped 3 s before the cursor commits now: planted raw, with its contact role,
    // both carrying the old SystemModstamp (the feed of each has already read past it).
    // Its contact is one the connector already links (a contact new in HubSpot would bring the
    // opportunity by the scope contract's own path, not the feed's).
    const [contact] = await w.sfRest.query<{ Id: string }>(
      "SELECT Id FROM Contact WHERE Email = 'before.the.late.one@example.com'",
    );
    const contactId = contact?.Id ?? '';
    assert.ok(contactId);
    const stamp = new Date(Date.parse(cursor.modstamp) - 3000).toISOString();
    const planted = await w.sfEmu.admin.call('POST', 'records/Opportunity', {
      records: [
        {
          Name: 'Committed late',
          StageName: 'Prospecting',
          CloseDate: '2024-10-31',
          CreatedDate: stamp,
          SystemModstamp: stamp,
        },
      ],
    });
    assert.equal(planted.status, 201, JSON.stringify(planted.body));
    const [lateId] = (planted.body as { ids: string[] }).ids as [string];
    const role = await w.sfEmu.admin.call('POST', 'records/OpportunityContactRole', {
      records: [{ OpportunityId: lateId, ContactId: contactId, SystemModstamp: stamp, CreatedDate: stamp }],
    });
    assert.equal(role.status, 201, JSON.stringify(role.body));

    await w.engine.runPass();
    assert.equal(await w.hsRest.dealOf(lateId), undefined, 'the pass reads from its cursor, not 3 s back');
    // Once the stamp has settled (the window, 5 s here) and the sweep is due (30 s of settled range).
    await advanceClock(w, '40s');
    await w.engine.runPass();
    const deal = await w.hsRest.dealOf(lateId, ['dealname']);
    assert.equal(deal?.properties.dealname, 'Committed late');
    assert.deepEqual(await w.store.getCursor(CURSOR_OPPORTUNITIES), cursor, 'the feed cursor stays');
    const mark = await w.store.getCursor(CURSOR_OPPORTUNITY_SWEEP);
    assert.ok(mark && Date.parse(mark.modstamp) > Date.parse(stamp), 'the sweep mark moved past it');
  });
});
