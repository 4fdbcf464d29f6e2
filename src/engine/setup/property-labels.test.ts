// The `language` setting: the labels of what setup creates on HubSpot, and a rerun after the
// setting changed relabels setup's own properties and group but not a label someone chose.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeHubspot, FakeSalesforce, MemoryStore } from '../testing/fakes.js';
import { settingParsers, writeSetting } from '../user-settings.js';
import { propertyLabels, relabelTo } from './property-labels.js';
import { runSetup } from './run-setup.js';

function fresh() {
  const sf = new FakeSalesforce();
  const hs = new FakeHubspot();
  const store = new MemoryStore();
  return { hs, store, deps: { salesforce: sf, hubspot: hs, store, now: () => new Date(sf.clock) } };
}

const label = (hs: FakeHubspot, type: 'deals' | 'contacts' | 'companies', name: string) =>
  hs.props[type].find((p) => p.name === name)?.label;

void test('setup labels its properties in German with language de, with HubSpot’s own German words', async () => {
  const { hs, store, deps } = fresh();
  await writeSetting(store, 'language', settingParsers.language('de'));
  const report = await runSetup(deps);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(label(hs, 'deals', 'salesforce_opportunity_id'), 'Salesforce-Opportunity-ID');
  assert.equal(label(hs, 'contacts', 'salesforce_num_associated_deals'), 'Verbundene Deals (Salesforce)');
  assert.equal(label(hs, 'companies', 'salesforce_total_revenue'), 'Gesamtumsätze (Salesforce)');
  assert.equal(
    label(hs, 'contacts', 'salesforce_recent_deal_close_date'),
    'Datum des letzten Deal-Abschlusses (Salesforce)',
  );
  assert.equal(
    hs.groupLabels.get('contacts:salesforce_opportunity_sync'),
    'Opportunity-Synchronisierung (Salesforce)',
  );
});

void test('English is the default, and a rerun after switching relabels only what setup labelled', async () => {
  const { hs, store, deps } = fresh();
  await runSetup(deps);
  assert.equal(label(hs, 'contacts', 'salesforce_recent_deal_amount'), 'Recent deal amount (Salesforce)');
  // Someone renamed one property in HubSpot: that label is theirs.
  const renamed = hs.props.contacts.find((p) => p.name === 'salesforce_total_revenue');
  assert.ok(renamed);
  renamed.label = 'Umsatz laut Salesforce';
  hs.groupLabels.set('deals:salesforce_opportunity_sync', 'Unsere Salesforce-Felder');
  await writeSetting(store, 'language', 'de');
  const report = await runSetup(deps);
  assert.equal(hs.groupLabels.get('contacts:salesforce_opportunity_sync'), propertyLabels.de.group);
  assert.equal(hs.groupLabels.get('deals:salesforce_opportunity_sync'), 'Unsere Salesforce-Felder');
  assert.equal(label(hs, 'contacts', 'salesforce_recent_deal_amount'), 'Letzter Deal-Betrag (Salesforce)');
  assert.equal(label(hs, 'contacts', 'salesforce_total_revenue'), 'Umsatz laut Salesforce');
  const updated = report.properties
    .filter((p) => p.status === 'updated')
    .map((p) => `${p.objectType}.${p.name}`);
  assert.ok(updated.includes('contacts.salesforce_recent_deal_amount'));
  assert.ok(!updated.includes('contacts.salesforce_total_revenue'));
  // And back, idempotently: a second run in the same language changes nothing.
  await writeSetting(store, 'language', 'en');
  await runSetup(deps);
  const again = await runSetup(deps);
  assert.deepEqual(
    again.properties.filter((p) => p.status !== 'exists'),
    [],
  );
  assert.equal(label(hs, 'deals', 'salesforce_opportunity_id'), propertyLabels.en.salesforceOpportunityId);
});

void test('the language setting takes en or de only', () => {
  assert.equal(settingParsers.language(' DE '), 'de');
  assert.throws(() => settingParsers.language('fr'), /expected en or de, got "fr"/);
  assert.equal(relabelTo('Salesforce contact ID', 'salesforceContactId', 'de'), 'Salesforce-Kontakt-ID');
  assert.equal(relabelTo('My own label', 'salesforceContactId', 'de'), null);
  assert.equal(relabelTo('Salesforce-Kontakt-ID', 'salesforceContactId', 'de'), null);
});
