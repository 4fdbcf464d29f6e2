// Property validation and derived properties, as HubSpot checks and computes them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
before(async () => {
  p = await startPortal({ seed: 'demo' });
});
after(() => p.close());

async function expectError(props: Record<string, unknown>, name: string, code: string, type = 'deals') {
  const r = await p.api('POST', `/crm/v3/objects/${type}`, { properties: props });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.category, 'VALIDATION_ERROR');
  assert.match(r.body.message, /^Property values were not valid: \[/);
  const listed = JSON.parse(r.body.message.slice('Property values were not valid: '.length)) as {
    name: string;
    error: string;
  }[];
  assert.ok(
    listed.some((e) => e.name === name && e.error === code),
    r.body.message,
  );
  assert.ok(
    r.body.errors.some(
      (e: { code: string; context: { propertyName: string[] } }) =>
        e.code === code && e.context.propertyName[0] === name,
    ),
    JSON.stringify(r.body.errors),
  );
}

describe('rejected values', () => {
  test('unknown property → PROPERTY_DOESNT_EXIST', () =>
    expectError({ dealname: 'x', nosuch: '1' }, 'nosuch', 'PROPERTY_DOESNT_EXIST'));
  test('dealstage of another pipeline → INVALID_OPTION', async () => {
    const pl = await p.api('POST', '/crm/v3/pipelines/deals', {
      label: 'Other',
      displayOrder: 1,
      stages: [{ label: 'Open', displayOrder: 0, metadata: { probability: '0.5' } }],
    });
    assert.equal(pl.status, 201);
    await expectError(
      { dealname: 'x', pipeline: pl.body.id, dealstage: 'closedwon' },
      'dealstage',
      'INVALID_OPTION',
    );
  });
  test('dealtype not an option → INVALID_OPTION', () =>
    expectError({ dealtype: 'bigbusiness' }, 'dealtype', 'INVALID_OPTION'));
  test('deal_currency_code not enabled → INVALID_OPTION', () =>
    expectError({ deal_currency_code: 'JPY' }, 'deal_currency_code', 'INVALID_OPTION'));
  test('lifecyclestage not an option → INVALID_OPTION', () =>
    expectError(
      { email: 'l@x.example', lifecyclestage: 'prospect' },
      'lifecyclestage',
      'INVALID_OPTION',
      'contacts',
    ));
  test('malformed number → INVALID_LONG', () => expectError({ amount: '12,5' }, 'amount', 'INVALID_LONG'));
  test('datetime garbage → INVALID_DATE', () =>
    expectError({ closedate: 'next tuesday' }, 'closedate', 'INVALID_DATE'));
  test('unknown owner → INVALID_OWNER_ID', () =>
    expectError({ hubspot_owner_id: '1234' }, 'hubspot_owner_id', 'INVALID_OWNER_ID'));
  for (const name of ['hs_object_id', 'hs_lastmodifieddate', 'hs_is_closed_won', 'amount_in_home_currency']) {
    test(`read-only ${name} → READ_ONLY_VALUE`, () => expectError({ [name]: '1' }, name, 'READ_ONLY_VALUE'));
  }
  for (const name of [
    'num_associated_deals',
    'total_revenue',
    'recent_deal_amount',
    'recent_deal_close_date',
    'first_deal_created_date',
  ]) {
    test(`calculated contact ${name} → READ_ONLY_VALUE`, () =>
      expectError({ [name]: '1' }, name, 'READ_ONLY_VALUE', 'contacts'));
  }
  test('createdate is writable on create, read-only afterwards', async () => {
    const c = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'c', createdate: '2020-01-02T03:04:05.000Z' },
    });
    assert.equal(c.status, 201);
    assert.equal(c.body.properties.createdate, '2020-01-02T03:04:05.000Z');
    const u = await p.api('PATCH', `/crm/v3/objects/deals/${c.body.id}`, {
      properties: { createdate: '2021-01-01' },
    });
    assert.equal(u.status, 400);
    assert.equal(u.body.errors[0].code, 'READ_ONLY_VALUE');
  });
  test('date property must be at midnight UTC', async () => {
    const prop = await p.api('POST', '/crm/v3/properties/deals', {
      name: 'renewal_date',
      label: 'Renewal',
      type: 'date',
      fieldType: 'date',
      groupName: 'dealinformation',
    });
    assert.equal(prop.status, 201);
    await expectError({ renewal_date: String(Date.UTC(2024, 4, 1, 10)) }, 'renewal_date', 'INVALID_DATE');
    const okMs = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { renewal_date: String(Date.UTC(2024, 4, 1)) },
    });
    const okYmd = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { renewal_date: '2024-05-01' },
    });
    assert.equal(okMs.body.properties.renewal_date, '2024-05-01');
    assert.equal(okYmd.body.properties.renewal_date, '2024-05-01');
  });
  test('contact email already taken (any case) → 409 CONFLICT with the existing id', async () => {
    const a = await p.api('POST', '/crm/v3/objects/contacts', { properties: { email: 'dup@x.example' } });
    const b = await p.api('POST', '/crm/v3/objects/contacts', { properties: { email: 'DUP@x.example' } });
    assert.equal(b.status, 409);
    assert.equal(b.body.category, 'CONFLICT');
    assert.equal(b.body.message, `Contact already exists. Existing ID: ${a.body.id}`);
  });
});

