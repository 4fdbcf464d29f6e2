// End to end through both emulators' public APIs, with the real adapters (jsforce, the HubSpot
// transport) and the SQLite store: fields, triggers, the scope rule, a bad input among good ones,
// 429 storms and 5xx from HubSpot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DealbridgeError } from '../../errors/index.js';
import { openStore, type Store } from '../../store/index.js';
import { createRollupHook } from '../rollups/hook.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from './pass.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';

interface World extends EmulatorWorld {
  store: Store;
  engine: SyncEngine;
}

async function world(): Promise<World> {
  const store = await openStore(':memory:');
  const emulators = await connectEmulators({ store });
  const { sf, hs } = emulators;
  await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
  return {
    ...emulators,
    store,
    engine: new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
      // As the runtime wires it: rollups also carry `salesforce_contact_id` of email matches.
      onTouched: createRollupHook({ salesforce: sf, hubspot: hs, store }),
    }),
  };
}

/** A Salesforce contact with a role on a new opportunity; the contact is in HubSpot unless told. */
async function opportunity(w: World, name: string, fields: Record<string, unknown> = {}, inHubspot = true) {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`;
  const contactId = await w.sfRest.create('Contact', { LastName: name, Email: email });
  const hsContactId = inHubspot ? await w.hsRest.createContact(email) : null;
  const oppId = await w.sfRest.create('Opportunity', {
    Name: name,
    StageName: 'Prospecting',
    CloseDate: '2024-10-31',
    ...fields,
  });
  await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  return { oppId, contactId, email, hsContactId };
}

describe('sync through both emulators', () => {
  let w: World;
  before(async () => {
    w = await world();
  });
  after(async () => {
    w.sf.close();
    await w.store.close();
    await w.sfEmu.close();
    await w.hsEmu.close();
  });

  test('every mapped field, then update, contact roles, account change, delete and undelete', async () => {
    const acc = await w.sfRest.create('Account', {
      Name: 'Umbrella',
      Website: 'http://www.umbrella.example/home',
    });
    const { oppId, hsContactId } = await opportunity(w, 'Umbrella expansion', {
      Amount: 98765.43,
      CloseDate: '2025-01-15',
      StageName: 'Negotiation/Review',
      Type: 'Existing Customer - Upgrade',
      Description: 'Multi\nline',
      AccountId: acc,
    });
    const r = await w.engine.runPass();
    assert.equal(r.created, 1, JSON.stringify(r));
    const props = [
      'amount',
      'closedate',
      'createdate',
      'dealstage',
      'pipeline',
      'dealtype',
      'description',
      'hubspot_owner_id',
    ];
    const deal = await w.hsRest.dealOf(oppId, props);
    assert.ok(deal);
    assert.equal(deal.properties.dealname, 'Umbrella expansion');
    assert.equal(Number(deal.properties.amount), 98765.43);
    assert.equal(new Date(deal.properties.closedate ?? '').toISOString(), '2025-01-15T00:00:00.000Z');
    assert.equal(deal.properties.dealtype, 'existingbusiness');
    assert.equal(deal.properties.description, 'Multi\nline');
    assert.equal(deal.properties.hubspot_owner_id, '501');
    const pipelines = (await w.hs.dealPipelines()).filter((p) => p.label.startsWith('Salesforce'));
    const stage = pipelines.flatMap((p) => p.stages).find((s) => s.label === 'Negotiation/Review');
    assert.equal(deal.properties.dealstage, stage?.id);
    assert.deepEqual(await w.hsRest.associated(deal.id, 'contacts'), [hsContactId]);
    const [companyId] = await w.hsRest.associated(deal.id, 'companies');
    const company = await w.hsRest.get('companies', companyId ?? '', ['domain', 'salesforce_account_id']);
    assert.equal(company?.properties.salesforce_account_id, acc);
    assert.equal(company?.properties.domain, 'umbrella.example');

    w.later();
    await w.sfRest.update('Opportunity', oppId, { Amount: 100, StageName: 'Closed Lost' });
    await w.engine.runPass();
    const lost = await w.hsRest.dealOf(oppId, ['amount', 'dealstage']);
    assert.equal(Number(lost?.properties.amount), 100);
    assert.equal(
      lost?.properties.dealstage,
      pipelines.flatMap((p) => p.stages).find((s) => s.label === 'Closed Lost')?.id,
    );

    w.later();
    const second = await w.sfRest.create('Contact', { LastName: 'Second', Email: 'second@example.com' });
    const hsSecond = await w.hsRest.createContact('Second@Example.com');
    const role = await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: second });
    await w.engine.runPass();
    assert.deepEqual(await w.hsRest.associated(deal.id, 'contacts'), [hsContactId, hsSecond].sort());
    w.later();
    await w.sfRest.delete('OpportunityContactRole', role);
    await w.engine.runPass();
    assert.deepEqual(await w.hsRest.associated(deal.id, 'contacts'), [hsContactId]);

    w.later();
    const acc2 = await w.sfRest.create('Account', { Name: 'Cyberdyne', Website: 'cyberdyne.example' });
    await w.sfRest.update('Opportunity', oppId, { AccountId: acc2 });
    await w.engine.runPass();
    const [company2] = await w.hsRest.associated(deal.id, 'companies');
    assert.notEqual(company2, companyId);
    assert.equal(
      (await w.hsRest.get('companies', company2 ?? '', ['salesforce_account_id']))?.properties
        .salesforce_account_id,
      acc2,
    );

    w.later();
    await w.sfRest.delete('Opportunity', oppId);
    const del = await w.engine.runPass();
    assert.equal(del.archived, 1);
    assert.equal(await w.hsRest.dealOf(oppId), undefined);

    w.later();
    await w.sfEmu.admin.call('POST', '/__emulator/undelete', { ids: [oppId] });
    await w.engine.runPass();
    const back = (await w.hsRest.allDeals()).filter((d) => d.properties.salesforce_opportunity_id === oppId);
    assert.equal(back.length, 1);
  });

  test('the scope rule: no HubSpot contact, no deal; the contact appearing brings it', async () => {
    const { oppId, email } = await opportunity(w, 'Out of scope', {}, false);
    const r = await w.engine.runPass();
    assert.equal(r.skippedByReason.no_contact_in_hubspot, 1);
    assert.equal(await w.hsRest.dealOf(oppId), undefined);
    const hsId = await w.hsRest.createContact(email.toUpperCase());
    await w.engine.runPass();
    const deal = await w.hsRest.dealOf(oppId);
    assert.ok(deal, 'synced once the contact exists');
    assert.deepEqual(await w.hsRest.associated(deal.id, 'contacts'), [hsId]);
    const contact = await w.hsRest.get('contacts', hsId, ['salesforce_contact_id']);
    assert.ok(contact?.properties.salesforce_contact_id);
  });

  test('a bad input among good ones in one batch: the others sync, the bad one is an error', async () => {
    // The connector's cached mapping context still offers `newbusiness`; HubSpot no longer does.
    await w.engine.runPass();
    await w.hsRest.call('PATCH', '/crm/v3/properties/deals/dealtype', {
      options: [{ label: 'Existing Business', value: 'existingbusiness', displayOrder: 0, hidden: false }],
    });
    const good = [];
    for (let i = 0; i < 6; i++) good.push(await opportunity(w, `Batch good ${i}`));
    const bad = await opportunity(w, 'Batch bad', { Type: 'New Customer' });
    const r = await w.engine.runPass();
    assert.equal(r.created, 6, JSON.stringify(r));
    assert.equal(r.failed, 1);
    for (const g of good) assert.ok(await w.hsRest.dealOf(g.oppId));
    assert.equal(await w.hsRest.dealOf(bad.oppId), undefined);
    const errors = await w.store.listErrors({ recordKeys: [`opportunity:${bad.oppId}`] });
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.code ?? '', /HUBSPOT_VALIDATION|INVALID_PICKLIST/);
    assert.ok(errors[0]?.nextRetryAt);
  });

  test('429 storms and 5xx from HubSpot are retried; a lasting outage stops the pass, then it recovers', async () => {
    await w.hsRest.call('POST', '/__emulator/faults', {
      // New deals go through batch/create (inline associations), changed ones through batch/upsert.
      path: '/crm/v3/objects/deals/batch/*',
      status: 429,
      headers: { 'retry-after': '0' },
      body: {
        status: 'error',
        message: 'You have reached your secondly limit.',
        category: 'RATE_LIMITS',
        policyName: 'SECONDLY',
      },
      times: 2,
    });
    await w.hsRest.call('POST', '/__emulator/faults', {
      path: '/crm/v4/associations/*',
      status: 502,
      times: 1,
    });
    const a = await opportunity(w, 'Storm A');
    await w.engine.runPass();
    assert.ok(await w.hsRest.dealOf(a.oppId));

    await w.hsRest.call('POST', '/__emulator/faults', {
      // New deals go through batch/create (inline associations), changed ones through batch/upsert.
      path: '/crm/v3/objects/deals/batch/*',
      status: 503,
    });
    const b = await opportunity(w, 'Outage B');
    await assert.rejects(
      w.engine.runPass(),
      (e: unknown) => e instanceof DealbridgeError && e.code === 'HUBSPOT_UNAVAILABLE',
    );
    await w.hsRest.call('DELETE', '/__emulator/faults');
    await w.engine.runPass();
    const deals = (await w.hsRest.allDeals()).filter(
      (d) => d.properties.salesforce_opportunity_id === b.oppId,
    );
    assert.equal(deals.length, 1);
  });
});
