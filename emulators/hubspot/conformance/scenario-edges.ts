// The later steps of the conformance scenario (webhook management, edges of properties, pipelines and associations,
// lists with associations, property history, multi-status batch create), run by
// hubspot.conformance.integration.test.ts on the same emulator and harness as the earlier steps:
// they reuse the records those created (`ids`).
import assert from 'node:assert/strict';
import type { Harness } from './harness.js';

/** webhooks v3 management API through the portal */
export async function webhooksManagement(h: Harness, _ids: Record<string, string>): Promise<void> {
  const { c } = h;
  const app = (await h.admin('GET', '/__emulator/webhooks')).body.appId as number;
  const put = await c.call('PUT', `/webhooks/v3/${app}/settings`, {
    body: {
      targetUrl: 'https://hooks.example/hubspot',
      throttling: { maxConcurrentRequests: 10, period: 'SECONDLY' },
    },
  });
  assert.equal(put.status, 200);
  assert.equal((await c.call('GET', `/webhooks/v3/${app}/settings`)).status, 200);
  const sub = await c.call('POST', `/webhooks/v3/${app}/subscriptions`, {
    body: { eventType: 'deal.propertyChange', propertyName: 'dealstage', active: true },
  });
  assert.equal(sub.status, 201);
  const sub2 = await c.call('POST', `/webhooks/v3/${app}/subscriptions`, {
    body: { eventType: 'deal.creation' },
  });
  assert.equal((await c.call('GET', `/webhooks/v3/${app}/subscriptions`)).status, 200);
  assert.equal((await c.call('GET', `/webhooks/v3/${app}/subscriptions/${sub.body.id}`)).status, 200);
  assert.equal(
    (await c.call('PATCH', `/webhooks/v3/${app}/subscriptions/${sub2.body.id}`, { body: { active: true } }))
      .status,
    200,
  );
  const batch = await c.call('POST', `/webhooks/v3/${app}/subscriptions/batch/update`, {
    body: {
      inputs: [
        { id: Number(sub.body.id), active: false },
        { id: 4242, active: true },
      ],
    },
  });
  assert.equal(batch.status, 207);
  assert.equal((await c.call('DELETE', `/webhooks/v3/${app}/subscriptions/${sub.body.id}`)).status, 204);
  assert.equal((await c.call('DELETE', `/webhooks/v3/${app}/settings`)).status, 204);
  h.expectConformant();
}

