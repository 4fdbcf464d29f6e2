// Issue #11 §2 and the HubSpot side of the messy portal: deals a HubSpot user deleted or edited.
// - A deal deleted in HubSpot (archived, restorable) while its opportunity lives: before, it came
//   back only at the opportunity's next change, and with `createdate` = the sync time. Now the
//   write that finds it gone (the upsert answers "created") creates it again in the same pass with
//   `createdate` = the opportunity's CreatedDate, its associations, and an audit entry `recreate`.
// - A deal edited in HubSpot (amount, stage, pipeline): one-way sync. The "Always use Salesforce"
//   values stay as the user left them until the opportunity next changes, which rewrites them;
//   `verify` reports the difference until then.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HubspotEmulator } from '../../../emulators/hubspot/index.js';
import type { SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import type { HubspotAdapter } from '../../hubspot/index.js';
import type { SalesforceAdapter } from '../../salesforce/index.js';
import { openStore, type Store } from '../../store/index.js';
import { listerFor, runVerify, type VerifyReport } from '../../verify/index.js';
import { createRollupHook } from '../rollups/hook.js';
import { defaultRollupPropertyNames } from '../rollups/index.js';
import { connectEmulators } from '../testing/emulator-world.js';
import type { HubspotRest } from '../testing/hubspot-rest.js';
import type { SalesforceRest } from '../testing/salesforce-rest.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine, type PassResult } from './pass.js';

describe('deals deleted or edited by a HubSpot user', { timeout: 180_000 }, () => {
  let sfEmu: SalesforceEmulator;
  let hsEmu: HubspotEmulator;
  let sf: SalesforceAdapter;
  let hs: HubspotAdapter;
  let store: Store;
  let sfRest: SalesforceRest;
  let hsRest: HubspotRest;
  let engine: SyncEngine;
  let n = 0;

  before(async () => {
    store = await openStore(':memory:');
    ({ sfEmu, hsEmu, sf, hs, sfRest, hsRest } = await connectEmulators({ store }));
    await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    engine = new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      // The recycle-bin check of deals deleted in HubSpot runs every pass here.
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0, deletedDealsCheckIntervalMs: 0 },
      onTouched: createRollupHook({ salesforce: sf, hubspot: hs, store }),
    });
  });
  after(async () => {
    sf?.close();
    await store?.close();
    await sfEmu?.close();
    await hsEmu?.close();
  });

  /** An opportunity with the fields the API requires and one contact role of a HubSpot contact. */
  async function opportunity(name: string): Promise<{ oppId: string; hsContact: string }> {
    n++;
    const email = `edits.${n}@hubspot-edits.example`;
    const contactId = await sfRest.create('Contact', { LastName: name, Email: email });
    const hsContact = await hsRest.createContact(email);
    const oppId = await sfRest.create('Opportunity', {
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2026-06-30',
      Amount: 1000,
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
    return { oppId, hsContact };
  }

  async function pass(on: SyncEngine = engine): Promise<PassResult> {
    const r = await on.runPass();
    assert.equal(r.failed, 0, JSON.stringify(await store.listErrors()));
    return r;
  }

  async function createdDate(oppId: string): Promise<string> {
    const [row] = await sfRest.query<{ CreatedDate: string }>(
      `SELECT CreatedDate FROM Opportunity WHERE Id = '${oppId}'`,
    );
    assert.ok(row);
    return row.CreatedDate;
  }

  /** The deal of `oppId` is a new one (not `deletedId`), dated CreatedDate, linked, audited, error-free. */
  async function assertRecreated(oppId: string, deletedId: string, contacts: string[]): Promise<void> {
    const again = await hsRest.dealOf(oppId, ['createdate']);
    assert.ok(again, 'the deal is created again');
    assert.notEqual(again.id, deletedId);
    assert.equal(
      new Date(again.properties.createdate ?? '').getTime(),
      new Date(await createdDate(oppId)).getTime(),
    );
    assert.deepEqual(await hsRest.associated(again.id, 'contacts'), [...contacts].sort());
    assert.equal(
      (await hsRest.allDeals()).filter((d) => d.properties.salesforce_opportunity_id === oppId).length,
      1,
    );
    assert.equal((await store.getDealLinks([oppId])).get(oppId)?.dealId, again.id);
    const audit = await store.auditFor(`deal:${again.id}`, 50);
    const why = audit.find((e) => e.field === '@deal');
    assert.deepEqual([why?.reason, why?.oldValue, why?.newValue], ['recreate', deletedId, again.id]);
    assert.ok(audit.some((e) => e.field === 'createdate' && e.reason === 'recreate'));
    assert.deepEqual(
      (await store.listErrors()).filter((e) => e.recordKey === `opportunity:${oppId}`),
      [],
    );
  }

  async function verify(): Promise<VerifyReport> {
    const list = listerFor(hs);
    return runVerify(
      { salesforce: sf, hubspot: hs, list },
      { rule: 'created', lifecycle: true, names: defaultRollupPropertyNames },
    );
  }

  test('a deal deleted in HubSpot is created again at the next write, with CreatedDate and an audit entry', async () => {
    const { oppId, hsContact } = await opportunity('Deleted deal');
    await pass();
    const [row] = await sfRest.query<{ CreatedDate: string }>(
      `SELECT CreatedDate FROM Opportunity WHERE Id = '${oppId}'`,
    );
    assert.ok(row);
    const first = await hsRest.dealOf(oppId);
    assert.ok(first);

    await hsRest.call('DELETE', `/crm/v3/objects/deals/${first.id}`);
    const missing = await verify();
    assert.ok(
      missing.differences.some((d) => d.check === 'missing_deal' && d.record === `opportunity:${oppId}`),
      JSON.stringify(missing.differences),
    );
    // Sync time runs ahead of CreatedDate: a deal dated "now" would show.
    await hsRest.call('POST', '/__emulator/clock', { advanceMs: 3 * 24 * 3600_000 });
    await sfRest.update('Opportunity', oppId, { Amount: 1200 });
    await pass();

    const again = await hsRest.dealOf(oppId, ['createdate', 'amount']);
    assert.ok(again);
    assert.notEqual(again.id, first.id);
    assert.equal(new Date(again.properties.createdate ?? '').getTime(), new Date(row.CreatedDate).getTime());
    assert.equal(Number(again.properties.amount), 1200);
    assert.deepEqual(await hsRest.associated(again.id, 'contacts'), [hsContact]);
    assert.equal(
      (await hsRest.allDeals()).filter((d) => d.properties.salesforce_opportunity_id === oppId).length,
      1,
    );
    assert.equal((await store.getDealLinks([oppId])).get(oppId)?.dealId, again.id);
    const audit = await store.auditFor(`deal:${again.id}`, 50);
    const why = audit.find((e) => e.field === '@deal');
    assert.deepEqual([why?.reason, why?.oldValue, why?.newValue], ['recreate', first.id, again.id]);
    assert.ok(audit.some((e) => e.field === 'createdate' && e.reason === 'recreate'));
    assert.deepEqual(
      (await store.listErrors()).filter((e) => e.recordKey === `opportunity:${oppId}`),
      [],
    );
    const report = await verify();
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  });

  test('a deal deleted in HubSpot is created again by the recycle-bin check, with no change to the opportunity', async () => {
    const { oppId, hsContact } = await opportunity('Deleted, unchanged');
    await pass();
    const first = await hsRest.dealOf(oppId);
    assert.ok(first);

    await hsRest.call('DELETE', `/crm/v3/objects/deals/${first.id}`);
    await hsRest.call('POST', '/__emulator/clock', { advanceMs: 3 * 24 * 3600_000 });
    // Nothing changes in Salesforce: only the check of HubSpot's recycle bin can find the deal gone.
    const r = await pass();
    assert.equal(r.created, 1);
    await assertRecreated(oppId, first.id, [hsContact]);
    // The deleted deal no longer matches a link: the next check writes nothing.
    const next = await pass();
    assert.deepEqual([next.created, next.updated], [0, 0]);
    const report = await verify();
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  });

  test('a deal deleted in HubSpot whose opportunity only gains a contact role is created again, not ASSOCIATION_FAILED', async () => {
    // An engine whose recycle-bin check ran at its first pass and is not due again for an hour.
    const later = new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0, deletedDealsCheckIntervalMs: 3600_000 },
      onTouched: createRollupHook({ salesforce: sf, hubspot: hs, store }),
    });
    const { oppId, hsContact } = await opportunity('Deleted, new role');
    await pass(later);
    const first = await hsRest.dealOf(oppId);
    assert.ok(first);

    await hsRest.call('DELETE', `/crm/v3/objects/deals/${first.id}`);
    await hsRest.call('POST', '/__emulator/clock', { advanceMs: 3 * 24 * 3600_000 });
    const email = `edits.role.${n}@hubspot-edits.example`;
    const contactId = await sfRest.create('Contact', { LastName: 'Second role', Email: email });
    const second = await hsRest.createContact(email);
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
    await pass(later);
    await assertRecreated(oppId, first.id, [hsContact, second]);
    const report = await verify();
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  });

  test('a deal deleted in HubSpot whose opportunity lost its last HubSpot contact is not created again', async () => {
    n++;
    const email = `edits.${n}@hubspot-edits.example`;
    const contactId = await sfRest.create('Contact', { LastName: 'Gone role', Email: email });
    await hsRest.createContact(email);
    const oppId = await sfRest.create('Opportunity', {
      Name: 'Deleted, no contact',
      StageName: 'Prospecting',
      CloseDate: '2026-06-30',
    });
    const roleId = await sfRest.create('OpportunityContactRole', {
      OpportunityId: oppId,
      ContactId: contactId,
    });
    await pass();
    const first = await hsRest.dealOf(oppId);
    assert.ok(first);

    await hsRest.call('DELETE', `/crm/v3/objects/deals/${first.id}`);
    await sfRest.delete('OpportunityContactRole', roleId);
    await pass();
    assert.equal(await hsRest.dealOf(oppId), undefined);
    assert.equal((await store.getDealLinks([oppId])).get(oppId)?.archived, true);
    assert.deepEqual(
      (await store.listErrors()).filter((e) => e.recordKey === `opportunity:${oppId}`),
      [],
    );
    // A contact role of a HubSpot contact again: the deal is created anew, dated CreatedDate.
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
    await pass();
    const back = await hsRest.dealOf(oppId, ['createdate']);
    assert.ok(back);
    assert.equal(
      new Date(back.properties.createdate ?? '').getTime(),
      new Date(await createdDate(oppId)).getTime(),
    );
  });

  test('a deal edited in HubSpot keeps the edit until the opportunity next changes; verify reports it until then', async () => {
    const { oppId } = await opportunity('Edited deal');
    await pass();
    const deal = await hsRest.dealOf(oppId, ['amount', 'closedate', 'dealstage', 'pipeline']);
    assert.ok(deal);
    const synced = { ...deal.properties };

    // A user moves the deal to HubSpot's own pipeline, closes it won and changes the amount.
    await hsRest.call('PATCH', `/crm/v3/objects/deals/${deal.id}`, {
      properties: { amount: '5', pipeline: 'default', dealstage: 'closedwon' },
    });
    // Passes without a Salesforce change write nothing back (one-way sync, by content hash).
    await pass();
    let now = await hsRest.dealOf(oppId, ['amount', 'dealstage', 'pipeline']);
    assert.deepEqual(
      [now?.properties.amount, now?.properties.pipeline, now?.properties.dealstage],
      ['5', 'default', 'closedwon'],
    );
    const edited = await verify();
    const fields = edited.differences
      .filter((d) => d.record === `opportunity:${oppId}`)
      .map((d) => d.field)
      .sort();
    // HubSpot sets closedate itself when a deal enters a closed stage; verify checks the pipeline
    // with the stage (the stage's label in its pipeline).
    assert.deepEqual(fields, ['amount', 'closedate', 'dealstage'], JSON.stringify(edited.differences));

    // The opportunity changes (here only its description): the "Always use Salesforce" values are
    // written again, the user's edit is undone.
    // A second later on Salesforce's clock, as in an org (an edit in the second of the last read is
    // the late-commit sweep's: docs/sync.md, "Edits within one second").
    sfEmu.admin.state.clock.advance(1000);
    await sfRest.update('Opportunity', oppId, { Description: 'Next step: contract' });
    await pass();
    now = await hsRest.dealOf(oppId, ['amount', 'closedate', 'dealstage', 'pipeline']);
    assert.deepEqual(
      [
        now?.properties.amount,
        now?.properties.pipeline,
        now?.properties.dealstage,
        now?.properties.closedate,
      ],
      [synced.amount, synced.pipeline, synced.dealstage, synced.closedate],
    );
    const report = await verify();
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  });
});