describe('accepted values and derived properties', () => {
  test('datetime accepts ms and ISO, returns ISO; numbers are strings', async () => {
    const ms = Date.UTC(2024, 2, 3, 4, 5, 6);
    const a = await p.api('POST', '/crm/v3/objects/deals', { properties: { closedate: ms, amount: 7 } });
    assert.equal(a.body.properties.closedate, '2024-03-03T04:05:06.000Z');
    assert.equal(a.body.properties.amount, '7');
    const b = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { closedate: '2024-03-03T04:05:06Z' },
    });
    assert.equal(b.body.properties.closedate, '2024-03-03T04:05:06.000Z');
  });

  test('default pipeline is implied; closed stages set hs_is_closed(_won) and closedate', async () => {
    const d = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'won', dealstage: 'closedwon', amount: '100' },
    });
    assert.equal(d.body.properties.pipeline, 'default');
    assert.ok(d.body.properties.closedate, 'd.body.properties.closedate');
    const r = await p.api(
      'GET',
      `/crm/v3/objects/deals/${d.body.id}?properties=hs_is_closed,hs_is_closed_won,hs_deal_stage_probability`,
    );
    assert.equal(r.body.properties.hs_is_closed, 'true');
    assert.equal(r.body.properties.hs_is_closed_won, 'true');
    assert.equal(r.body.properties.hs_deal_stage_probability, '1.0');
    await p.api('PATCH', `/crm/v3/objects/deals/${d.body.id}`, { properties: { dealstage: 'closedlost' } });
    const lost = await p.api(
      'GET',
      `/crm/v3/objects/deals/${d.body.id}?properties=hs_is_closed,hs_is_closed_won`,
    );
    assert.equal(lost.body.properties.hs_is_closed, 'true');
    assert.equal(lost.body.properties.hs_is_closed_won, 'false');
  });

  test('amount_in_home_currency uses the portal exchange rate of deal_currency_code', async () => {
    const d = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { amount: '200', deal_currency_code: 'EUR' },
    });
    const r = await p.api('GET', `/crm/v3/objects/deals/${d.body.id}?properties=amount_in_home_currency`);
    assert.equal(Number(r.body.properties.amount_in_home_currency), 216);
  });

  test('lifecyclestage moves forward only; clearing first allows going back', async () => {
    const c = await p.api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'life@x.example', lifecyclestage: 'customer' },
    });
    const back = await p.api('PATCH', `/crm/v3/objects/contacts/${c.body.id}`, {
      properties: { lifecyclestage: 'lead' },
    });
    assert.equal(back.status, 200);
    const still = await p.api('GET', `/crm/v3/objects/contacts/${c.body.id}?properties=lifecyclestage`);
    assert.equal(still.body.properties.lifecyclestage, 'customer');
    await p.api('PATCH', `/crm/v3/objects/contacts/${c.body.id}`, { properties: { lifecyclestage: '' } });
    await p.api('PATCH', `/crm/v3/objects/contacts/${c.body.id}`, { properties: { lifecyclestage: 'lead' } });
    const now = await p.api('GET', `/crm/v3/objects/contacts/${c.body.id}?properties=lifecyclestage`);
    assert.equal(now.body.properties.lifecyclestage, 'lead');
  });

  test('a known owner id is accepted', async () => {
    const owners = await p.api('GET', '/crm/v3/owners?limit=1');
    const d = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { hubspot_owner_id: owners.body.results[0].id },
    });
    assert.equal(d.status, 201);
  });
});