/** edges: property/pipeline/stage changes, single v4 associations, labels, search limits */
export async function edgeChanges(h: Harness, ids: Record<string, string>): Promise<void> {
  const { c } = h;
  const grp = await c.call('PATCH', '/crm/v3/properties/deals/groups/salesforce_sync', {
    body: { label: 'SF sync' },
  });
  assert.equal(grp.status, 200);
  const pbatch = await c.call('POST', '/crm/v3/properties/deals/batch/read', {
    body: {
      inputs: [{ name: 'dealname' }, { name: 'amount' }],
      archived: false,
      dataSensitivity: 'non_sensitive',
    },
  });
  assert.ok([200, 207].includes(pbatch.status), `properties batch read answered ${pbatch.status}`);
  const tmpProp = await c.call('POST', '/crm/v3/properties/deals', {
    body: {
      name: 'tmp_prop',
      label: 'Tmp',
      type: 'number',
      fieldType: 'number',
      groupName: 'salesforce_sync',
    },
  });
  assert.equal(tmpProp.status, 201);
  assert.equal((await c.call('DELETE', '/crm/v3/properties/deals/tmp_prop')).status, 204);

  const stages = await c.call('GET', `/crm/v3/pipelines/deals/${ids.pipeline}/stages`);
  const stageId = stages.body.results[0].id as string;
  const ps = await c.call('PATCH', `/crm/v3/pipelines/deals/${ids.pipeline}/stages/${stageId}`, {
    body: { label: 'Prospecting (SF)', metadata: { probability: '0.2', isClosed: 'false' } },
  });
  assert.equal(ps.status, 200);
  const replaced = await c.call('PUT', `/crm/v3/pipelines/deals/${ids.pipeline}`, {
    body: {
      label: 'Salesforce',
      displayOrder: 1,
      stages: [
        { label: 'Open', displayOrder: 0, metadata: { probability: '0.5', isClosed: 'false' } },
        { label: 'Won', displayOrder: 1, metadata: { probability: '1.0', isClosed: 'true' } },
      ],
    },
  });
  assert.equal(replaced.status, 200);
  const tmpPipe = await c.call('POST', '/crm/v3/pipelines/deals', {
    body: {
      label: 'Temp',
      displayOrder: 9,
      stages: [{ label: 'Only', displayOrder: 0, metadata: { probability: '0.5' } }],
    },
  });
  assert.equal(tmpPipe.status, 201);
  assert.equal((await c.call('DELETE', `/crm/v3/pipelines/deals/${tmpPipe.body.id}`)).status, 204);
  assert.equal((await c.call('GET', '/crm/v3/owners/987654321')).status, 404);

  const contact = await c.call('POST', '/crm/v3/objects/contacts', {
    body: { associations: [], properties: { email: 'conf.four@example.com' } },
  });
  const single = await c.call(
    'PUT',
    `/crm/v4/objects/deals/${ids.deal}/associations/default/contacts/${contact.body.id}`,
  );
  assert.equal(single.status, 200);
  const labelled = await c.call(
    'PUT',
    `/crm/v4/objects/deals/${ids.deal}/associations/contacts/${contact.body.id}`,
    {
      body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
    },
  );
  assert.ok([200, 201].includes(labelled.status), `labelled association answered ${labelled.status}`);
  const page = await c.call('GET', `/crm/v4/objects/deals/${ids.deal}/associations/contacts`, {
    query: { limit: '1' },
  });
  assert.equal(page.status, 200);
  assert.ok(page.body.paging?.next?.after, 'two contacts, limit 1: a next page');
  assert.equal(
    (await c.call('DELETE', `/crm/v4/objects/deals/${ids.deal}/associations/contacts/${contact.body.id}`))
      .status,
    204,
  );
  // The SDK's path; validated as associations-schema.v4's /crm/associations/v4/… (recorder.ts).
  const labels = await c.call('GET', '/crm/v4/associations/deals/contacts/labels');
  assert.equal(labels.status, 200);
  // …and the document's own path serves the same catalogue.
  const specLabels = await c.call('GET', '/crm/associations/v4/deals/companies/labels');
  assert.equal(specLabels.status, 200);
  assert.deepEqual(
    specLabels.body.results.map((r: { typeId: number }) => r.typeId).sort((a: number, b: number) => a - b),
    [5, 341],
  );
  const withAssoc = await c.call('GET', `/crm/v3/objects/deals/${ids.deal}`, {
    query: { associations: 'companies' },
  });
  assert.ok(withAssoc.body.associations?.companies?.results?.length > 0);

  const tooMany = await c.call('POST', '/crm/v3/objects/deals/search', {
    body: {
      filterGroups: Array.from({ length: 6 }, () => ({
        filters: [{ propertyName: 'amount', operator: 'GT', value: '1' }],
      })),
    },
  });
  assert.equal(tooMany.status, 400);
  const deep = await c.call('POST', '/crm/v3/objects/deals/search', {
    body: { limit: 100, after: '10000' },
  });
  assert.equal(deep.status, 400);
  const missing = await c.call('POST', '/crm/v3/objects/deals/batch/update', {
    body: {
      inputs: [
        { id: ids.deal, properties: { amount: '3' } },
        { id: '77777777', properties: { amount: '3' } },
      ],
    },
  });
  assert.ok(
    [207, 400, 404].includes(missing.status),
    `batch update with a missing id answered ${missing.status}`,
  );
  h.expectConformant();
}

/** associations on lists, archived reads, multi-status batch create */
export async function associationsOnListsAndMultiStatus(
  h: Harness,
  ids: Record<string, string>,
): Promise<void> {
  const { c } = h;
  const list = await c.call('GET', '/crm/v3/objects/deals', {
    query: { limit: '5', associations: 'contacts,companies' },
  });
  assert.equal(list.status, 200);
  const batchHist = await c.call('POST', '/crm/v3/objects/deals/batch/read', {
    body: { inputs: [{ id: ids.deal }], properties: ['dealname'], propertiesWithHistory: ['dealstage'] },
  });
  assert.equal(batchHist.status, 200);
  const archived = await c.call('POST', '/crm/v3/objects/companies', {
    body: { associations: [], properties: { name: 'Archived Co' } },
  });
  await c.call('DELETE', `/crm/v3/objects/companies/${archived.body.id}`);
  const readArchived = await c.call('GET', `/crm/v3/objects/companies/${archived.body.id}`, {
    query: { archived: 'true' },
  });
  assert.equal(readArchived.status, 200);
  assert.equal(readArchived.body.archived, true);
  assert.ok(readArchived.body.archivedAt);
  const traced = await c.call('POST', '/crm/v3/objects/deals/batch/create', {
    body: {
      inputs: [
        { associations: [], objectWriteTraceId: 't-1', properties: { dealname: 'traced ok' } },
        {
          associations: [],
          objectWriteTraceId: 't-2',
          properties: { dealname: 'traced bad', amount: 'NaN?' },
        },
      ],
    },
  });
  assert.ok([207, 400].includes(traced.status), `multi-status create answered ${traced.status}`);
  h.expectConformant();
}

