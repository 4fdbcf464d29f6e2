// The sync through the Salesforce emulator (real HTTP, the real jsforce adapter, the SQLite store)
// with an in-memory HubSpot: the Salesforce half of the end-to-end tests (change feeds, contact
// roles, deletes and undeletes, token expiry, the API budget, outages).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import { DealbridgeError } from '../../errors/index.js';
import { createSalesforceAdapter, type SalesforceAdapter } from '../../salesforce/index.js';
import { openStore, type Store } from '../../store/index.js';
import { runSetup } from '../setup/run-setup.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from './pass.js';
import { FakeHubspot } from '../testing/fake-hubspot.js';
import { SalesforceRest } from '../testing/salesforce-rest.js';

interface World {
  emu: SalesforceEmulator;
  sf: SalesforceAdapter;
  hs: FakeHubspot;
  store: Store;
  rest: SalesforceRest;
  engine: SyncEngine;
}

async function world(): Promise<World> {
  const emu = await createSalesforceEmulator({ seed: 'empty' });
  const tokens = await emu.admin.issueTokens();
  const sf = await createSalesforceAdapter({
    loginUrl: emu.url,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    apiVersion: '62.0',
    budgetPercent: 80,
    retryPolicy: { maxAttempts: 2, baseMs: 1, capMs: 5, maxWaitMs: 10 },
  });
  const hs = new FakeHubspot();
  hs.ownerList = [{ id: '77', email: 'Integration@dealbridge-emulator.example', archived: false }];
  const store = await openStore(':memory:');
  const report = await runSetup({ salesforce: sf, hubspot: hs, store });
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
  const engine = new SyncEngine({ salesforce: sf, hubspot: hs, store, options: { lookbackSeconds: 30 } });
  return {
    emu,
    sf,
    hs,
    store,
    rest: new SalesforceRest(tokens.instanceUrl, async () => (await emu.admin.issueTokens()).accessToken),
    engine,
  };
}

async function close(w: World): Promise<void> {
  w.sf.close();
  await w.store.close();
  await w.emu.close();
}

