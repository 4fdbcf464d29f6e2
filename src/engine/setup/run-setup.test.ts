import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STAGE_MAP_SETTING, type StoredStageMap } from '../mapping/sync-context.js';
import { runSetup } from './run-setup.js';
import { settingParsers, writeSetting } from '../user-settings.js';
import { SyncEngine } from '../sync/pass.js';
import { FakeHubspot, FakeSalesforce, MemoryStore } from '../testing/fakes.js';

function fresh() {
  const sf = new FakeSalesforce();
  const hs = new FakeHubspot();
  const store = new MemoryStore();
  return { sf, hs, store, deps: { salesforce: sf, hubspot: hs, store, now: () => new Date(sf.clock) } };
}

describe('setup', () => {
  test('creates properties, a pipeline per record type, the stage map and the owner map', async () => {
    const { sf, hs, store, deps } = fresh();
    sf.userList.push({ Id: '005U2', Email: 'nobody@example.com', Name: 'No Body', IsActive: true });
    const report = await runSetup(deps);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    const dealId = hs.props.deals.find((p) => p.name === 'salesforce_opportunity_id');
    assert.equal(dealId?.hasUniqueValue, true);
    assert.equal(dealId?.groupName, 'salesforce_opportunity_sync');
    assert.ok(hs.props.companies.find((p) => p.name === 'salesforce_account_id')?.hasUniqueValue);
    assert.ok(hs.props.contacts.find((p) => p.name === 'salesforce_contact_id'));
    for (const type of ['contacts', 'companies'] as const) {
      for (const name of [
        'salesforce_num_associated_deals',
        'salesforce_first_deal_created_date',
        'salesforce_recent_deal_close_date',
        'salesforce_recent_deal_amount',
        'salesforce_total_revenue',
      ]) {
        assert.ok(
          hs.props[type].some((p) => p.name === name),
          `${type}.${name}`,
        );
      }
    }
    assert.equal(hs.pipelines.length, 1);
    assert.equal(hs.pipelines[0]?.label, 'Salesforce - Default pipeline');
    const won = hs.pipelines[0]?.stages.find((s) => s.label === 'Closed Won');
    assert.equal(won?.isClosed, true);
    assert.equal(won?.probability, 1);
    const stored = await store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
    assert.equal(stored?.map.default?.['Closed Won']?.stageId, won?.id);
    assert.equal(report.owners.matched, 1);
    assert.deepEqual(
      report.owners.unmatched.map((u) => u.email),
      ['nobody@example.com'],
    );
  });

  test('is idempotent: a second run creates nothing', async () => {
    const { hs, deps } = fresh();
    await runSetup(deps);
    const before = new Map(hs.calls);
    const second = await runSetup(deps);
    assert.equal(second.ok, true);
    assert.ok(second.properties.every((p) => p.status === 'exists'));
    assert.ok(second.pipelines.every((p) => p.status === 'exists'));
    assert.equal(hs.calls.get('createProperty'), before.get('createProperty'));
    assert.equal(hs.calls.get('createDealPipeline'), before.get('createDealPipeline'));
    assert.equal(hs.pipelines.length, 1);
  });

  test('reports currencies not enabled in the portal for a multi-currency org', async () => {
    const { sf, hs, deps } = fresh();
    sf.org = { ...sf.org, multiCurrency: true };
    sf.rates = [
      { IsoCode: 'USD', ConversionRate: '1', StartDate: null, NextStartDate: null },
      { IsoCode: 'EUR', ConversionRate: '0.9', StartDate: null, NextStartDate: null },
    ];
    hs.account.currencies = ['USD'];
    const report = await runSetup(deps);
    assert.deepEqual(report.currency.notEnabled, ['EUR']);
    assert.ok(report.problems.some((p) => p.includes('EUR')));
  });

  test('after setup and turning the setting on, the sync writes deals', async () => {
    const { sf, hs, store, deps } = fresh();
    await runSetup(deps);
    await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    const c = sf.addContact({ Email: 'x@example.com' });
    hs.addContact('x@example.com');
    const opp = sf.addOpportunity({ StageName: 'Closed Won', IsClosed: true, IsWon: true }, [c.Id]);
    const engine = new SyncEngine(deps);
    const r = await engine.runPass();
    assert.equal(r.created, 1);
    const deal = hs.dealByOpportunity(opp.Id);
    const won = hs.pipelines[0]?.stages.find((s) => s.label === 'Closed Won');
    assert.equal(deal?.properties.dealstage, won?.id);
  });
});

