// Issue #10's first probe: an opportunity created through the API the plain way (name, stage,
// close date, one contact role, no RecordTypeId) in an org that has record types. Salesforce gives
// it the Master record type when the creating user has no default (RecordTypeId null); before,
// every sync and import of it failed STAGE_NOT_MAPPED. Now setup makes `Salesforce - Master`,
// import, sync and verify all carry it, and the demo org's own opportunities stay as they were.
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

describe('an opportunity without a record type (Master)', { timeout: 180_000 }, () => {
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

  test('setup creates the Master pipeline beside the record types', async () => {
    const pipelines = (await hsRest.call('GET', '/crm/v3/pipelines/deals')) as {
      results: { label: string }[];
    };
    const labels = pipelines.results.map((p) => p.label);
    assert.ok(labels.includes(MASTER_PIPELINE_LABEL), labels.join(', '));
    assert.ok(labels.some((l) => l.startsWith('Salesforce - ') && l !== MASTER_PIPELINE_LABEL));
  });

  test('import, then sync, carry plain opportunities into Salesforce - Master; verify is clean', async () => {
    const imported = await plainOpportunity('Plain Import Co');
    const [row] = await sfRest.query<{ RecordTypeId: string | null }>(
      `SELECT RecordTypeId FROM Opportunity WHERE Id = '${imported}'`,
    );
    assert.equal(
      row?.RecordTypeId ?? null,
      null,
      'the emulator leaves a plain create on the Master record type',
    );

    const result = await runImport({ salesforce: sf, hubspot: hs, store });
    assert.equal(result.run.failed, 0, JSON.stringify(await store.listErrors()));
    assert.equal(await pipelineOf(imported), MASTER_PIPELINE_LABEL);

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
    assert.equal(await pipelineOf(synced), MASTER_PIPELINE_LABEL);
    assert.deepEqual(
      (await store.listErrors()).filter((e) => e.code === 'STAGE_NOT_MAPPED'),
      [],
    );

    const list = listerFor(hs);
    assert.ok(list);
    const report = await runVerify(
      { salesforce: sf, hubspot: hs, list },
      { rule: 'created', lifecycle: true, names: defaultRollupPropertyNames },
    );
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  });
});
