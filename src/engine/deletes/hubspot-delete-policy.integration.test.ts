// Issue #13, deletes per direction, through both emulators: a deal a HubSpot user deletes leaves
// its opportunity alone by default (the deal is written again), or deletes it with
// `hubspotDealDeletes delete`; after that nothing writes the deal again and the passes settle.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore, type Store } from '../../store/index.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine, type PassResult } from '../sync/pass.js';

let w: EmulatorWorld;
let store: Store;
let engine: SyncEngine;
let n = 0;

before(async () => {
  store = await openStore(':memory:');
  w = await connectEmulators({ store });
  await writeSetting(store, 'opportunitySync', true, { salesforce: w.sf });
  engine = new SyncEngine({
    salesforce: w.sf,
    hubspot: w.hs,
    store,
    options: { lookbackSeconds: 30, rescopeIntervalMs: 0, deletedDealsCheckIntervalMs: 0 },
  });
});
after(async () => {
  w?.sf.close();
  await store?.close();
  await w?.sfEmu.close();
  await w?.hsEmu.close();
});

async function pass(): Promise<PassResult> {
  const r = await engine.runPass();
  assert.equal(r.failed, 0, JSON.stringify(await store.listErrors()));
  return r;
}

async function linked(name: string): Promise<{ oppId: string; dealId: string }> {
  n++;
  const email = `deletes.${n}@policy.example`;
  const contactId = await w.sfRest.create('Contact', { LastName: name, Email: email });
  await w.hsRest.createContact(email);
  const oppId = await w.sfRest.create('Opportunity', {
    Name: name,
    StageName: 'Prospecting',
    CloseDate: '2026-06-30',
  });
  await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  w.later();
  await pass();
  const deal = await w.hsRest.dealOf(oppId);
  assert.ok(deal);
  return { oppId, dealId: deal.id };
}

const isDeleted = async (oppId: string) =>
  (
    await w.sfRest.queryAll<{ IsDeleted: boolean }>(`SELECT IsDeleted FROM Opportunity WHERE Id = '${oppId}'`)
  )[0]?.IsDeleted;

test('keep (the default): the opportunity stays and its deal is written again', async () => {
  const { oppId, dealId } = await linked('Kept');
  await w.hsRest.call('DELETE', `/crm/v3/objects/deals/${dealId}`);
  w.later();
  await pass();
  assert.equal(await isDeleted(oppId), false);
  const again = await w.hsRest.dealOf(oppId);
  assert.ok(again && again.id !== dealId, 'a new deal');
});

test('delete: the opportunity is deleted in Salesforce, the deal is not written again', async () => {
  await writeSetting(store, 'hubspotDealDeletes', 'delete', { salesforce: w.sf });
  const { oppId, dealId } = await linked('Deleted with its deal');
  const other = await linked('Untouched');
  await w.hsRest.call('DELETE', `/crm/v3/objects/deals/${dealId}`);
  w.later();
  await pass();
  assert.equal(await isDeleted(oppId), true);
  assert.equal(await isDeleted(other.oppId), false);
  assert.equal(await w.hsRest.dealOf(oppId), undefined, 'no deal made again');
  const audit = await store.auditFor(`opportunity:${oppId}`, 5);
  assert.ok(audit.some((e) => e.reason === 'delete'));
  w.later();
  w.hsEmu.admin.stats.reset();
  w.sfEmu.admin.state.stats.reset();
  await pass();
  w.later();
  await pass();
  const writes = Object.keys(w.sfEmu.admin.state.stats.toJSON().routes).filter((r) =>
    /\.(create|update|upsert|delete)$/.test(r),
  );
  assert.deepEqual(writes, [], 'nothing more on Salesforce');
  assert.equal(await w.hsRest.dealOf(oppId), undefined, 'the delete does not bring a deal back');
});
