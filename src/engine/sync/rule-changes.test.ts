// A sync rule changed between passes (`dealbridge mappings set` in another process, the web UI)
// applies at the next pass, without waiting for the mapping context's reload (10 minutes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withRule } from '../mapping/rules.js';
import { CUSTOM_MAPPINGS_SETTING } from '../mapping/sync-context.js';
import type { FieldMapping } from '../mapping/types.js';
import { createHarness } from '../testing/fakes.js';

test('mappings set description none: the next pass leaves HubSpot description alone', async () => {
  const h = await createHarness();
  await h.enable();
  const c = h.sf.addContact({ Email: 'nina@rules.example', LastName: 'Nina' });
  h.hs.addContact('nina@rules.example');
  const opp = h.sf.addOpportunity({ Description: 'from Salesforce' }, [c.Id]);
  await h.engine.runPass();
  assert.equal(h.hs.dealByOpportunity(opp.Id)?.properties.description, 'from Salesforce');

  const stored = (await h.store.getSetting<FieldMapping[]>(CUSTOM_MAPPINGS_SETTING)) ?? [];
  const next = withRule(stored, 'description', 'dont_sync');
  assert.ok(next.ok);
  await h.store.setSetting(CUSTOM_MAPPINGS_SETTING, next.mappings);
  h.sf.updateOpportunity(opp.Id, { Description: 'changed in Salesforce', Amount: '42' });
  await h.engine.runPass();
  const deal = h.hs.dealByOpportunity(opp.Id);
  assert.equal(deal?.properties.amount, '42', 'the pass wrote the deal');
  assert.equal(deal?.properties.description, 'from Salesforce', 'but not the field set to none');
});
