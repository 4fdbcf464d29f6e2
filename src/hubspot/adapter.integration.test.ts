// The HubSpot adapter against the HubSpot emulator: batching, upsert semantics, per-input and
// whole-batch errors, associations, setup calls and retries (faults and pacing: adapter-faults).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHubspotEmulator } from '../../emulators/hubspot/index.js';
import { BatchRejectedError } from '../engine/ports/remote.js';
import { createHubspotAdapter, DEAL_ID_PROPERTY } from './adapter.js';
import { admin, fast, oppId, rejectsWith, useAdapterWorld, world } from './testing/adapter-world.js';

useAdapterWorld(() => createHubspotEmulator({ seed: 'demo', rateLimits: false }));

describe('HubSpot adapter (emulator)', () => {
  it('setup calls are idempotent and properties report uniqueness / read-only values', async () => {
    await world.hs.ensurePropertyGroup('deals', 'salesforce_opportunity_sync', 'Salesforce opportunity sync');
    await world.hs.createProperty('deals', {
      name: DEAL_ID_PROPERTY,
      label: 'Salesforce opportunity ID',
      type: 'string',
      fieldType: 'text',
      groupName: 'salesforce_opportunity_sync',
      hasUniqueValue: true,
    });
    const props = await world.hs.properties('deals');
    assert.equal(props.find((p) => p.name === DEAL_ID_PROPERTY)?.hasUniqueValue, true);
    assert.ok(props.some((p) => p.name === 'dealstage' && p.type === 'enumeration'));
  });

  it('relabels a property and, from the labels setup gave it, its group (the language setting)', async () => {
    const group = async () =>
      (
        (await (
          await fetch(`${world.emu.url}/crm/v3/properties/contacts/groups/relabel_test`, {
            headers: { authorization: `Bearer ${world.emu.accessToken}` },
          })
        ).json()) as { label: string }
      ).label;
    await world.hs.ensurePropertyGroup('contacts', 'relabel_test', 'Salesforce opportunity sync');
    await world.hs.ensurePropertyGroup('contacts', 'relabel_test', 'Opportunity-Synchronisierung', [
      'Salesforce opportunity sync',
    ]);
    assert.equal(await group(), 'Opportunity-Synchronisierung');
    // A label not in the list (someone renamed the group in HubSpot) is kept.
    await world.hs.ensurePropertyGroup('contacts', 'relabel_test', 'Salesforce opportunity sync', [
      'Something else',
    ]);
    assert.equal(await group(), 'Opportunity-Synchronisierung');
    await world.hs.createProperty('contacts', {
      name: 'relabel_test_id',
      label: 'Salesforce contact ID',
      type: 'string',
      fieldType: 'text',
      groupName: 'relabel_test',
    });
    await world.hs.setPropertyLabel('contacts', 'relabel_test_id', 'Salesforce-Kontakt-ID');
    const prop = (await world.hs.properties('contacts')).find((p) => p.name === 'relabel_test_id');
    assert.equal(prop?.label, 'Salesforce-Kontakt-ID');
    assert.equal(prop?.type, 'string');
  });

  it('account info, owners, pipelines', async () => {
    const info = await world.hs.accountInfo();
    assert.equal(info.portalId, world.emu.portalId);
    assert.ok(info.currencies.includes(info.companyCurrency));
    const owners = await world.hs.owners();
    assert.ok(owners.length > 0 && owners.every((o) => o.email.includes('@')));
    const pipelines = await world.hs.dealPipelines();
    assert.ok(pipelines.length > 0);
    assert.ok(pipelines[0]!.stages.some((s) => s.isClosed && s.probability === 1));
  });

  it('creates a pipeline and adds a stage to it', async () => {
    const p = await world.hs.createDealPipeline({
      label: 'Salesforce - Test',
      displayOrder: 5,
      stages: [
        { label: 'Open', displayOrder: 0, probability: 0.1, isClosed: false },
        { label: 'Won', displayOrder: 1, probability: 1, isClosed: true },
      ],
    });
    assert.deepEqual(
      p.stages.map((s) => [s.label, s.probability, s.isClosed]),
      [
        ['Open', 0.1, false],
        ['Won', 1, true],
      ],
    );
    const u = await world.hs.updateDealPipeline(p.id, {
      label: 'Salesforce - Test 2',
      stages: [
        { label: 'Open', displayOrder: 0, probability: 0.2, isClosed: false },
        { label: 'Won', displayOrder: 1, probability: 1, isClosed: true },
        { label: 'Lost', displayOrder: 2, probability: 0, isClosed: true },
      ],
    });
    assert.equal(u.label, 'Salesforce - Test 2');
    assert.equal(u.stages.length, 3);
    assert.equal(u.stages.find((s) => s.label === 'Open')?.probability, 0.2);
  });

  it('upserts 150 deals in two batches: created, then updated with the same ids', async () => {
    const inputs = Array.from({ length: 150 }, (_, i) => ({
      opportunityId: oppId(i),
      properties: { dealname: `Deal ${i}`, amount: `${i}.50` },
    }));
    const first = await world.hs.upsertDeals(inputs);
    assert.equal(first.errors.length, 0);
    assert.equal(first.results.length, 150);
    assert.ok(first.results.every((r) => r.created));
    const again = await world.hs.upsertDeals(
      inputs.map((i) => ({ ...i, properties: { ...i.properties, dealname: 'renamed' } })),
    );
    assert.ok(again.results.every((r) => !r.created));
    const ids = new Map(first.results.map((r) => [r.opportunityId, r.dealId]));
    for (const r of again.results) assert.equal(ids.get(r.opportunityId), r.dealId);
    const read = await world.hs.readByUniqueProperty(
      'deals',
      DEAL_ID_PROPERTY,
      [oppId(3), oppId(149), oppId(999)],
      ['dealname', 'amount'],
    );
    assert.equal(read.length, 2);
    const d3 = read.find((o) => o.properties[DEAL_ID_PROPERTY] === oppId(3));
    assert.equal(d3?.properties.dealname, 'renamed');
    assert.equal(d3?.properties.amount, '3.50');
  });

  it('lists the recycle bin past one page: every archived deal with its archivedAt, no live one', async () => {
    const inputs = Array.from({ length: 130 }, (_, i) => ({
      opportunityId: oppId(5000 + i),
      properties: { dealname: `Binned ${i}` },
    }));
    const made = await world.hs.upsertDeals(inputs);
    const binned = made.results.slice(0, 120).map((r) => r.dealId);
    await world.hs.archiveDeals(binned);
    const listed = await world.hs.archivedDeals();
    const byId = new Map(listed.map((d) => [d.dealId, d.archivedAt]));
    for (const id of binned)
      assert.ok(Date.parse(byId.get(id) ?? '') > 0, `deal ${id} listed with archivedAt`);
    for (const r of made.results.slice(120)) assert.equal(byId.has(r.dealId), false);
  });

  it('one bad input rejects its batch: BatchRejectedError names it (index offset by chunk)', async () => {
    const inputs = Array.from({ length: 130 }, (_, i) => ({
      opportunityId: oppId(1000 + i),
      properties: { dealname: `D ${i}`, ...(i === 120 ? { dealstage: 'no-such-stage' } : {}) },
    }));
    await assert.rejects(world.hs.upsertDeals(inputs), (e: unknown) => {
      assert.ok(e instanceof BatchRejectedError, String(e));
      assert.equal(e.status, 400);
      assert.equal(e.code, 'INVALID_PICKLIST');
      assert.equal(e.property, 'dealstage');
      assert.deepEqual(e.culprits, [120]);
      return true;
    });
  });

  it('association creates go in chunks of the configured size and fall back to the portal limit', async () => {
    const contact = (
      await world.hs.createObjects('contacts', [{ properties: { email: 'assoc-chunks@example.com' } }])
    ).results[0]!;
    const deals = (
      await world.hs.upsertDeals(
        Array.from({ length: 250 }, (_, i) => ({
          opportunityId: oppId(7000 + i),
          properties: { dealname: `c${i}` },
        })),
      )
    ).results;
    assert.equal(deals.length, 250);
    const inputs = deals.map((d) => ({ fromId: d.dealId, toId: contact.id, typeId: 3 }));
    const small = createHubspotAdapter({
      baseUrl: world.emu.url,
      accessToken: world.emu.accessToken,
      retryPolicy: fast,
      associationBatchSize: 60,
    });
    await small.associate('contacts', inputs.slice(0, 120));
    assert.equal(small.usage().requests, 2);
    // Default 1,000: one call where the portal takes 250 inputs, else one refused call and
    // chunks of the limit it names.
    const big = createHubspotAdapter({
      baseUrl: world.emu.url,
      accessToken: world.emu.accessToken,
      retryPolicy: fast,
    });
    await big.associate('contacts', inputs.slice(120));
    assert.ok([1, 3].includes(big.usage().requests), `requests: ${big.usage().requests}`);
    const assoc = await world.hs.readAssociations(
      'contacts',
      deals.map((d) => d.dealId),
    );
    for (const d of deals)
      assert.deepEqual(
        assoc.get(d.dealId)?.map((a) => a.toId),
        [contact.id],
      );
  });

  it('contacts: create, associate, read associations, dissociate; archive deals', async () => {
    const created = await world.hs.createObjects('contacts', [
      { properties: { email: 'assoc-a@example.com', firstname: 'A' } },
      { properties: { email: 'assoc-b@example.com', firstname: 'B' } },
    ]);
    assert.equal(created.results.length, 2);
    const [ca, cb] = created.results;
    const deals = (
      await world.hs.upsertDeals([{ opportunityId: oppId(5000), properties: { dealname: 'with roles' } }])
    ).results;
    const dealId = deals[0]!.dealId;
    await world.hs.associate('contacts', [
      { fromId: dealId, toId: ca!.id, typeId: 3 },
      { fromId: dealId, toId: cb!.id, typeId: 3 },
    ]);
    let assoc = await world.hs.readAssociations('contacts', [dealId]);
    assert.deepEqual(
      assoc
        .get(dealId)
        ?.map((a) => a.toId)
        .sort(),
      [ca!.id, cb!.id].sort(),
    );
    assert.ok(assoc.get(dealId)?.every((a) => a.typeIds.includes(3)));
    await world.hs.dissociate('contacts', [{ fromId: dealId, toId: ca!.id, typeId: 3 }]);
    assoc = await world.hs.readAssociations('contacts', [dealId]);
    assert.deepEqual(
      assoc.get(dealId)?.map((a) => a.toId),
      [cb!.id],
    );

    const upd = await world.hs.updateObjects('contacts', [
      { id: ca!.id, properties: { lastname: 'Updated' } },
      { id: '999999999', properties: { lastname: 'Nobody' } },
    ]);
    assert.equal(upd.results.length, 1);
    assert.deepEqual(
      upd.errors.map((e) => [e.index, e.code]),
      [[1, 'HUBSPOT_NOT_FOUND']],
    );

    await world.hs.archiveDeals([dealId]);
    assert.deepEqual(await world.hs.readByIds('deals', [dealId], ['dealname']), []);
  });

  it('creates deals with inline associations; a replay is refused as a conflict', async () => {
    const made = await world.hs.createObjects('contacts', [{ properties: { email: 'inline@example.com' } }]);
    const company = await world.hs.createObjects('companies', [{ properties: { name: 'Inline Co' } }]);
    const contactId = made.results[0]!.id;
    const companyId = company.results[0]!.id;
    const inputs = [900, 901].map((n) => ({
      opportunityId: oppId(n),
      properties: { dealname: `Inline ${n}`, pipeline: 'default', dealstage: 'appointmentscheduled' },
      associations: [
        { toId: contactId, typeId: 3 },
        { toId: companyId, typeId: 5 },
      ],
    }));
    const out = await world.hs.createDeals!(inputs);
    assert.deepEqual(out.errors, []);
    assert.deepEqual(out.results.map((r) => r.opportunityId).sort(), [oppId(900), oppId(901)]);
    assert.ok(out.results.every((r) => r.created));
    const dealIds = out.results.map((r) => r.dealId);
    const contacts = await world.hs.readAssociations('contacts', dealIds);
    const companies = await world.hs.readAssociations('companies', dealIds);
    for (const id of dealIds) {
      assert.deepEqual(
        contacts.get(id)?.map((a) => a.toId),
        [contactId],
      );
      assert.ok(companies.get(id)?.some((a) => a.toId === companyId && a.typeIds.includes(5)));
    }
    await assert.rejects(world.hs.createDeals!(inputs), (e: unknown) => {
      assert.ok(e instanceof BatchRejectedError, String(e));
      assert.equal(e.status, 409);
      return true;
    });
  });

  it('duplicate unique values in one create batch → HUBSPOT_CONFLICT rejection', async () => {
    await assert.rejects(
      world.hs.createObjects('contacts', [
        { properties: { email: 'dup@example.com' } },
        { properties: { email: 'other@example.com' } },
        { properties: { email: 'dup@example.com' } },
      ]),
      (e: unknown) => {
        assert.ok(e instanceof BatchRejectedError, String(e));
        assert.equal(e.code, 'HUBSPOT_CONFLICT');
        return true;
      },
    );
  });

  it('finds companies by domain through search', async () => {
    const made = await world.hs.createObjects('companies', [
      { properties: { name: 'Domain Co', domain: 'domain-co.example' } },
    ]);
    const found = await world.hs.findCompaniesByDomain(['DOMAIN-CO.example', 'none.example']);
    assert.deepEqual(
      found.map((c) => c.id),
      made.results.map((c) => c.id),
    );
  });

  it("pages through a search past its 200 results and a deal's associations past their first 500", async () => {
    const companies = await world.hs.createObjects(
      'companies',
      Array.from({ length: 201 }, (_, i) => ({
        properties: { name: `Shared ${i}`, domain: 'shared.example' },
      })),
    );
    const found = await world.hs.findCompaniesByDomain(['shared.example']);
    assert.deepEqual(found.map((c) => c.id).sort(), companies.results.map((c) => c.id).sort());

    const contacts = await world.hs.createObjects(
      'contacts',
      Array.from({ length: 501 }, (_, i) => ({ properties: { email: `many-${i}@example.com` } })),
    );
    const [deal] = (
      await world.hs.upsertDeals([{ opportunityId: oppId(6000), properties: { dealname: 'crowded' } }])
    ).results;
    await world.hs.associate(
      'contacts',
      contacts.results.map((c) => ({ fromId: deal!.dealId, toId: c.id, typeId: 3 })),
    );
    const assoc = await world.hs.readAssociations('contacts', [deal!.dealId]);
    assert.deepEqual(
      assoc
        .get(deal!.dealId)
        ?.map((a) => a.toId)
        .sort(),
      contacts.results.map((c) => c.id).sort(),
    );
  });

  it('retries 5xx and 429, maps auth, daily limit and persistent 5xx', async () => {
    await admin('POST', '/faults', { path: '/crm/v3/objects/deals/batch/read', status: 503, times: 2 });
    assert.deepEqual(await world.hs.readByIds('deals', ['1'], []), []);
    await admin('POST', '/faults', {
      path: '/crm/v3/objects/deals/batch/read',
      status: 429,
      headers: { 'retry-after': '0' },
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
      times: 1,
    });
    assert.deepEqual(await world.hs.readByIds('deals', ['1'], []), []);
    await admin('DELETE', '/faults');
    await admin('POST', '/faults', {
      path: '/crm/v3/objects/deals/batch/read',
      status: 429,
      body: {
        status: 'error',
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'DAILY',
      },
      times: 1,
    });
    await rejectsWith(world.hs.readByIds('deals', ['1'], []), 'HUBSPOT_RATE_LIMITED');
    await admin('POST', '/faults', { path: '/crm/v3/objects/deals/batch/read', status: 502, times: 10 });
    await rejectsWith(world.hs.readByIds('deals', ['1'], []), 'HUBSPOT_UNAVAILABLE');
    await admin('DELETE', '/faults');
    const wrong = createHubspotAdapter({
      baseUrl: world.emu.url,
      accessToken: 'wrong-token',
      retryPolicy: fast,
    });
    await rejectsWith(wrong.owners(), 'AUTH_FAILED');
  });
});
