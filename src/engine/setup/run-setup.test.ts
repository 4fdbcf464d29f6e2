import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STAGE_MAP_SETTING, type StoredStageMap } from '../mapping/sync-context.js';
import { runSetup } from './run-setup.js';
import { writeSetting } from '../user-settings.js';
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
