import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dealLink } from './testing/fixtures.js';
import { describeEachDialect } from './testing/dialects.js';

describeEachDialect('store: settings and cursors', (h) => {
  test('a setting round-trips as JSON, is overwritten, and undefined removes it', async () => {
    const store = await h.open();
    assert.equal(store.dialect, h.dialect);
    assert.equal(await store.getSetting('opportunitySync'), undefined);
    await store.setSetting('opportunitySync', false);
    assert.equal(await store.getSetting<boolean>('opportunitySync'), false);
    const stageMap = { default: { Prospecting: 'appointmentscheduled' }, nested: [1, 'two', null] };
    await store.setSetting('stageMap', stageMap);
    await store.setSetting('opportunitySync', true);
    assert.deepEqual(await store.getSetting('stageMap'), stageMap);
    assert.equal(await store.getSetting('opportunitySync'), true);
    assert.deepEqual(await store.listSettings(), { opportunitySync: true, stageMap });
    await store.setSetting('opportunitySync', undefined);
    assert.equal(await store.getSetting('opportunitySync'), undefined);
    assert.deepEqual(await store.listSettings(), { stageMap }, 'a removed setting is not listed');
    await store.setSetting('empty', null);
    assert.equal(await store.getSetting('empty'), null);
  });

  test('cursors are stored per name and moved by setCursor', async () => {
    const store = await h.open();
    assert.equal(await store.getCursor('Opportunity'), undefined);
    await store.setCursor('Opportunity', { modstamp: '2024-05-20T20:49:32.000Z', id: '006A' });
    await store.setCursor('OpportunityContactRole', { modstamp: '2024-05-20T20:00:00.000Z', id: '00KA' });
    await store.setCursor('Opportunity', { modstamp: '2024-05-21T00:00:00.000Z', id: '006B' });
    assert.deepEqual(await store.getCursor('Opportunity'), {
      modstamp: '2024-05-21T00:00:00.000Z',
      id: '006B',
    });
    const all = await store.listCursors();
    assert.deepEqual([...all.keys()], ['Opportunity', 'OpportunityContactRole']);
    assert.equal(all.get('OpportunityContactRole')?.id, '00KA');
    assert.match(all.get('Opportunity')?.updatedAt ?? '', /^\d{4}-\d\d-\d\dT/);
    await store.deleteCursor('Opportunity');
    assert.equal(await store.getCursor('Opportunity'), undefined);
  });
});

