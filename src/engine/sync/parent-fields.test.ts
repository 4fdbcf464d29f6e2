import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runImport } from '../import/run.js';
import { createHarness, type Harness } from '../testing/fakes.js';

async function org(parentFields: boolean): Promise<Harness> {
  const h = await createHarness({});
  h.sf.parentFields = parentFields;
  await h.enable();
  const acc = h.sf.addAccount({ Name: 'Acme', Website: 'https://acme.io' });
  const a = h.sf.addContact({ Email: 'Ann@Example.com', LastName: 'Ann' });
  const b = h.sf.addContact({ Email: 'bob@example.com', LastName: 'Bob' });
  h.hs.addContact('ann@example.com');
  h.sf.addOpportunity({ AccountId: acc.Id }, [a.Id, b.Id]);
  return h;
}

for (const parentFields of [true, false]) {
  const label = parentFields ? 'read with the opportunity' : 'read by id';
  test(`contacts' emails and the account ${label}: same deals, companies and pending contacts`, async () => {
    for (const run of ['sync', 'import'] as const) {
      const h = await org(parentFields);
      if (run === 'sync') await h.engine.runPass();
      else await runImport({ salesforce: h.sf, hubspot: h.hs, store: h.store });
      const deal = h.hs.live('deals')[0];
      assert.ok(deal, run);
      assert.equal(h.hs.associated(deal.id, 'contacts').length, 1, run);
      const company = h.hs.live('companies')[0];
      assert.equal(company?.properties.domain, 'acme.io', run);
      assert.deepEqual(h.hs.associated(deal.id, 'companies'), [company?.id], run);
      const lookups = (h.sf.calls.get('contactsByIds') ?? 0) + (h.sf.calls.get('accountsByIds') ?? 0);
      if (parentFields) assert.equal(lookups, 0, `${run}: no Salesforce look-up by id`);
      else assert.ok(lookups >= 2, `${run}: looked up by id`);
    }
  });
}
