// The emulator driven through @hubspot/api-client v13, the way its users call HubSpot.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, AssociationTypes } from '@hubspot/api-client';
import {
  AssociationSpecAssociationCategoryEnum as Category,
  FilterOperatorEnum,
} from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import { createHubspotEmulator, type HubspotEmulator } from './index.js';

interface ApiError {
  code: number;
  body: {
    status?: string;
    message?: string;
    category?: string;
    policyName?: string;
    errors?: { code?: string }[];
  };
}

async function rejects(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected the call to fail');
}

const HUBSPOT_DEFINED = Category.HubspotDefined;

describe('@hubspot/api-client against the emulator', () => {
  let emu: HubspotEmulator;
  let client: Client;
  const admin = async (path: string, body: unknown) => {
    const res = await fetch(`${emu.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json().catch(() => undefined)) as unknown;
  };

  before(async () => {
    emu = await createHubspotEmulator({ seed: 'demo' });
    client = new Client({ accessToken: emu.accessToken, basePath: emu.url, numberOfApiCallRetries: 0 });
    await admin('/__emulator/limits', { enabled: false });
  });
  after(() => emu.close());

  test('properties: create a unique-value property in a new group, read it back', async () => {
    const props = client.crm.properties;
    const group = await props.groupsApi.create('deals', {
      name: 'sf_sync',
      label: 'Salesforce sync',
      displayOrder: 3,
    });
    assert.equal(group.name, 'sf_sync');
    const created = await props.coreApi.create('deals', {
      name: 'salesforce_opportunity_id',
      label: 'Salesforce opportunity ID',
      type: 'string' as never,
      fieldType: 'text' as never,
      groupName: 'sf_sync',
      hasUniqueValue: true,
    });
    assert.equal(created.hasUniqueValue, true);
    const got = await props.coreApi.getByName('deals', 'salesforce_opportunity_id');
    assert.equal(got.groupName, 'sf_sync');
    const all = await props.coreApi.getAll('deals');
    assert.ok(all.results.some((p) => p.name === 'dealstage'));
    const dup = await rejects(
      props.coreApi.create('deals', {
        name: 'salesforce_opportunity_id',
        label: 'x',
        type: 'string' as never,
        fieldType: 'text' as never,
        groupName: 'sf_sync',
      }),
    );
    assert.equal(dup.code, 409);
  });

  test('pipelines, owners', async () => {
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
    const def = pipelines.results.find((p) => p.id === 'default');
    assert.ok(def);
    const won = def.stages.find((s) => s.id === 'closedwon');
    assert.equal(won?.metadata?.isClosed, 'true');
    assert.equal(Number(won?.metadata?.probability), 1);
    const sf = await client.crm.pipelines.pipelinesApi.create('deals', {
      label: 'Salesforce',
      displayOrder: 2,
      stages: [
        { label: 'Prospecting', displayOrder: 0, metadata: { probability: '0.1' } },
        { label: 'Won', displayOrder: 1, metadata: { probability: '1.0', isClosed: 'true' } },
      ],
    });
    assert.equal(sf.stages.length, 2);
    const owners = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100);
    assert.ok(owners.results.length > 0);
    const first = owners.results[0]!;
    const same = await client.crm.owners.ownersApi.getById(Number(first.id));
    assert.equal(same.email, first.email);
    const byEmail = await client.crm.owners.ownersApi.getPage(first.email);
    assert.deepEqual(
      byEmail.results.map((o) => o.id),
      [first.id],
    );
  });

  test('deals: basic API create/get/update/archive and 404 as ApiException', async () => {
    const deals = client.crm.deals;
    const d = await deals.basicApi.create({
      properties: {
        dealname: 'SDK deal',
        amount: '5000',
        pipeline: 'default',
        dealstage: 'appointmentscheduled',
      },
      associations: [],
    });
    const got = await deals.basicApi.getById(d.id, ['dealname', 'amount', 'hs_is_closed_won']);
    assert.equal(got.properties.dealname, 'SDK deal');
    assert.equal(got.createdAt instanceof Date, true);
    const upd = await deals.basicApi.update(d.id, { properties: { dealstage: 'closedwon' } });
    assert.equal(upd.id, d.id);
    const won = await deals.basicApi.getById(d.id, ['hs_is_closed_won', 'hs_is_closed']);
    assert.equal(won.properties.hs_is_closed_won, 'true');
    await deals.basicApi.archive(d.id);
    const gone = await rejects(deals.basicApi.getById(d.id));
    assert.equal(gone.code, 404);
    assert.equal(gone.body.status, 'error');
  });

  test('deals: batch create, read, update, upsert (idProperty), archive', async () => {
    const batch = client.crm.deals.batchApi;
    const created = await batch.create({
      inputs: [1, 2, 3].map((i) => ({
        properties: {
          dealname: `Batch ${i}`,
          pipeline: 'default',
          dealstage: 'qualifiedtobuy',
          salesforce_opportunity_id: `006SDK${i}`,
        },
        associations: [],
      })),
    });
    assert.equal(created.results.length, 3);
    const ids = created.results.map((r) => r.id);
    const read = await batch.read({
      inputs: ids.map((id) => ({ id })),
      properties: ['dealname'],
      propertiesWithHistory: [],
    });
    assert.deepEqual(read.results.map((r) => r.properties.dealname).sort(), [
      'Batch 1',
      'Batch 2',
      'Batch 3',
    ]);
    const updated = await batch.update({ inputs: ids.map((id) => ({ id, properties: { amount: '42' } })) });
    assert.equal(updated.results.length, 3);
    const upserted = await batch.upsert({
      inputs: [
        { id: '006SDK1', idProperty: 'salesforce_opportunity_id', properties: { amount: '43' } },
        {
          id: '006SDK4',
          idProperty: 'salesforce_opportunity_id',
          properties: { dealname: 'Batch 4', pipeline: 'default', dealstage: 'qualifiedtobuy' },
        },
      ],
    });
    assert.equal(upserted.results.length, 2);
    const byKey = await batch.read({
      idProperty: 'salesforce_opportunity_id',
      inputs: [{ id: '006SDK1' }, { id: '006SDK4' }],
      properties: ['amount', 'dealname'],
      propertiesWithHistory: [],
    });
    const amounts = Object.fromEntries(
      byKey.results.map((r) => [r.properties.dealname, r.properties.amount]),
    );
    assert.equal(amounts['Batch 1'], '43');
    assert.ok('Batch 4' in amounts);
    await batch.archive({ inputs: ids.map((id) => ({ id })) });
    const after = await rejects(client.crm.deals.basicApi.getById(ids[0]!));
    assert.equal(after.code, 404);
  });

  test('validation errors arrive as ApiException with HubSpot error bodies', async () => {
    const bad = await rejects(
      client.crm.deals.basicApi.create({
        properties: { dealname: 'x', dealstage: 'not_a_stage', pipeline: 'default' },
        associations: [],
      }),
    );
    assert.equal(bad.code, 400);
    assert.equal(bad.body.category, 'VALIDATION_ERROR');
    const batch = await rejects(
      client.crm.deals.batchApi.create({
        inputs: [
          { properties: { dealname: 'fine' }, associations: [] },
          { properties: { dealname: 'broken', amount: 'lots' }, associations: [] },
        ],
      }),
    );
    assert.equal(batch.code, 400);
    const dupKey = await rejects(
      client.crm.deals.basicApi.create({
        properties: { dealname: 'dup', salesforce_opportunity_id: '006SDK4' },
        associations: [],
      }),
    );
    assert.equal(dupKey.code, 409);
    const noAuth = new Client({ accessToken: 'wrong-token', basePath: emu.url, numberOfApiCallRetries: 0 });
    const unauthorized = await rejects(noAuth.crm.deals.basicApi.getPage(1));
    assert.equal(unauthorized.code, 401);
    assert.equal(unauthorized.body.category, 'INVALID_AUTHENTICATION');
  });

  test('contacts, companies, search and v4 associations', async () => {
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'sdk.user@example.com', firstname: 'Sdk' },
      associations: [],
    });
    const company = await client.crm.companies.basicApi.create({
      properties: { name: 'SDK Corp', domain: 'sdk.example' },
      associations: [],
    });
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Assoc deal', pipeline: 'default', dealstage: 'appointmentscheduled' },
      associations: [
        {
          to: { id: contact.id },
          types: [
            { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypes.dealToContact },
          ],
        },
      ],
    });
    await client.crm.associations.v4.batchApi.create('deals', 'companies', {
      inputs: [
        {
          _from: { id: deal.id },
          to: { id: company.id },
          types: [{ associationCategory: HUBSPOT_DEFINED as never, associationTypeId: 5 }],
        },
      ],
    });
    const read = await client.crm.associations.v4.batchApi.getPage('deals', 'companies', {
      inputs: [{ id: deal.id }],
    });
    assert.equal(read.results[0]?.to[0]?.toObjectId, company.id);
    assert.ok(read.results[0]?.to[0]?.associationTypes.some((t) => t.typeId === 5));
    const listed = await client.crm.associations.v4.basicApi.getPage('deals', deal.id, 'contacts');
    assert.deepEqual(
      listed.results.map((r) => r.toObjectId),
      [contact.id],
    );
    await client.crm.associations.v4.batchApi.archive('deals', 'contacts', {
      inputs: [{ _from: { id: deal.id }, to: [{ id: contact.id }] }],
    });
    const none = await client.crm.associations.v4.basicApi.getPage('deals', deal.id, 'contacts');
    assert.equal(none.results.length, 0);

    const found = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'email', operator: FilterOperatorEnum.Eq, value: 'SDK.USER@example.com' },
          ],
        },
      ],
      properties: ['email', 'firstname'],
      limit: 10,
      after: '0',
      sorts: [],
    });
    assert.equal(found.total, 1);
    assert.equal(found.results[0]?.id, contact.id);
    const deals = await client.crm.deals.searchApi.doSearch({
      filterGroups: [
        {
          filters: [{ propertyName: 'dealname', operator: FilterOperatorEnum.ContainsToken, value: 'Assoc' }],
        },
      ],
      properties: ['dealname'],
      limit: 5,
      after: '0',
      sorts: [JSON.stringify({ propertyName: 'createdate', direction: 'DESCENDING' })],
    });
    assert.ok(deals.results.some((d) => d.id === deal.id));
  });

  test('the SDK retries a search SECONDLY 429 after 1 s and a 5xx after 200 ms', async () => {
    const retrying = new Client({
      accessToken: emu.accessToken,
      basePath: emu.url,
      numberOfApiCallRetries: 2,
    });
    await admin('/__emulator/limits', { enabled: true, burst: 1000, searchPerSecond: 1, resetUsage: true });
    const search = () =>
      retrying.crm.deals.searchApi.doSearch({
        filterGroups: [],
        properties: ['dealname'],
        limit: 1,
        after: '0',
        sorts: [],
      });
    await search();
    const t0 = Date.now();
    const second = await search();
    assert.ok(Array.isArray(second.results));
    assert.ok(Date.now() - t0 >= 900, 'waited for the secondly window');
    const noRetry = new Client({
      accessToken: emu.accessToken,
      basePath: emu.url,
      numberOfApiCallRetries: 0,
    });
    await search();
    const secondly = await rejects(
      noRetry.crm.deals.searchApi.doSearch({
        filterGroups: [],
        limit: 1,
        after: '0',
        sorts: [],
        properties: [],
      }),
    );
    assert.equal(secondly.code, 429);
    assert.equal(secondly.body.message, 'You have reached your secondly limit.');
    await admin('/__emulator/limits', { enabled: false, searchPerSecond: 4, resetUsage: true });

    // A fault without a body is sent without Content-Type, which the SDK cannot parse (it throws a
    // plain Error, not an ApiException, and does not retry); HubSpot's 5xx carry a body.
    await admin('/__emulator/faults', {
      path: '/crm/v3/objects/deals',
      method: 'GET',
      status: 502,
      body: {
        status: 'error',
        message: 'Bad gateway',
        correlationId: '00000000-0000-4000-8000-000000000000',
        category: 'INTERNAL_ERROR',
      },
      times: 1,
    });
    const page = await retrying.crm.deals.basicApi.getPage(1);
    assert.ok(Array.isArray(page.results));
    const faults = (await (await fetch(`${emu.url}/__emulator/faults`)).json()) as {
      results: { fired: number }[];
    };
    assert.equal(faults.results[0]?.fired, 1);
  });

  test('the SDK retries a TEN_SECONDLY_ROLLING 429 after its 10 s wait, and not a DAILY one', async () => {
    await admin('/__emulator/limits', { enabled: true, burst: 1, intervalMs: 2000, resetUsage: true });
    const retrying = new Client({
      accessToken: emu.accessToken,
      basePath: emu.url,
      numberOfApiCallRetries: 2,
    });
    await retrying.crm.deals.basicApi.getPage(1);
    const started = Date.now();
    const page = await retrying.crm.deals.basicApi.getPage(1);
    const waited = Date.now() - started;
    assert.ok(Array.isArray(page.results));
    assert.ok(
      waited >= 9_500,
      `the SDK should have waited ~10 s for TEN_SECONDLY_ROLLING, waited ${waited} ms`,
    );
    const stats = (await (await fetch(`${emu.url}/__emulator/stats`)).json()) as Record<string, unknown>;
    assert.ok(JSON.stringify(stats).includes('TEN_SECONDLY_ROLLING'));

    await admin('/__emulator/limits', { burst: 100, daily: 1, resetUsage: true });
    await retrying.crm.deals.basicApi.getPage(1);
    const t0 = Date.now();
    const daily = await rejects(retrying.crm.deals.basicApi.getPage(1));
    assert.equal(daily.code, 429);
    assert.equal(daily.body.policyName, 'DAILY');
    assert.ok(Date.now() - t0 < 2_000, 'DAILY is not retried');
    await admin('/__emulator/limits', {
      enabled: false,
      daily: 1_000_000,
      burst: 190,
      intervalMs: 10_000,
      resetUsage: true,
    });
  });
});