describe('sync through the Salesforce emulator', () => {
  let w: World;
  before(async () => {
    w = await world();
  });
  after(async () => close(w));

  test('create, update, contact roles, account change, delete and undelete', async () => {
    const { rest, hs, engine } = w;
    const contactId = await rest.create('Contact', { LastName: 'Ng', Email: 'Mei.Ng@Example.com' });
    const other = await rest.create('Contact', { LastName: 'Ortiz', Email: 'ortiz@example.com' });
    const hsContact = hs.addContact('mei.ng@example.com');
    const hsOther = hs.addContact('ortiz@example.com');
    const acc1 = await rest.create('Account', { Name: 'Globex', Website: 'https://globex.example' });
    const acc2 = await rest.create('Account', { Name: 'Initech', Website: 'initech.example' });
    const oppId = await rest.create('Opportunity', {
      Name: 'Globex renewal',
      StageName: 'Prospecting',
      CloseDate: '2024-09-30',
      Amount: 5000.5,
      Type: 'New Customer',
      Description: 'first\nsecond',
      AccountId: acc1,
    });
    await rest.create('OpportunityContactRole', {
      OpportunityId: oppId,
      ContactId: contactId,
      Role: 'Decision Maker',
    });

    let r = await engine.runPass();
    assert.equal(r.created, 1, JSON.stringify(r));
    const deal = hs.dealByOpportunity(oppId);
    assert.ok(deal);
    assert.equal(deal.properties.dealname, 'Globex renewal');
    assert.equal(deal.properties.amount, '5000.5');
    assert.equal(deal.properties.dealtype, 'newbusiness');
    assert.equal(deal.properties.description, 'first\nsecond');
    assert.equal(deal.properties.hubspot_owner_id, '77');
    assert.equal(new Date(deal.properties.closedate ?? '').toISOString(), '2024-09-30T00:00:00.000Z');
    assert.deepEqual(hs.associated(deal.id, 'contacts'), [hsContact.id]);
    const [company1] = hs.associated(deal.id, 'companies');
    assert.equal(hs.objects.companies.get(company1 ?? '')?.properties.salesforce_account_id, acc1);

    w.emu.admin.state.clock.advance(1000); // each edit a second after the pass before it (EmulatorWorld.later)
    await rest.update('Opportunity', oppId, { Amount: 7000, StageName: 'Closed Won' });
    r = await engine.runPass();
    assert.equal(r.updated, 1);
    assert.equal(hs.dealByOpportunity(oppId)?.properties.amount, '7000');
    const wonStage = hs.pipelines[0]?.stages.find((s) => s.label === 'Closed Won');
    assert.equal(hs.dealByOpportunity(oppId)?.properties.dealstage, wonStage?.id);

    const roleId = await rest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: other });
    await engine.runPass();
    assert.deepEqual(hs.associated(deal.id, 'contacts'), [hsContact.id, hsOther.id].sort());
    w.emu.admin.state.clock.advance(1000);
    await rest.delete('OpportunityContactRole', roleId);
    await engine.runPass();
    assert.deepEqual(hs.associated(deal.id, 'contacts'), [hsContact.id]);

    w.emu.admin.state.clock.advance(1000);
    await rest.update('Opportunity', oppId, { AccountId: acc2 });
    await engine.runPass();
    const [company2] = hs.associated(deal.id, 'companies');
    assert.equal(hs.objects.companies.get(company2 ?? '')?.properties.salesforce_account_id, acc2);

    w.emu.admin.state.clock.advance(1000);
    await rest.delete('Opportunity', oppId);
    r = await engine.runPass();
    assert.equal(r.archived, 1);
    assert.equal(hs.dealByOpportunity(oppId), undefined);

    w.emu.admin.state.clock.advance(1000);
    const undelete = await w.emu.admin.call('POST', '/__emulator/undelete', { ids: [oppId] });
    assert.equal(undelete.status, 200, JSON.stringify(undelete.body));
    await engine.runPass();
    const restored = hs.live('deals').filter((d) => d.properties.salesforce_opportunity_id === oppId);
    assert.equal(restored.length, 1);
  });

  test('an opportunity whose contacts are not in HubSpot is skipped until one appears', async () => {
    const { rest, hs, engine } = w;
    const c = await rest.create('Contact', { LastName: 'Later', Email: 'later@example.com' });
    const oppId = await rest.create('Opportunity', {
      Name: 'Later deal',
      StageName: 'Prospecting',
      CloseDate: '2024-12-01',
    });
    await rest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: c });
    const r = await engine.runPass();
    assert.equal(r.skippedByReason.no_contact_in_hubspot, 1);
    assert.equal(hs.dealByOpportunity(oppId), undefined);
    hs.addContact('LATER@example.com');
    const again = new SyncEngine({
      salesforce: w.sf,
      hubspot: hs,
      store: w.store,
      options: { rescopeIntervalMs: 0 },
    });
    await again.runPass();
    assert.ok(hs.dealByOpportunity(oppId));
  });

  test('an expired access token is refreshed once and the pass goes on', async () => {
    const { rest, hs, engine } = w;
    const c = await rest.create('Contact', { LastName: 'Token', Email: 'token@example.com' });
    hs.addContact('token@example.com');
    const oppId = await rest.create('Opportunity', {
      Name: 'After expiry',
      StageName: 'Prospecting',
      CloseDate: '2024-12-01',
    });
    await rest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: c });
    const expired = await w.emu.admin.call('POST', '/__emulator/tokens/expire');
    assert.equal(expired.status, 200);
    await engine.runPass();
    assert.ok(hs.dealByOpportunity(oppId));
  });

  test('a spent API budget stops the pass cleanly; it resumes when there is room', async () => {
    const { rest, hs, engine } = w;
    const c = await rest.create('Contact', { LastName: 'Budget', Email: 'budget@example.com' });
    hs.addContact('budget@example.com');
    const oppId = await rest.create('Opportunity', {
      Name: 'Budget deal',
      StageName: 'Prospecting',
      CloseDate: '2024-12-01',
    });
    await rest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: c });
    await w.emu.admin.call('POST', '/__emulator/limits', { used: 90_000, allocation: 100_000 });
    await w.sf.serverTime().catch(() => undefined); // the adapter learns the usage from a response
    await assert.rejects(
      engine.runPass(),
      (e: unknown) => e instanceof DealbridgeError && e.code === 'SALESFORCE_LIMIT_REACHED',
    );
    assert.equal(hs.dealByOpportunity(oppId), undefined);
    await w.emu.admin.call('POST', '/__emulator/limits', { used: 1000 });
    const fresh = await createSalesforceAdapter({
      loginUrl: w.emu.url,
      clientId: w.emu.clientId,
      clientSecret: w.emu.clientSecret,
      apiVersion: '62.0',
      budgetPercent: 80,
    });
    try {
      await new SyncEngine({ salesforce: fresh, hubspot: hs, store: w.store }).runPass();
    } finally {
      fresh.close();
    }
    assert.ok(hs.dealByOpportunity(oppId));
  });
  test('after a pause at the budget, the same engine asks /limits and resumes once the allocation is back', async () => {
    const { rest, hs, engine } = w;
    const c = await rest.create('Contact', { LastName: 'Stale', Email: 'stale@example.com' });
    hs.addContact('stale@example.com');
    const oppId = await rest.create('Opportunity', {
      Name: 'Stale reading',
      StageName: 'Prospecting',
      CloseDate: '2024-12-02',
    });
    await rest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: c });
    await w.emu.admin.call('POST', '/__emulator/limits', { used: 95_000, allocation: 100_000 });
    await w.sf.serverTime().catch(() => undefined); // the cached reading now says: spent
    await assert.rejects(
      engine.runPass(),
      (e: unknown) => e instanceof DealbridgeError && e.code === 'SALESFORCE_LIMIT_REACHED',
    );
    // The allocation comes back (the rolling 24 h freed room); the cached reading still says 95 %.
    await w.emu.admin.call('POST', '/__emulator/limits', { used: 2000 });
    await engine.runPass();
    assert.ok(hs.dealByOpportunity(oppId), 'synced on the first pass after the allocation came back');
    assert.ok((w.sf.usage()?.used ?? Infinity) < 80_000, 'the reading was refreshed');
  });
});