describeEachDialect('store: links', (h) => {
  test('deal links upsert and read back exactly, missing ids are absent', async () => {
    const store = await h.open();
    assert.equal((await store.getDealLinks(['006X'])).size, 0);
    const a = dealLink('006A');
    const b = dealLink('006B', {
      dealId: null,
      propertiesHash: null,
      associationsHash: null,
      lastValues: {},
      lastSyncedAt: null,
    });
    await store.saveDealLinks([a, b]);
    const got = await store.getDealLinks(['006A', '006B', '006C', '006A']);
    assert.equal(got.size, 2);
    assert.deepEqual(got.get('006A'), a);
    assert.deepEqual(got.get('006B'), b);

    const archived = dealLink('006A', {
      propertiesHash: 'p2',
      archived: true,
      lastValues: { dealname: 'Renamed — ünïcode ✓', amount: '12345678901234567890.123456789' },
    });
    await store.saveDealLinks([archived]);
    assert.deepEqual((await store.getDealLinks(['006A'])).get('006A'), archived);
    assert.deepEqual((await store.dealLinksByDealIds(['deal-006A', 'nope'])).get('deal-006A'), archived);
  });

  test('live deal opportunity ids page by id and leave out archived and deal-less links', async () => {
    const store = await h.open();
    await store.saveDealLinks([
      dealLink('006D'),
      dealLink('006A'),
      dealLink('006C', { archived: true }),
      dealLink('006B', { dealId: null }),
      dealLink('006E'),
      dealLink('006F'),
    ]);
    assert.deepEqual(await store.liveDealOpportunityIds(null, 2), ['006A', '006D']);
    assert.deepEqual(await store.liveDealOpportunityIds('006D', 2), ['006E', '006F']);
    assert.deepEqual(await store.liveDealOpportunityIds('006F', 2), []);
    // A link archived between pages does not shift the next page.
    await store.saveDealLinks([dealLink('006E', { archived: true })]);
    assert.deepEqual(await store.liveDealOpportunityIds('006A', 10), ['006D', '006F']);
  });

  test('the same key twice in one batch keeps the last', async () => {
    const store = await h.open();
    await store.saveDealLinks([
      dealLink('006A', { propertiesHash: 'first' }),
      dealLink('006A', { propertiesHash: 'last' }),
    ]);
    assert.equal((await store.getDealLinks(['006A'])).get('006A')?.propertiesHash, 'last');
    await store.saveContactLinks([
      { salesforceId: '003A', hubspotId: '1', matchedBy: 'email', rollupHash: null },
      { salesforceId: '003A', hubspotId: '2', matchedBy: 'id', rollupHash: 'r' },
    ]);
    assert.deepEqual((await store.getContactLinks(['003A'])).get('003A'), {
      salesforceId: '003A',
      hubspotId: '2',
      matchedBy: 'id',
      rollupHash: 'r',
    });
  });

  test('contact and company links are separate maps', async () => {
    const store = await h.open();
    await store.saveContactLinks([
      { salesforceId: 'X1', hubspotId: '101', matchedBy: 'email', rollupHash: 'h' },
    ]);
    await store.saveCompanyLinks([
      { salesforceId: 'X1', hubspotId: '201', matchedBy: 'domain', rollupHash: null },
      { salesforceId: '001B', hubspotId: '202', matchedBy: 'created', rollupHash: null },
    ]);
    assert.equal((await store.getContactLinks(['X1'])).get('X1')?.hubspotId, '101');
    assert.equal((await store.getCompanyLinks(['X1'])).get('X1')?.hubspotId, '201');
    assert.equal((await store.getContactLinks(['001B'])).size, 0);
    await store.saveCompanyLinks([
      { salesforceId: '001B', hubspotId: '202', matchedBy: 'created', rollupHash: 'rh' },
    ]);
    assert.equal((await store.getCompanyLinks(['001B'])).get('001B')?.rollupHash, 'rh');
  });

  test('a contact link keeps its lifecycle stage and when it was read; stages are set per HubSpot contact', async () => {
    const store = await h.open();
    const readAt = '2024-05-20T20:49:32.000Z';
    await store.saveContactLinks([
      {
        salesforceId: '003A',
        hubspotId: '1',
        matchedBy: 'email',
        rollupHash: null,
        stage: { value: 'lead', readAt },
      },
      {
        salesforceId: '003B',
        hubspotId: '1',
        matchedBy: 'email',
        rollupHash: null,
        stage: { value: null, readAt },
      },
      { salesforceId: '003C', hubspotId: '2', matchedBy: 'id', rollupHash: null },
    ]);
    let got = await store.getContactLinks(['003A', '003B', '003C']);
    assert.deepEqual(got.get('003A')?.stage, { value: 'lead', readAt });
    assert.deepEqual(got.get('003B')?.stage, { value: null, readAt });
    assert.equal(got.get('003C')?.stage, undefined);
    const later = '2024-05-20T21:00:00.000Z';
    await store.saveContactStages([
      { hubspotId: '1', value: 'customer', readAt: later },
      { hubspotId: '2', value: 'opportunity', readAt: later },
      { hubspotId: '9', value: 'customer', readAt: later },
    ]);
    got = await store.getContactLinks(['003A', '003B', '003C']);
    for (const id of ['003A', '003B'])
      assert.deepEqual(got.get(id)?.stage, { value: 'customer', readAt: later });
    assert.deepEqual(got.get('003C')?.stage, { value: 'opportunity', readAt: later });
    await store.saveContactStages([]);
  });

  test('every contact link to some HubSpot contacts is found by their ids', async () => {
    const store = await h.open();
    await store.saveContactLinks([
      { salesforceId: '003A', hubspotId: '1', matchedBy: 'email', rollupHash: null },
      { salesforceId: '003B', hubspotId: '1', matchedBy: 'email', rollupHash: 'h' },
      { salesforceId: '003C', hubspotId: '2', matchedBy: 'id', rollupHash: null },
      { salesforceId: '003D', hubspotId: '3', matchedBy: 'id', rollupHash: null },
    ]);
    const found = await store.contactLinksToHubspot(['1', '2', '404']);
    assert.deepEqual(found.map((l) => `${l.hubspotId}:${l.salesforceId}`).sort(), [
      '1:003A',
      '1:003B',
      '2:003C',
    ]);
    assert.equal(found.find((l) => l.salesforceId === '003B')?.rollupHash, 'h');
    assert.deepEqual(await store.contactLinksToHubspot([]), []);
  });

  test('links to a HubSpot record deleted or merged are dropped or replaced, contacts and companies alike', async () => {
    const store = await h.open();
    await store.saveContactLinks([
      { salesforceId: '003A', hubspotId: '1', matchedBy: 'email', rollupHash: 'h' },
      { salesforceId: '003B', hubspotId: '1', matchedBy: 'id', rollupHash: 'h' },
      { salesforceId: '003C', hubspotId: '2', matchedBy: 'id', rollupHash: 'h' },
    ]);
    await store.saveCompanyLinks([
      { salesforceId: '001A', hubspotId: '7', matchedBy: 'domain', rollupHash: 'r' },
      { salesforceId: '001B', hubspotId: '7', matchedBy: 'id', rollupHash: 'r' },
      { salesforceId: '001C', hubspotId: '8', matchedBy: 'created', rollupHash: 'r' },
    ]);
    const companies = await store.companyLinksToHubspot(['7', '404']);
    assert.deepEqual(companies.map((l) => l.salesforceId).sort(), ['001A', '001B']);

    // Contact 1 deleted: both its links go; 003C's contact merged into 9: its link is replaced.
    await store.dropContactLinks(['003A', '003B', '003X']);
    await store.saveContactLinks([
      { salesforceId: '003C', hubspotId: '9', matchedBy: 'id', rollupHash: null },
    ]);
    const contacts = await store.getContactLinks(['003A', '003B', '003C']);
    assert.deepEqual([...contacts.keys()], ['003C']);
    assert.equal(contacts.get('003C')?.hubspotId, '9');
    assert.deepEqual(await store.contactLinksToHubspot(['1', '2']), []);

    await store.dropCompanyLinks(['001A']);
    assert.deepEqual([...(await store.getCompanyLinks(['001A', '001B', '001C'])).keys()].sort(), [
      '001B',
      '001C',
    ]);
    // The maps are separate: dropping a contact id leaves a company link of the same id alone.
    await store.saveCompanyLinks([
      { salesforceId: '003C', hubspotId: '5', matchedBy: 'id', rollupHash: null },
    ]);
    await store.dropContactLinks(['003C']);
    assert.equal((await store.getCompanyLinks(['003C'])).get('003C')?.hubspotId, '5');
    await store.dropContactLinks([]);
    await store.dropCompanyLinks([]);
  });

  test('empty inputs cost nothing and return empty results', async () => {
    const store = await h.open();
    await store.saveDealLinks([]);
    await store.saveContactLinks([]);
    await store.saveCompanyLinks([]);
    assert.equal((await store.getDealLinks([])).size, 0);
    assert.equal((await store.getContactLinks([])).size, 0);
    assert.equal((await store.getCompanyLinks([])).size, 0);
  });
});
