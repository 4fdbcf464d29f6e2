// Properties, pipelines, owners, account details and currencies over raw HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
before(async () => {
  p = await startPortal({ seed: 'demo' });
});
after(() => p.close());

describe('properties v3', () => {
  test('default deal properties with types, options and read-only metadata', async () => {
    const r = await p.api('GET', '/crm/v3/properties/deals');
    assert.equal(r.status, 200);
    const by = new Map(r.body.results.map((x: { name: string }) => [x.name, x]));
    const dealtype = by.get('dealtype') as { type: string; options: { value: string }[] };
    assert.equal(dealtype.type, 'enumeration');
    assert.deepEqual(
      dealtype.options.map((o) => o.value),
      ['newbusiness', 'existingbusiness'],
    );
    const closed = by.get('hs_is_closed_won') as { modificationMetadata: { readOnlyValue: boolean } };
    assert.equal(closed.modificationMetadata.readOnlyValue, true);
    const currency = by.get('deal_currency_code') as { options: { value: string }[] };
    assert.deepEqual(
      currency.options.map((o) => o.value),
      ['USD', 'EUR', 'GBP'],
    );
    const stage = await p.api('GET', '/crm/v3/properties/deals/dealstage');
    assert.equal(stage.body.options.length, 7);
    assert.equal((await p.api('GET', '/crm/v3/properties/deals/nope')).status, 404);
  });

  test('create, 409 on an existing name, update, groups', async () => {
    const g = await p.api('POST', '/crm/v3/properties/deals/groups', {
      name: 'sf_sync',
      label: 'Salesforce sync',
    });
    assert.equal(g.status, 201);
    const body = {
      name: 'sf_opp',
      label: 'SF opp',
      type: 'string',
      fieldType: 'text',
      groupName: 'sf_sync',
      hasUniqueValue: true,
    };
    const c = await p.api('POST', '/crm/v3/properties/deals', body);
    assert.equal(c.status, 201);
    assert.equal(c.body.hasUniqueValue, true);
    const again = await p.api('POST', '/crm/v3/properties/deals', body);
    assert.equal(again.status, 409);
    assert.equal(again.body.status, 'error');
    const u = await p.api('PATCH', '/crm/v3/properties/deals/sf_opp', { label: 'Salesforce opportunity id' });
    assert.equal(u.body.label, 'Salesforce opportunity id');
    const noGroup = await p.api('POST', '/crm/v3/properties/deals', {
      ...body,
      name: 'other',
      groupName: 'missing',
    });
    assert.equal(noGroup.status, 400);
    const groups = await p.api('GET', '/crm/v3/properties/deals/groups');
    assert.ok(
      groups.body.results.some((x: { name: string }) => x.name === 'sf_sync'),
      "groups.body.results.some((x: { name: string }) => x.name === 'sf_sync')",
    );
  });
});

describe('pipelines v3', () => {
  test("the default sales pipeline has HubSpot's seven stages with probabilities and isClosed", async () => {
    const r = await p.api('GET', '/crm/v3/pipelines/deals/default');
    assert.equal(r.status, 200);
    assert.equal(r.body.label, 'Sales Pipeline');
    assert.deepEqual(
      r.body.stages.map((s: { id: string; metadata: Record<string, string> }) => [
        s.id,
        s.metadata.probability,
        s.metadata.isClosed,
      ]),
      [
        ['appointmentscheduled', '0.2', 'false'],
        ['qualifiedtobuy', '0.4', 'false'],
        ['presentationscheduled', '0.6', 'false'],
        ['decisionmakerboughtin', '0.8', 'false'],
        ['contractsent', '0.9', 'false'],
        ['closedwon', '1.0', 'true'],
        ['closedlost', '0.0', 'true'],
      ],
    );
  });

  test('create (probability required), update, add a stage, and use it on a deal', async () => {
    const bad = await p.api('POST', '/crm/v3/pipelines/deals', {
      label: 'X',
      displayOrder: 1,
      stages: [{ label: 'A', displayOrder: 0, metadata: {} }],
    });
    assert.equal(bad.status, 400);
    const c = await p.api('POST', '/crm/v3/pipelines/deals', {
      label: 'Salesforce',
      displayOrder: 2,
      stages: [
        { label: 'Prospecting', displayOrder: 0, metadata: { probability: 0.1 } },
        { label: 'Closed Won', displayOrder: 1, metadata: { probability: 1, isClosed: true } },
      ],
    });
    assert.equal(c.status, 201);
    assert.equal(c.body.stages[1].metadata.isClosed, 'true');
    const u = await p.api('PATCH', `/crm/v3/pipelines/deals/${c.body.id}`, {
      label: 'Salesforce opportunities',
    });
    assert.equal(u.body.label, 'Salesforce opportunities');
    const s = await p.api('POST', `/crm/v3/pipelines/deals/${c.body.id}/stages`, {
      label: 'Closed Lost',
      displayOrder: 2,
      metadata: { probability: 0, isClosed: true },
    });
    assert.equal(s.status, 201);
    const d = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { pipeline: c.body.id, dealstage: c.body.stages[1].id },
    });
    assert.equal(d.status, 201);
    const w = await p.api('GET', `/crm/v3/objects/deals/${d.body.id}?properties=hs_is_closed_won`);
    assert.equal(w.body.properties.hs_is_closed_won, 'true');
  });
});

describe('owners v3', () => {
  test('lists with paging, filters by email, gets by id', async () => {
    const first = await p.api('GET', '/crm/v3/owners?limit=5');
    assert.equal(first.body.results.length, 5);
    const rest = await p.api('GET', `/crm/v3/owners?limit=100&after=${first.body.paging.next.after}`);
    assert.equal(first.body.results.length + rest.body.results.length, 9);
    const one = first.body.results[0];
    assert.equal(one.type, 'PERSON');
    const byEmail = await p.api('GET', `/crm/v3/owners?email=${encodeURIComponent(one.email.toUpperCase())}`);
    assert.equal(byEmail.body.results[0].id, one.id);
    assert.equal((await p.api('GET', `/crm/v3/owners/${one.id}`)).body.email, one.email);
    assert.equal((await p.api('GET', '/crm/v3/owners/1')).status, 404);
  });
});

describe('account and currencies', () => {
  test('account details name the portal, its currency and time zone', async () => {
    const r = await p.api('GET', '/account-info/v3/details');
    assert.equal(r.body.portalId, p.emu.portalId);
    assert.equal(r.body.companyCurrency, 'USD');
    assert.deepEqual(r.body.additionalCurrencies, ['EUR', 'GBP']);
    assert.match(r.body.utcOffset, /^[+-]\d\d:\d\d$/);
  });

  test('exchange rates list and create', async () => {
    const list = await p.api('GET', '/settings/v3/currencies/exchange-rates');
    assert.equal(list.body.results[0].toCurrencyCode, 'USD');
    const c = await p.api('POST', '/settings/v3/currencies/exchange-rates', {
      fromCurrencyCode: 'CAD',
      conversionRate: 0.73,
    });
    assert.equal(c.status, 201);
    const d = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { amount: '100', deal_currency_code: 'CAD' },
    });
    assert.equal(d.status, 201);
    assert.equal((await p.api('GET', '/settings/v3/currencies/company-currency')).body.currencyCode, 'USD');
  });
});
