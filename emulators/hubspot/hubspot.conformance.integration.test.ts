// A broad scenario through the emulator in which every request and every response body is
// validated against HubSpot's own OpenAPI documents (../shared/specs/hubspot). Allowed spec
// divergences are in conformance/allow-list.ts, with their reasons.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHubspotEmulator, type HubspotEmulator } from './index.js';
import { harness, type Harness } from './conformance/harness.js';
import { specsMissing } from './conformance/spec-files.js';
import { ALLOWED_DIVERGENCES } from './conformance/allow-list.js';
import * as edges from './conformance/scenario-edges.js';
import { merges } from './conformance/scenario-merge.js';

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

  test('webhooks v3 management API through the portal', () => edges.webhooksManagement(h, ids));

  test('edges: property/pipeline/stage changes, single v4 associations, labels, search limits', () =>
    edges.edgeChanges(h, ids));

  test('associations on lists, archived reads, multi-status batch create', () =>
    edges.associationsOnListsAndMultiStatus(h, ids));

  test('propertiesWithHistory on reads', () => edges.propertiesWithHistory(h, ids));

  test('batch create with objectWriteTraceId answers 207 with partial results', () =>
    edges.batchCreateWithTraceIds(h, ids));

  test('merges of contacts and companies, and reads by a merged id', () => merges(h));

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