// HubSpot answers `propertiesWithHistory` (ValueWithTimestamp[] per property, newest first)
// on single reads, lists and batch reads.
/** propertiesWithHistory on reads */
export async function propertiesWithHistory(h: Harness, ids: Record<string, string>): Promise<void> {
  const { c } = h;
  const hist = await c.call('GET', `/crm/v3/objects/deals/${ids.deal}`, {
    query: { propertiesWithHistory: 'dealstage,no_such_prop', properties: 'dealname' },
  });
  assert.equal(hist.status, 200);
  const stages = hist.body.propertiesWithHistory?.dealstage;
  assert.ok(Array.isArray(stages), 'dealstage history');
  assert.ok(stages.length >= 2, 'created then moved to closedwon');
  assert.equal(stages[0].value, 'closedwon', 'newest first');
  assert.equal(stages[0].value, hist.body.properties.dealstage ?? 'closedwon');
  assert.ok(stages.every((e: { sourceType: string; timestamp: string }) => e.sourceType && e.timestamp));
  assert.ok(Date.parse(stages[0].timestamp) >= Date.parse(stages[stages.length - 1].timestamp));
  assert.ok(!('no_such_prop' in hist.body.propertiesWithHistory), 'unknown names are ignored');
  assert.ok('dealname' in hist.body.properties);

  // History alone: those properties come back instead of the defaults.
  const only = await c.call('GET', `/crm/v3/objects/deals/${ids.deal}`, {
    query: { propertiesWithHistory: 'dealstage' },
  });
  assert.equal(only.body.properties.dealstage, 'closedwon');
  assert.ok(!('dealname' in only.body.properties), 'defaults replaced by the history names');

  const batch = await c.call('POST', '/crm/v3/objects/deals/batch/read', {
    body: { inputs: [{ id: ids.deal }], properties: ['dealname'], propertiesWithHistory: ['dealstage'] },
  });
  assert.equal(batch.status, 200);
  assert.deepEqual(
    batch.body.results[0].propertiesWithHistory.dealstage.map((e: { value: string }) => e.value),
    stages.map((e: { value: string }) => e.value),
  );
  const list = await c.call('GET', '/crm/v3/objects/deals', {
    query: { propertiesWithHistory: 'dealstage', limit: '100' },
  });
  assert.equal(list.status, 200);
  assert.ok(list.body.results.length <= 50, 'history lowers the page size');
  assert.ok(list.body.results.every((r: { propertiesWithHistory?: unknown }) => r.propertiesWithHistory));
  h.expectConformant();
}

// HubSpot's error-handling guide: batch create answers multi-status (207, created inputs in
// `results`, failed ones in `errors`) when every input carries a unique objectWriteTraceId.
/** batch create with objectWriteTraceId answers 207 with partial results */
export async function batchCreateWithTraceIds(h: Harness, _ids: Record<string, string>): Promise<void> {
  const { c } = h;
  const res = await c.call('POST', '/crm/v3/objects/deals/batch/create', {
    body: {
      inputs: [
        { associations: [], objectWriteTraceId: 'w-1', properties: { dealname: 'partial ok' } },
        {
          associations: [],
          objectWriteTraceId: 'w-2',
          properties: { dealname: 'partial bad', amount: 'x' },
        },
      ],
    },
  });
  assert.equal(res.status, 207);
  assert.equal(res.body.results.length, 1);
  assert.equal(res.body.results[0].objectWriteTraceId, 'w-1');
  assert.equal(res.body.numErrors, 1);
  assert.equal(res.body.errors[0].category, 'VALIDATION_ERROR');
  assert.deepEqual(res.body.errors[0].context.objectWriteTraceId, ['w-2']);
  assert.equal(res.body.errors[0].errors[0].code, 'INVALID_LONG');
  const made = await c.call('GET', `/crm/v3/objects/deals/${res.body.results[0].id}`);
  assert.equal(made.body.properties.dealname, 'partial ok');

  // Without a trace id on every input, one bad input still rejects the whole batch.
  const before = (await h.admin('GET', '/__emulator/counts')).body.deals;
  const untraced = await c.call('POST', '/crm/v3/objects/deals/batch/create', {
    body: {
      inputs: [
        { associations: [], objectWriteTraceId: 'u-1', properties: { dealname: 'untraced ok' } },
        { associations: [], properties: { dealname: 'untraced bad', amount: 'x' } },
      ],
    },
  });
  assert.equal(untraced.status, 400);
  assert.equal((await h.admin('GET', '/__emulator/counts')).body.deals, before, 'nothing created');
  h.expectConformant();
}
