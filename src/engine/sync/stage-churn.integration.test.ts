// Issue #10 §1 against both emulators: each record type's pipeline holds only its sales process's
// stages; `Salesforce - Master` comes with the first Master opportunity; record types and stages
// added, renamed or deactivated in Salesforce's Setup after setup are noticed by the sync's
// metadata check (at most every few minutes, on the engine's clock) and provisioned with
// `autoProvision` on, or reported as STAGE_NOT_MAPPED with the command that fixes it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HubspotEmulator } from '../../../emulators/hubspot/index.js';
import type { SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import type { HubspotAdapter } from '../../hubspot/index.js';
import type { SalesforceAdapter } from '../../salesforce/index.js';
import { openStore, type Store } from '../../store/index.js';
import { MASTER_PIPELINE_LABEL } from '../setup/plan.js';
import { runSetup } from '../setup/run-setup.js';
import { connectEmulators } from '../testing/emulator-world.js';
import type { HubspotRest } from '../testing/hubspot-rest.js';
import type { SalesforceRest } from '../testing/salesforce-rest.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from './pass.js';

interface Pipeline {
  id: string;
  label: string;
  stages: { id: string; label: string; displayOrder: number }[];
}

describe('record types, sales processes and stage churn', { timeout: 240_000 }, () => {
  let sfEmu: SalesforceEmulator;
  let hsEmu: HubspotEmulator;
  let sf: SalesforceAdapter;
  let hs: HubspotAdapter;
  let store: Store;
  let sfRest: SalesforceRest;
  let hsRest: HubspotRest;
  let engine: SyncEngine;
  let recordTypes: Map<string, string>;
  /** The engine's clock runs ahead of real time by this much: the metadata check reads it. */
  let aheadMs = 0;
  const MINUTE = 60_000;

  before(async () => {
    store = await openStore(':memory:');
    ({ sfEmu, hsEmu, sf, hs, sfRest, hsRest } = await connectEmulators({
      store,
      salesforceSeed: 'demo',
      hubspotSeed: 'demo',
    }));
    const rts = await sfRest.query<{ Id: string; Name: string }>(
      "SELECT Id, Name FROM RecordType WHERE SobjectType = 'Opportunity'",
    );
    recordTypes = new Map(rts.map((r) => [r.Name, r.Id]));
    await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    engine = new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      now: () => new Date(Date.now() + aheadMs),
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
    });
  });
  after(async () => {
    sf?.close();
    await store?.close();
    await sfEmu?.close();
    await hsEmu?.close();
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await sfEmu.admin.call(method, path, body);
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const pipelines = async () =>
    ((await hsRest.call('GET', '/crm/v3/pipelines/deals')) as { results: Pipeline[] }).results;
  const pipeline = async (label: string) => (await pipelines()).find((p) => p.label === label);
  /** Stage labels in HubSpot's display order, as its board shows them. */
  const labelsOf = (p: Pipeline | undefined) =>
    p && [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder).map((s) => s.label);

  let seq = 0;
  /** A contact in both systems and a contact role: what puts an opportunity in scope. */
  async function linkContact(oppId: string): Promise<void> {
    const email = `churn.${++seq}@plain.example`;
    const contactId = await sfRest.create('Contact', { LastName: `Churn ${seq}`, Email: email });
    await hsRest.createContact(email);
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  }
  /** What a script sends: name, stage, close date; Salesforce gives the user's default record type. */
  async function plainOpportunity(name: string, stage: string): Promise<string> {
    const id = await sfRest.create('Opportunity', { Name: name, StageName: stage, CloseDate: '2026-12-31' });
    await linkContact(id);
    return id;
  }
  async function pass() {
    const result = await engine.runPass();
    return result;
  }
  async function stageOf(oppId: string): Promise<{ pipeline: string; stage: string } | undefined> {
    const deal = await hsRest.dealOf(oppId, ['pipeline', 'dealstage']);
    if (!deal) return undefined;
    const p = (await pipelines()).find((x) => x.id === deal.properties.pipeline);
    return {
      pipeline: p?.label ?? String(deal.properties.pipeline),
      stage:
        p?.stages.find((s) => s.id === deal.properties.dealstage)?.label ?? String(deal.properties.dealstage),
    };
  }

  test("each record type's pipeline holds only its sales process's stages; no Master pipeline without Master opportunities", async () => {
    assert.deepEqual(labelsOf(await pipeline('Salesforce - Renewal')), [
      'Qualification',
      'Proposal/Price Quote',
      'Negotiation/Review',
      'Closed Won',
      'Closed Lost',
    ]);
    assert.equal((await pipeline('Salesforce - New Business'))?.stages.length, 10);
    assert.equal(await pipeline(MASTER_PIPELINE_LABEL), undefined);
  });

  test('the first Master opportunity creates Salesforce - Master and its deal lands there', async () => {
    // An old org's record from before record types: RecordTypeId null (planted raw, as seeds do).
    const planted = (await admin('POST', 'records/Opportunity', {
      Name: 'From before record types',
      StageName: 'Prospecting',
      CloseDate: '2026-10-01',
      RecordTypeId: null,
      OwnerId: (await sfRest.query<{ Id: string }>('SELECT Id FROM User LIMIT 1'))[0]!.Id,
    })) as { ids: string[] };
    const oppId = planted.ids[0]!;
    await linkContact(oppId);
    assert.equal(await pipeline(MASTER_PIPELINE_LABEL), undefined, 'not there before');
    const result = await pass();
    assert.equal(result.failed, 0, JSON.stringify(await store.listErrors()));
    assert.deepEqual(await stageOf(oppId), { pipeline: MASTER_PIPELINE_LABEL, stage: 'Prospecting' });
    assert.equal((await pipeline(MASTER_PIPELINE_LABEL))?.stages.length, 10);
  });

  test('a stage renamed in Salesforce renames its HubSpot stage, within the check interval only after it', async () => {
    const oppId = await plainOpportunity('Rename Co', 'Value Proposition');
    await pass();
    const before = await pipeline('Salesforce - New Business');
    const stageId = before?.stages.find((s) => s.label === 'Value Proposition')?.id;
    assert.ok(stageId);
    await admin('PATCH', `stages/${encodeURIComponent('Value Proposition')}`, { label: 'Value Pitch' });

    aheadMs += MINUTE; // not yet due: the check runs at most every 5 minutes
    assert.equal((await pass()).metadataCheck, undefined);
    assert.ok(labelsOf(await pipeline('Salesforce - New Business'))?.includes('Value Proposition'));

    aheadMs += 5 * MINUTE;
    const result = await pass();
    assert.equal(result.metadataCheck?.provisioned, true, JSON.stringify(result.metadataCheck));
    const after = await pipeline('Salesforce - New Business');
    assert.equal(after?.stages.find((s) => s.id === stageId)?.label, 'Value Pitch');
    assert.equal(after?.stages.length, before?.stages.length, 'renamed, not added');
    assert.deepEqual(await stageOf(oppId), { pipeline: 'Salesforce - New Business', stage: 'Value Pitch' });
    // Renewal's process has no such stage: its pipeline is left as it was.
    assert.equal((await pipeline('Salesforce - Renewal'))?.stages.length, 5);
  });

  test("an added stage goes to its record types' pipelines in order, and opportunities in it sync", async () => {
    // Setup › New stage, then the closed stages moved down to make room (Salesforce orders by SortOrder).
    await admin('POST', 'stages', {
      label: 'Contract Sent',
      probability: 95,
      sortOrder: 9,
      recordTypeIds: [recordTypes.get('Renewal')],
    });
    await admin('PATCH', `stages/${encodeURIComponent('Closed Won')}`, { sortOrder: 10 });
    await admin('PATCH', `stages/${encodeURIComponent('Closed Lost')}`, { sortOrder: 11 });
    aheadMs += 6 * MINUTE;
    await pass();
    assert.deepEqual(labelsOf(await pipeline('Salesforce - Renewal')), [
      'Qualification',
      'Proposal/Price Quote',
      'Negotiation/Review',
      'Contract Sent',
      'Closed Won',
      'Closed Lost',
    ]);
    assert.ok(!labelsOf(await pipeline('Salesforce - New Business'))?.includes('Contract Sent'));
    await admin('PUT', 'default-record-type', { recordTypeId: recordTypes.get('Renewal') });
    const oppId = await plainOpportunity('Contract Co', 'Contract Sent');
    assert.equal((await pass()).failed, 0, JSON.stringify(await store.listErrors()));
    assert.deepEqual(await stageOf(oppId), { pipeline: 'Salesforce - Renewal', stage: 'Contract Sent' });
    await admin('PUT', 'default-record-type', { recordTypeId: recordTypes.get('New Business') });
  });

  test('a record type added in Salesforce gets its pipeline without a restart', async () => {
    await admin('POST', 'record-types', {
      name: 'Partner Deal',
      stages: ['Qualification', 'Negotiation/Review', 'Closed Won', 'Closed Lost'],
    });
    aheadMs += 6 * MINUTE;
    const result = await pass();
    assert.ok(result.metadataCheck?.pipelines.some((p) => p.label === 'Salesforce - Partner Deal'));
    assert.deepEqual(labelsOf(await pipeline('Salesforce - Partner Deal')), [
      'Qualification',
      'Negotiation/Review',
      'Closed Won',
      'Closed Lost',
    ]);
  });

  test('a deactivated stage keeps its HubSpot stage for the deals in it', async () => {
    const oppId = await plainOpportunity('Retired Stage Co', 'Needs Analysis');
    await pass();
    const before = await stageOf(oppId);
    assert.deepEqual(before, { pipeline: 'Salesforce - New Business', stage: 'Needs Analysis' });
    await admin('PATCH', `stages/${encodeURIComponent('Needs Analysis')}`, { active: false });
    aheadMs += 6 * MINUTE;
    await pass();
    await runSetup({ salesforce: sf, hubspot: hs, store });
    engine.invalidateContext();
    await sfRest.update('Opportunity', oppId, { Amount: 1234 });
    const result = await pass();
    assert.equal(result.failed, 0, JSON.stringify(await store.listErrors()));
    assert.deepEqual(await stageOf(oppId), before);
    assert.equal((await hsRest.dealOf(oppId, ['amount']))?.properties.amount, '1234');
  });

  test('with autoProvision off a new stage fails STAGE_NOT_MAPPED naming `dealbridge setup`, which fixes it', async () => {
    await writeSetting(store, 'autoProvision', false);
    await admin('POST', 'stages', {
      label: 'Legal Review',
      probability: 80,
      recordTypeIds: [recordTypes.get('New Business')],
    });
    aheadMs += 6 * MINUTE;
    const checked = await pass();
    assert.deepEqual(checked.metadataCheck, { changed: true, provisioned: false, pipelines: [] });
    const oppId = await plainOpportunity('Legal Co', 'Legal Review');
    await pass();
    const error = (await store.listErrors({ code: 'STAGE_NOT_MAPPED' })).find(
      (e) => e.recordKey === `opportunity:${oppId}`,
    );
    assert.ok(error, JSON.stringify(await store.listErrors()));
    assert.match(error.message, /"Legal Review".*autoProvision is off.*`dealbridge setup`/);
    assert.equal(await hsRest.dealOf(oppId), undefined, 'no deal written half-mapped');

    const report = await runSetup({ salesforce: sf, hubspot: hs, store });
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    engine.invalidateContext();
    assert.equal((await pass()).failed, 0, JSON.stringify(await store.listErrors()));
    assert.deepEqual(await stageOf(oppId), { pipeline: 'Salesforce - New Business', stage: 'Legal Review' });
  });
});
