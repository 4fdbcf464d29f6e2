// `dealbridge setup`'s report names the properties a rerun relabelled (the language setting).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSetup } from '../../engine/setup/run-setup.js';
import { FakeHubspot, FakeSalesforce, MemoryStore } from '../../engine/testing/fakes.js';
import { writeSetting } from '../../engine/user-settings.js';
import { formatSetupReport } from './setup.js';

void test('a rerun after `settings set language de` lists the relabelled properties with their label', async () => {
  const sf = new FakeSalesforce();
  const store = new MemoryStore();
  const deps = { salesforce: sf, hubspot: new FakeHubspot(), store, now: () => new Date(sf.clock) };
  assert.doesNotMatch(formatSetupReport(await runSetup(deps)), /label "/);
  await writeSetting(store, 'language', 'de');
  const text = formatSetupReport(await runSetup(deps));
  assert.match(
    text,
    /contacts\.salesforce_recent_deal_amount: updated \(label "Letzter Deal-Betrag \(Salesforce\)"\)/,
  );
  assert.match(text, /deals\.salesforce_opportunity_id: updated \(label "Salesforce-Opportunity-ID"\)/);
});
