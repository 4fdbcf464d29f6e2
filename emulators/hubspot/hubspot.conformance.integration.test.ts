// A broad scenario through the emulator in which every request and every response body is
// validated against HubSpot's own OpenAPI documents (../shared/specs/hubspot). Allowed spec
// divergences are in conformance/allow-list.ts, with their reasons.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHubspotEmulator, type HubspotEmulator } from './index.js';
import { harness, type Harness } from './conformance/harness.js';
import { specsMissing } from './conformance/spec-files.js';
import { ALLOWED_DIVERGENCES } from './conformance/allow-list.js';

const skip = specsMissing();
if (skip) console.warn(`skipping HubSpot conformance tests: ${skip}`);

describe('HubSpot emulator against HubSpot OpenAPI specs', { skip }, () => {
  let emu: HubspotEmulator;
  let h: Harness;
  const ids: Record<string, string> = {};

  before(async () => {
    emu = await createHubspotEmulator({ seed: 'demo' });
    h = harness(emu.url, emu.accessToken);
    await h.admin('POST', '/__emulator/limits', { enabled: false });
  });
  after(async () => {
    const counts = [...h.allowedCounts()].map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(`conformance: ${h.c.exchanges.length} exchanges; allowed divergences: ${counts || 'none'}`);
    if (h.c.uncovered.length)
      console.log(`not covered by any spec: ${[...new Set(h.c.uncovered)].join(', ')}`);
    await emu.close();
  });

  test('properties and property groups', async () => {
    const { c } = h;
    const list = await c.call('GET', '/crm/v3/properties/deals');
    assert.equal(list.status, 200);
    assert.ok(list.body.results.some((p: { name: string }) => p.name === 'dealstage'));
    assert.equal((await c.call('GET', '/crm/v3/properties/contacts/email')).status, 200);
    assert.equal(
      (await c.call('GET', '/crm/v3/properties/companies', { query: { archived: 'false' } })).status,
      200,
    );
    const groups = await c.call('GET', '/crm/v3/properties/deals/groups');
    assert.equal(groups.status, 200);
    const g = await c.call('POST', '/crm/v3/properties/deals/groups', {
      body: { name: 'salesforce_sync', label: 'Salesforce opportunity sync', displayOrder: 5 },
    });
    assert.equal(g.status, 201);
    assert.equal((await c.call('GET', '/crm/v3/properties/deals/groups/salesforce_sync')).status, 200);
    const created = await c.call('POST', '/crm/v3/properties/deals', {
      body: {
        name: 'salesforce_opportunity_id',
        label: 'Salesforce opportunity ID',
        type: 'string',
        fieldType: 'text',
        groupName: 'salesforce_sync',
        hasUniqueValue: true,
      },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.hasUniqueValue, true);
    const dup = await c.call('POST', '/crm/v3/properties/deals', {
      body: {
        name: 'salesforce_opportunity_id',
        label: 'again',
        type: 'string',
        fieldType: 'text',
        groupName: 'salesforce_sync',
      },
    });
    assert.equal(dup.status, 409);
    const enumProp = await c.call('POST', '/crm/v3/properties/contacts', {
      body: {
        name: 'sf_rollup_rule',
        label: 'Rollup rule',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'contactinformation',
        options: [
          { label: 'Created', value: 'created', displayOrder: 0, hidden: false },
          { label: 'Closed', value: 'closed', displayOrder: 1, hidden: false },
        ],
      },
    });
    assert.equal(enumProp.status, 201);
    const patched = await c.call('PATCH', '/crm/v3/properties/contacts/sf_rollup_rule', {
      body: { label: 'Recent deal amount rule' },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.label, 'Recent deal amount rule');
    assert.equal((await c.call('GET', '/crm/v3/properties/deals/no_such_property')).status, 404);
    h.expectConformant();
  });

  test('pipelines and stages', async () => {
    const { c } = h;
    const list = await c.call('GET', '/crm/v3/pipelines/deals');
    assert.equal(list.status, 200);
    const def = await c.call('GET', '/crm/v3/pipelines/deals/default');
    assert.equal(def.status, 200);
    assert.ok(def.body.stages.some((s: { id: string }) => s.id === 'closedwon'));
    const created = await c.call('POST', '/crm/v3/pipelines/deals', {
      body: {
        label: 'Salesforce',
        displayOrder: 1,
        stages: [
          { label: 'Prospecting', displayOrder: 0, metadata: { probability: '0.1', isClosed: 'false' } },
          { label: 'Closed Won', displayOrder: 1, metadata: { probability: '1.0', isClosed: 'true' } },
          { label: 'Closed Lost', displayOrder: 2, metadata: { probability: '0.0', isClosed: 'true' } },
        ],
      },
    });
    assert.equal(created.status, 201);
    ids.pipeline = created.body.id;
    ids.stage = created.body.stages[0].id;
    const stages = await c.call('GET', `/crm/v3/pipelines/deals/${ids.pipeline}/stages`);
    assert.equal(stages.status, 200);
    assert.equal(stages.body.results.length, 3);
    const stage = await c.call('POST', `/crm/v3/pipelines/deals/${ids.pipeline}/stages`, {
      body: { label: 'Negotiation', displayOrder: 1, metadata: { probability: '0.6', isClosed: 'false' } },
    });
    assert.equal(stage.status, 201);
    assert.equal(
      (await c.call('GET', `/crm/v3/pipelines/deals/${ids.pipeline}/stages/${stage.body.id}`)).status,
      200,
    );
    const renamed = await c.call('PATCH', `/crm/v3/pipelines/deals/${ids.pipeline}`, {
      body: { label: 'Salesforce (renamed)' },
    });
    assert.equal(renamed.status, 200);
    assert.equal((await c.call('GET', '/crm/v3/pipelines/deals/999999')).status, 404);
    h.expectConformant();
  });

  test('owners', async () => {
    const { c } = h;
    const page = await c.call('GET', '/crm/v3/owners', { query: { limit: '2' } });
    assert.equal(page.status, 200);
    assert.ok(page.body.results.length > 0);
    ids.owner = page.body.results[0].id;
    if (page.body.paging?.next?.after) {
      const next = await c.call('GET', '/crm/v3/owners', {
        query: { limit: '2', after: page.body.paging.next.after },
      });
      assert.equal(next.status, 200);
    }
    assert.equal((await c.call('GET', `/crm/v3/owners/${ids.owner}`)).status, 200);
    const byEmail = await c.call('GET', '/crm/v3/owners', { query: { email: page.body.results[0].email } });
    assert.equal(byEmail.body.results.length, 1);
    h.expectConformant();
  });

  test('contacts and companies: create, read, update, upsert, list, archive', async () => {
    const { c } = h;
    const contact = await c.call('POST', '/crm/v3/objects/contacts', {
      body: {
        associations: [],
        properties: { email: 'conf.one@example.com', firstname: 'Conf', lastname: 'One' },
      },
    });
    assert.equal(contact.status, 201);
    ids.contact = contact.body.id;
    const company = await c.call('POST', '/crm/v3/objects/companies', {
      body: { associations: [], properties: { name: 'Conformance GmbH', domain: 'conformance.example' } },
    });
    assert.equal(company.status, 201);
    ids.company = company.body.id;
    assert.equal(
      (
        await c.call('GET', `/crm/v3/objects/contacts/${ids.contact}`, {
          query: { properties: 'email,firstname,phone' },
        })
      ).status,
      200,
    );
    assert.equal((await c.call('GET', `/crm/v3/objects/0-1/${ids.contact}`)).status, 200);
    const byEmail = await c.call('GET', '/crm/v3/objects/contacts/CONF.ONE@example.com', {
      query: { idProperty: 'email' },
    });
    assert.equal(byEmail.status, 200);
    assert.equal(byEmail.body.id, ids.contact);
    assert.equal(
      (
        await c.call('PATCH', `/crm/v3/objects/companies/${ids.company}`, {
          body: { properties: { city: 'Berlin' } },
        })
      ).status,
      200,
    );
    const upsert = await c.call('POST', '/crm/v3/objects/contacts/batch/upsert', {
      body: {
        inputs: [
          { id: 'conf.one@example.com', idProperty: 'email', properties: { lastname: 'Uno' } },
          { id: 'conf.two@example.com', idProperty: 'email', properties: { firstname: 'Two' } },
        ],
      },
    });
    assert.equal(upsert.status, 200);
    assert.equal(upsert.body.results.length, 2);
    const list = await c.call('GET', '/crm/v3/objects/companies', {
      query: { limit: '1', properties: 'name' },
    });
    assert.equal(list.status, 200);
    assert.ok(list.body.paging?.next?.after);
    const next = await c.call('GET', '/crm/v3/objects/0-2', {
      query: { limit: '1', after: list.body.paging.next.after },
    });
    assert.equal(next.status, 200);
    const dup = await c.call('POST', '/crm/v3/objects/contacts', {
      body: { associations: [], properties: { email: 'conf.one@example.com' } },
    });
    assert.equal(dup.status, 409);
    const tmp = await c.call('POST', '/crm/v3/objects/companies', {
      body: { associations: [], properties: { name: 'Temp' } },
    });
    assert.equal((await c.call('DELETE', `/crm/v3/objects/companies/${tmp.body.id}`)).status, 204);
    assert.equal((await c.call('GET', `/crm/v3/objects/companies/${tmp.body.id}`)).status, 404);
    h.expectConformant();
  });

  test('deals: single and batch create, read, update, upsert, archive', async () => {
    const { c } = h;
    const created = await c.call('POST', '/crm/v3/objects/deals', {
      body: {
        properties: {
          dealname: 'Conformance deal',
          amount: '1200.50',
          pipeline: 'default',
          dealstage: 'appointmentscheduled',
          closedate: '2025-03-01',
        },
        associations: [
          {
            to: { id: ids.contact },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
          },
          {
            to: { id: ids.company },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }],
          },
        ],
      },
    });
    assert.equal(created.status, 201);
    ids.deal = created.body.id;
    const read = await c.call('GET', `/crm/v3/objects/deals/${ids.deal}`, {
      query: { properties: 'dealname,amount,dealstage,hs_is_closed_won', associations: 'contacts,companies' },
    });
    assert.equal(read.status, 200);
    assert.equal(Number(read.body.properties.amount), 1200.5);
    assert.equal((await c.call('GET', `/crm/v3/objects/0-3/${ids.deal}`)).status, 200);
    const upd = await c.call('PATCH', `/crm/v3/objects/deals/${ids.deal}`, {
      body: { properties: { dealstage: 'closedwon' } },
    });
    assert.equal(upd.status, 200);

    const batch = await c.call('POST', '/crm/v3/objects/deals/batch/create', {
      body: {
        inputs: [1, 2, 3].map((i) => ({
          associations: [],
          properties: {
            dealname: `Batch ${i}`,
            pipeline: 'default',
            dealstage: 'qualifiedtobuy',
            salesforce_opportunity_id: `006C${i}`,
          },
        })),
      },
    });
    assert.equal(batch.status, 201);
    const batchIds: string[] = batch.body.results.map((r: { id: string }) => r.id);
    const bread = await c.call('POST', '/crm/v3/objects/deals/batch/read', {
      body: {
        inputs: batchIds.map((id) => ({ id })),
        properties: ['dealname', 'salesforce_opportunity_id'],
        propertiesWithHistory: [],
      },
    });
    assert.equal(bread.status, 200);
    const byUnique = await c.call('POST', '/crm/v3/objects/0-3/batch/read', {
      body: {
        idProperty: 'salesforce_opportunity_id',
        inputs: [{ id: '006C1' }, { id: '006C404' }],
        properties: ['dealname'],
        propertiesWithHistory: [],
      },
    });
    assert.equal(byUnique.status, 207);
    assert.equal(byUnique.body.results.length, 1);
    const bupd = await c.call('POST', '/crm/v3/objects/deals/batch/update', {
      body: { inputs: batchIds.map((id) => ({ id, properties: { amount: '10' } })) },
    });
    assert.equal(bupd.status, 200);
    const upsert = await c.call('POST', '/crm/v3/objects/deals/batch/upsert', {
      body: {
        inputs: [
          { id: '006C1', idProperty: 'salesforce_opportunity_id', properties: { amount: '11' } },
          {
            id: '006C9',
            idProperty: 'salesforce_opportunity_id',
            properties: { dealname: 'Upserted', pipeline: 'default', dealstage: 'qualifiedtobuy' },
          },
        ],
      },
    });
    assert.equal(upsert.status, 200);
    const list = await c.call('GET', '/crm/v3/objects/deals', {
      query: { limit: '2', properties: 'dealname', archived: 'false' },
    });
    assert.equal(list.status, 200);
    const arch = await c.call('POST', '/crm/v3/objects/deals/batch/archive', {
      body: { inputs: [{ id: batchIds[2] }] },
    });
    assert.equal(arch.status, 204);
    const archived = await c.call('GET', '/crm/v3/objects/deals', {
      query: { archived: 'true', limit: '5' },
    });
    assert.equal(archived.status, 200);
    h.expectConformant();
  });

  test('search with filter groups, sorts, paging', async () => {
    const { c } = h;
    const res = await c.call('POST', '/crm/v3/objects/deals/search', {
      body: {
        filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'EQ', value: 'qualifiedtobuy' }] }],
        sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
        properties: ['dealname', 'amount'],
        limit: 2,
        after: '0',
      },
    });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.total, 'number');
    const contacts = await c.call('POST', '/crm/v3/objects/contacts/search', {
      body: {
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'email',
                operator: 'IN',
                values: ['conf.one@example.com', 'conf.two@example.com'],
              },
            ],
          },
        ],
      },
    });
    assert.equal(contacts.status, 200);
    assert.equal(contacts.body.total, 2);
    const text = await c.call('POST', '/crm/v3/objects/companies/search', {
      body: { query: 'Conformance', limit: 10 },
    });
    assert.equal(text.status, 200);
    h.expectConformant();
  });

  test('associations v4: batch create, read, list, archive', async () => {
    const { c } = h;
    const other = await c.call('POST', '/crm/v3/objects/contacts', {
      body: { associations: [], properties: { email: 'conf.three@example.com' } },
    });
    const create = await c.call('POST', '/crm/v4/associations/deals/contacts/batch/create', {
      body: {
        inputs: [
          {
            from: { id: ids.deal },
            to: { id: other.body.id },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
          },
        ],
      },
    });
    assert.equal(create.status, 201);
    const dflt = await c.call('POST', '/crm/v4/associations/deals/companies/batch/associate/default', {
      body: { inputs: [{ from: { id: ids.deal }, to: { id: ids.company } }] },
    });
    assert.ok([200, 201].includes(dflt.status), `associate/default answered ${dflt.status}`);
    const read = await c.call('POST', '/crm/v4/associations/deals/contacts/batch/read', {
      body: { inputs: [{ id: ids.deal }, { id: '999999999' }] },
    });
    assert.ok([200, 207].includes(read.status));
    const mine = read.body.results.find((r: { from: { id: string } }) => r.from.id === ids.deal);
    assert.equal(mine.to.length, 2);
    const listed = await c.call('GET', `/crm/v4/objects/deals/${ids.deal}/associations/contacts`, {
      query: { limit: '10' },
    });
    assert.equal(listed.status, 200);
    const arch = await c.call('POST', '/crm/v4/associations/deals/contacts/batch/archive', {
      body: { inputs: [{ from: { id: ids.deal }, to: [{ id: other.body.id }] }] },
    });
    assert.equal(arch.status, 204);
    const after = await c.call('GET', `/crm/v4/objects/deals/${ids.deal}/associations/contacts`);
    assert.equal(after.body.results.length, 1);
    h.expectConformant();
  });

  test('errors: 400 validation, 404, 409, 401, 429', async () => {
    const { c } = h;
    const unknown = await c.call('POST', '/crm/v3/objects/deals', {
      body: { associations: [], properties: { dealname: 'x', no_such_prop: '1' } },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.category, 'VALIDATION_ERROR');
    const badStage = await c.call('PATCH', `/crm/v3/objects/deals/${ids.deal}`, {
      body: { properties: { dealstage: 'nope' } },
    });
    assert.equal(badStage.status, 400);
    const badBatch = await c.call('POST', '/crm/v3/objects/deals/batch/create', {
      body: {
        inputs: [
          { associations: [], properties: { dealname: 'ok' } },
          { associations: [], properties: { amount: 'twelve' } },
        ],
      },
    });
    assert.equal(badBatch.status, 400);
    const malformed = await c.call('POST', '/crm/v3/objects/deals/batch/upsert', {
      body: { inputs: [{ idProperty: 'salesforce_opportunity_id', properties: { amount: 5 } }] },
      invalidRequest: true,
    });
    assert.equal(malformed.status, 400);
    assert.equal((await c.call('GET', '/crm/v3/objects/deals/123456789012')).status, 404);
    const dupUnique = await c.call('POST', '/crm/v3/objects/deals', {
      body: { associations: [], properties: { dealname: 'Dup', salesforce_opportunity_id: '006C1' } },
    });
    assert.equal(dupUnique.status, 409);
    const noAuth = await c.call('GET', '/crm/v3/objects/deals', { token: null });
    assert.equal(noAuth.status, 401);
    assert.equal(noAuth.body.category, 'INVALID_AUTHENTICATION');
    assert.equal((await c.call('GET', '/crm/v3/objects/deals', { token: 'wrong' })).status, 401);

    await h.admin('POST', '/__emulator/limits', { enabled: true, burst: 2, resetUsage: true });
    const statuses: number[] = [];
    let limited: { body: Record<string, unknown>; headers: Headers } | undefined;
    for (let i = 0; i < 3; i++) {
      const r = await c.call('GET', '/crm/v3/objects/deals', { query: { limit: '1' } });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    await h.admin('POST', '/__emulator/limits', { enabled: false, burst: 190, resetUsage: true });
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal(limited?.body.policyName, 'TEN_SECONDLY_ROLLING');
    assert.equal(limited?.body.errorType, 'RATE_LIMIT');
    h.expectConformant();
  });

  test('webhooks v3 management API through the portal', async () => {
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
  });

  test('edges: property/pipeline/stage changes, single v4 associations, labels, search limits', async () => {
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
  });

  test('associations on lists, archived reads, multi-status batch create', async () => {
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
  });

  // HubSpot answers `propertiesWithHistory` (ValueWithTimestamp[] per property, newest first)
  // on single reads, lists and batch reads.
  test('propertiesWithHistory on reads', async () => {
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
  });

  // HubSpot's error-handling guide: batch create answers multi-status (207, created inputs in
  // `results`, failed ones in `errors`) when every input carries a unique objectWriteTraceId.
  test('batch create with objectWriteTraceId answers 207 with partial results', async () => {
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
  });

  test('every operation the scenario targets was exercised and validated', () => {
    const seen = new Set(h.c.exchanges.flatMap((e) => e.operations.map((o) => o.split(' ')[1])));
    const templates = new Set(
      h.c.exchanges.flatMap((e) => e.operations.map((o) => `${e.method} ${o.split(' ')[0]}`)),
    );
    assert.ok(seen.size >= 40, `only ${seen.size} operations exercised`);
    for (const spec of [
      'objects.v3.json',
      'deals.v3.named-path.2025-08-01.json',
      'contacts.v3.json',
      'companies.v3.json',
      'associations.v4.json',
      'properties.v3.json',
      'pipelines.v3.json',
      'owners.v3.json',
      'webhooks.v3.json',
    ]) {
      assert.ok(
        [...templates].some((t) => t.endsWith(spec)),
        `no exchange validated against ${spec}`,
      );
    }
  });

  test('allow-list entries are documented', () => {
    for (const d of ALLOWED_DIVERGENCES) assert.ok(d.justification.length > 40, d.id);
  });
});