describe('setup: owners shared by several users, and Type values without a dealtype option', () => {
  test('several Salesforce users mapping to one HubSpot owner are a warning in the report', async () => {
    const { sf, deps } = fresh();
    sf.userList.push({ Id: '005U3', Email: 'owner@EXAMPLE.com', Name: 'Olga Again', IsActive: false });
    const report = await runSetup(deps);
    assert.equal(report.ok, true);
    assert.deepEqual(report.owners.shared, [
      {
        ownerId: '9001',
        users: [
          { id: '005U1', email: 'owner@example.com', name: 'Olga Owner' },
          { id: '005U3', email: 'owner@EXAMPLE.com', name: 'Olga Again' },
        ],
      },
    ]);
    assert.ok(report.warnings.some((w) => /HubSpot owner 9001 is the owner of 2 Salesforce users/.test(w)));
    assert.deepEqual(report.problems, [], 'a warning, not a problem');
  });

  test('lists the Type values HubSpot has no option for; --add-dealtype-options adds them, the map counts', async () => {
    const { sf, hs, store, deps } = fresh();
    sf.typeValues = ['New Customer', 'Legacy Deal', 'Partner Referral', 'Renewal'];
    await writeSetting(store, 'typeValueMap', { Renewal: 'existingbusiness' });
    const listed = await runSetup(deps);
    assert.deepEqual(listed.dealtype, { missing: ['Legacy Deal', 'Partner Referral'], added: [] });
    assert.ok(listed.warnings.some((w) => /Legacy Deal, Partner Referral/.test(w)));
    assert.equal(hs.calls.get('setPropertyOptions') ?? 0, 0, 'nothing changed unless asked');

    const before = (hs.props.deals.find((p) => p.name === 'dealtype')?.options ?? []).map((o) => o.value);
    const added = await runSetup({ ...deps, addDealtypeOptions: true });
    assert.deepEqual(added.dealtype, { missing: [], added: ['Legacy Deal', 'Partner Referral'] });
    const after = (hs.props.deals.find((p) => p.name === 'dealtype')?.options ?? []).map((o) => o.value);
    assert.deepEqual(after, [...before, 'Legacy Deal', 'Partner Referral'], 'existing options kept, first');
    const again = await runSetup({ ...deps, addDealtypeOptions: true });
    assert.deepEqual(again.dealtype, { missing: [], added: [] });
    assert.equal(hs.calls.get('setPropertyOptions'), 1);
  });

  test('a deal synced without its Type value gets it after --add-dealtype-options, with no retry by hand', async () => {
    const { sf, hs, store, deps } = fresh();
    sf.typeValues = ['Legacy Deal'];
    await runSetup(deps);
    await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    const c = sf.addContact({ Email: 'ann@example.com' });
    hs.addContact('ann@example.com');
    const opp = sf.addOpportunity({ Type: 'Legacy Deal' }, [c.Id]);
    const engine = new SyncEngine({ salesforce: sf, hubspot: hs, store, now: () => new Date(sf.clock) });
    await engine.runPass();
    assert.equal(hs.dealByOpportunity(opp.Id)?.properties.dealtype ?? '', '');
    assert.equal((await store.listErrors())[0]?.severity, 'warning');
    await runSetup({ ...deps, addDealtypeOptions: true });
    // A running sync reads HubSpot's options again when its context expires (10 minutes).
    sf.clock += 11 * 60_000;
    await engine.runPass();
    assert.equal(hs.dealByOpportunity(opp.Id)?.properties.dealtype, 'Legacy Deal');
    assert.deepEqual(await store.listErrors(), []);
  });

  test('setting typeValueMap makes the INVALID_PICKLIST records due, and the next pass maps them', async () => {
    const { sf, hs, store, deps } = fresh();
    await runSetup(deps);
    await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    const c = sf.addContact({ Email: 'ann@example.com' });
    hs.addContact('ann@example.com');
    const opp = sf.addOpportunity({ Type: 'Legacy Deal' }, [c.Id]);
    const engine = new SyncEngine({ salesforce: sf, hubspot: hs, store, now: () => new Date(sf.clock) });
    await engine.runPass();
    assert.equal((await store.listErrors())[0]?.code, 'INVALID_PICKLIST');
    await writeSetting(store, 'typeValueMap', settingParsers.typeValueMap('{"Legacy Deal":"newbusiness"}'), {
      now: new Date(sf.clock),
    });
    sf.clock += 1_000;
    await engine.runPass();
    assert.equal(hs.dealByOpportunity(opp.Id)?.properties.dealtype, 'newbusiness');
    assert.deepEqual(await store.listErrors(), []);
  });
});
