// Issue #10's first probe: an opportunity created through the API the plain way (name, stage,
// close date, one contact role, no RecordTypeId) in an org that has record types, and the Master
// record type (RecordTypeId null) that old orgs hold. Salesforce gives a plain create the user's
// default record type; records older than the org's record types have none. Before, a Master
// opportunity failed every sync and import with STAGE_NOT_MAPPED; now setup makes
// `Salesforce - Master` where the org has Master opportunities (the sync makes it for the first
// one that appears later), and import, sync and verify carry both kinds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HubspotEmulator } from '../../../emulators/hubspot/index.js';
import type { SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import type { HubspotAdapter } from '../../hubspot/index.js';
import type { SalesforceAdapter } from '../../salesforce/index.js';
import { openStore, type Store } from '../../store/index.js';
import { listerFor, runVerify } from '../../verify/index.js';
import { runImport } from '../import/run.js';
import { createRollupHook } from '../rollups/hook.js';
import { defaultRollupPropertyNames } from '../rollups/index.js';
import { MASTER_PIPELINE_LABEL } from '../setup/plan.js';
import { connectEmulators } from '../testing/emulator-world.js';
import type { HubspotRest } from '../testing/hubspot-rest.js';
import type { SalesforceRest } from '../testing/salesforce-rest.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from './pass.js';

describe('a plain API-created opportunity in an org with record types', { timeout: 180_000 }, () => {
  let sfEmu: SalesforceEmulator;
  let hsEmu: HubspotEmulator;
  let sf: SalesforceAdapter;
  let hs: HubspotAdapter;
  let store: Store;
  let sfRest: SalesforceRest;
  let hsRest: HubspotRest;

  before(async () => {
    store = await openStore(':memory:');
    ({ sfEmu, hsEmu, sf, hs, sfRest, hsRest } = await connectEmulators({
      store,
      salesforceSeed: 'demo',
      hubspotSeed: 'demo',
    }));
  });
  after(async () => {
    sf?.close();
    await store?.close();
    await sfEmu?.close();
    await hsEmu?.close();
  });

  /** What a script or data loader sends: the fields the API requires, and one contact role. */
  async function plainOpportunity(name: string): Promise<string> {
    const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@plain.example`;
    const contactId = await sfRest.create('Contact', { LastName: name, Email: email });
    await hsRest.createContact(email);
    const oppId = await sfRest.create('Opportunity', {
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
    return oppId;
  }

  async function pipelineOf(oppId: string): Promise<string | undefined> {
    const deal = await hsRest.dealOf(oppId, ['pipeline', 'dealstage']);
    const pipelines = (await hsRest.call('GET', '/crm/v3/pipelines/deals')) as {
      results: { id: string; label: string }[];
    };
    return pipelines.results.find((p) => p.id === deal?.properties.pipeline)?.label;
  }

  test("setup creates the record types' pipelines, and no Master pipeline in an org without Master opportunities", async () => {
    // HubSpot counts pipelines against the portal's limit: Salesforce - Master comes when the
    // first Master opportunity does (stage-churn.integration.test.ts), or with setup in an org
    // that has some (below).
    const pipelines = (await hsRest.call('GET', '/crm/v3/pipelines/deals')) as {
      results: { label: string }[];
    };
    const labels = pipelines.results.map((p) => p.label);
    assert.ok(!labels.includes(MASTER_PIPELINE_LABEL), labels.join(', '));
    assert.ok(labels.some((l) => l.startsWith('Salesforce - ')));
  });

  test('import, then sync, carry plain opportunities (the default record type); verify is clean', async () => {
    const imported = await plainOpportunity('Plain Import Co');
    // Salesforce gives a create without RecordTypeId the running user's default record type.
    const [row] = await sfRest.query<{ RecordType: { Name: string } | null }>(
      `SELECT RecordType.Name FROM Opportunity WHERE Id = '${imported}'`,
    );
    assert.ok(row?.RecordType?.Name, 'a default record type was given');
    const defaultPipeline = `Salesforce - ${row.RecordType.Name}`;

    const result = await runImport({ salesforce: sf, hubspot: hs, store });
    assert.equal(result.run.failed, 0, JSON.stringify(await store.listErrors()));
    assert.equal(await pipelineOf(imported), defaultPipeline);

    await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    const engine = new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
      onTouched: createRollupHook({ salesforce: sf, hubspot: hs, store }),
    });
    const synced = await plainOpportunity('Plain Sync Co');
    const pass = await engine.runPass();
    assert.equal(pass.failed, 0, JSON.stringify(await store.listErrors()));
    assert.equal(await pipelineOf(synced), defaultPipeline);
    assert.deepEqual(
      (await store.listErrors()).filter((e) => e.code === 'STAGE_NOT_MAPPED'),
      [],
    );

    const list = listerFor(hs);
    const report = await runVerify(
      { salesforce: sf, hubspot: hs, list },
      { rule: 'created', lifecycle: true, names: defaultRollupPropertyNames },
    );
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  });
});

describe('Master-record-type opportunities of an old org (--seed messy)', { timeout: 180_000 }, () => {
  test('import puts them in Salesforce - Master; none fails STAGE_NOT_MAPPED, a retired stage included', async () => {
    const store = await openStore(':memory:');
    const { sfEmu, hsEmu, sf, hs, sfRest, hsRest } = await connectEmulators({
      store,
      salesforceSeed: 'messy',
      hubspotSeed: 'messy',
    });
    try {
      const afterSetup = (await hsRest.call('GET', '/crm/v3/pipelines/deals')) as {
        results: { label: string }[];
      };
      assert.ok(
        afterSetup.results.some((p) => p.label === MASTER_PIPELINE_LABEL),
        'setup makes Salesforce - Master in an org that has Master opportunities',
      );
      const result = await runImport({ salesforce: sf, hubspot: hs, store });
      assert.ok(result.run.created > 0);
      const masters = await sfRest.query<{ Id: string; StageName: string }>(
        'SELECT Id, StageName FROM Opportunity WHERE RecordTypeId = null',
      );
      assert.ok(masters.length > 0, 'the messy org has Master opportunities');
      const active = new Set(
        (
          await sfRest.query<{ ApiName: string }>(
            'SELECT ApiName FROM OpportunityStage WHERE IsActive = true',
          )
        ).map((s) => s.ApiName),
      );
      const errors = new Map((await store.listErrors()).map((e) => [e.recordKey, e.code]));
      const pipelines = (await hsRest.call('GET', '/crm/v3/pipelines/deals')) as {
        results: { id: string; label: string }[];
      };
      const master = pipelines.results.find((p) => p.label === MASTER_PIPELINE_LABEL);
      assert.ok(master);
      let synced = 0;
      let retired = 0;
      for (const o of masters) {
        const code = errors.get(`opportunity:${o.Id}`);
        // A retired stage the record still holds is added to the pipeline (autoProvision, on by default).
        assert.notEqual(
          code,
          'STAGE_NOT_MAPPED',
          `${o.Id} ${o.StageName} ${active.has(o.StageName) ? '' : '(inactive)'}`,
        );
        const deal = await hsRest.dealOf(o.Id, ['pipeline']);
        if (!deal) continue;
        synced++;
        if (!active.has(o.StageName)) retired++;
        assert.equal(deal.properties.pipeline, master.id, o.Id);
      }
      assert.ok(synced > 0, 'some Master opportunities are in scope and synced');
      assert.ok(retired > 0, 'some of them in a retired stage');
    } finally {
      sf.close();
      await store.close();
      await sfEmu.close();
      await hsEmu.close();
    }
  });
});
