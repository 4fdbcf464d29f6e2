// Issue #10 §3: `status` counts the connector's own Salesforce calls, one per HTTP request its
// client sends, as the HubSpot side does; the org-wide Sforce-Limit-Info reading is shown beside
// them. Before, status said "Salesforce 0" after passes that made calls (it counted the growth of
// the org-wide counter between passes of one process).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../store/index.js';
import { readStatus } from '../status/read-status.js';
import { connectEmulators } from '../testing/emulator-world.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from './pass.js';

test(
  "status counts the connector's own Salesforce requests: the emulator's count, not 0",
  { timeout: 120_000 },
  async () => {
    const store = await openStore(':memory:');
    const { sfEmu, hsEmu, sf, hs, sfRest, hsRest } = await connectEmulators({ store });
    try {
      await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
      for (const name of ['Usage One', 'Usage Two', 'Usage Three']) {
        const email = `${name.toLowerCase().replace(' ', '.')}@usage.example`;
        const contactId = await sfRest.create('Contact', { LastName: name, Email: email });
        await hsRest.createContact(email);
        const oppId = await sfRest.create('Opportunity', {
          Name: name,
          StageName: 'Prospecting',
          CloseDate: '2026-12-31',
        });
        await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
      }
      const engine = new SyncEngine({
        salesforce: sf,
        hubspot: hs,
        store,
        options: { rescopeIntervalMs: 0 },
      });
      await engine.runPass(); // the first pass also counts what setup and the setting read
      const before = (await readStatus(store)).apiCallsLast24h.salesforce;
      const orgBefore = (await readStatus(store)).salesforceOrgUsage;
      // What the emulator serves during the connector's passes only (OAuth token calls are not REST
      // API calls: they do not count against the allocation).
      let own = 0;
      const servedDuring = async (fn: () => Promise<unknown>) => {
        sfEmu.admin.state.stats.reset();
        await fn();
        own += Object.entries(sfEmu.admin.state.stats.toJSON().routes)
          .filter(([route]) => !/oauth|token/i.test(route))
          .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
      };
      let pass: Awaited<ReturnType<SyncEngine['runPass']>> | undefined;
      await servedDuring(async () => (pass = await engine.runPass()));
      assert.equal(pass?.failed, 0);
      // Another integration spends the org's allocation between the passes: the org-wide counter
      // grows by its calls too, the connector's own count must not.
      const others = 7;
      for (let i = 0; i < others; i++) await sfRest.query('SELECT Id FROM Account LIMIT 1');
      await servedDuring(() => engine.runPass());
      const status = await readStatus(store);
      assert.ok(own > 0, 'the passes made Salesforce calls');
      assert.equal(
        status.apiCallsLast24h.salesforce - before,
        own,
        'our own requests, not the org-wide growth',
      );
      assert.ok(orgBefore && status.salesforceOrgUsage);
      assert.ok(
        status.salesforceOrgUsage.used - orgBefore.used >= own + others,
        'the org-wide reading beside it counts the other integration as well',
      );
      assert.ok(status.salesforceOrgUsage, 'the org-wide reading is kept beside our own count');
      assert.ok((status.salesforceOrgUsage?.max ?? 0) > 0);
    } finally {
      sf.close();
      await store.close();
      await sfEmu.close();
      await hsEmu.close();
    }
  },
);
