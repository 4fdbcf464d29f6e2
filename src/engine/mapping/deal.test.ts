import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HsPropertyDefinition } from '../../domain/hubspot.js';
import type { SfOpportunity } from '../../domain/salesforce.js';
import { dealPropertiesHash, mapOpportunityToDeal } from './index.js';
import type { FieldMapping, MappedDeal, MappingContext } from './index.js';

const OPP: SfOpportunity = {
  Id: '006000000000001AAA',
  Name: 'Acme renewal',
  Amount: '12500.50',
  CloseDate: '2024-05-01',
  CreatedDate: '2024-01-15T09:30:00.000+0000',
  StageName: 'Prospecting',
  IsClosed: false,
  IsWon: false,
  Type: 'Existing Customer - Upgrade',
  Description: 'Two more seats',
  OwnerId: '005000000000001AAA',
  AccountId: '001000000000001AAA',
  RecordTypeId: null,
  CurrencyIsoCode: null,
  SystemModstamp: '2024-01-16T10:00:00.000Z',
  IsDeleted: false,
  extra: {},
};

function prop(name: string, type: HsPropertyDefinition['type'], extra: Partial<HsPropertyDefinition> = {}) {
  return [
    name,
    { name, label: name, type, fieldType: 'text', groupName: 'dealinformation', ...extra },
  ] as const;
}

function ctx(over: Partial<MappingContext> = {}): MappingContext {
  return {
    ownerByUserId: new Map([['005000000000001AAA', '9001']]),
    fallbackOwnerId: null,
    stageMap: new Map([
      [
        'default',
        new Map([
          ['Prospecting', { pipelineId: 'p1', stageId: 's-prospecting' }],
          ['Closed Won', { pipelineId: 'p1', stageId: 's-won' }],
        ]),
      ],
      ['012000000000AAA', new Map([['Prospecting', { pipelineId: 'p2', stageId: 's2-prospecting' }]])],
    ]),
    multiCurrency: false,
    enabledCurrencies: new Set(['USD', 'EUR']),
    dealTypeOptions: new Set(['newbusiness', 'existingbusiness']),
    typeValueMap: new Map([
      ['New Customer', 'newbusiness'],
      ['Existing Customer - Upgrade', 'existingbusiness'],
    ]),
    customMappings: [],
    hubspotProperties: new Map([
      prop('budget_code', 'string'),
      prop('margin', 'number'),
      prop('signed_on', 'date'),
      prop('kickoff_at', 'datetime'),
      prop('region', 'enumeration', {
        fieldType: 'select',
        options: [
          { label: 'EMEA', value: 'emea' },
          { label: 'Americas', value: 'amer' },
        ],
      }),
      prop('products', 'enumeration', {
        fieldType: 'checkbox',
        options: [
          { label: 'Core', value: 'core' },
          { label: 'Add-on', value: 'addon' },
        ],
      }),
      prop('is_strategic', 'bool'),
      prop('hs_locked', 'string', { readOnlyValue: true }),
    ]),
    pipelineLabels: new Map([['default', 'Salesforce - Default pipeline']]),
    ...over,
  };
}

function ok(r: MappedDeal) {
  if (!r.ok) assert.fail(`expected success, got ${JSON.stringify(r.errors)}`);
  return r;
}
function failed(r: MappedDeal) {
  if (r.ok) assert.fail(`expected errors, got ${JSON.stringify(r.properties)}`);
  return r.errors;
}

void test('maps every default field of DESIGN §2.1 on create', () => {
  const r = ok(mapOpportunityToDeal(OPP, ctx(), { isCreate: true }));
  assert.deepEqual(r.properties, {
    salesforce_opportunity_id: '006000000000001AAA',
    dealname: 'Acme renewal',
    amount: '12500.5',
    closedate: '2024-05-01T00:00:00.000Z',
    createdate: '2024-01-15T09:30:00.000Z',
    pipeline: 'p1',
    dealstage: 's-prospecting',
    dealtype: 'existingbusiness',
    description: 'Two more seats',
    hubspot_owner_id: '9001',
  });
  assert.deepEqual(r.warnings, []);
});

void test('createdate only on create; the hash ignores it', () => {
  const created = ok(mapOpportunityToDeal(OPP, ctx(), { isCreate: true }));
  const updated = ok(mapOpportunityToDeal(OPP, ctx(), { isCreate: false }));
  assert.equal('createdate' in updated.properties, false);
  assert.equal(dealPropertiesHash(created.properties), dealPropertiesHash(updated.properties));
});

const valueCases: {
  name: string;
  opp: Partial<SfOpportunity>;
  expect: Record<string, string | undefined>;
}[] = [
  { name: 'null amount clears', opp: { Amount: null }, expect: { amount: '' } },
  {
    name: 'amount keeps every decimal, no float',
    opp: { Amount: '0.30000000000000004' },
    expect: { amount: '0.30000000000000004' },
  },
  { name: 'amount in exponent form becomes plain', opp: { Amount: '1.5E+3' }, expect: { amount: '1500' } },
  {
    name: 'huge amount stays exact',
    opp: { Amount: '12345678901234567890.12' },
    expect: { amount: '12345678901234567890.12' },
  },
  { name: 'null close date clears', opp: { CloseDate: null }, expect: { closedate: '' } },
  {
    name: 'leap day close date',
    opp: { CloseDate: '2024-02-29' },
    expect: { closedate: '2024-02-29T00:00:00.000Z' },
  },
  { name: 'blank type clears dealtype', opp: { Type: null }, expect: { dealtype: '' } },
  {
    name: 'type matching an option label loosely',
    opp: { Type: 'New Business' },
    expect: { dealtype: 'newbusiness' },
  },
  {
    name: 'type equal to an option value',
    opp: { Type: 'existingbusiness' },
    expect: { dealtype: 'existingbusiness' },
  },
  { name: 'blank description clears', opp: { Description: '  ' }, expect: { description: '' } },
  {
    name: 'description of exactly 65,536 characters',
    opp: { Description: 'x'.repeat(65_536) },
    expect: { description: 'x'.repeat(65_536) },
  },
  {
    name: 'record type with its own pipeline',
    opp: { RecordTypeId: '012000000000AAA' },
    expect: { pipeline: 'p2', dealstage: 's2-prospecting' },
  },
  {
    name: 'record type without a key uses the default map',
    opp: { RecordTypeId: '012000000000ZZZ' },
    expect: { pipeline: 'p1', dealstage: 's-prospecting' },
  },
];
for (const c of valueCases) {
  void test(`value: ${c.name}`, () => {
    const r = ok(mapOpportunityToDeal({ ...OPP, ...c.opp }, ctx(), { isCreate: false }));
    for (const [k, v] of Object.entries(c.expect)) assert.equal(r.properties[k], v, k);
  });
}

const errorCases: {
  name: string;
  opp: Partial<SfOpportunity>;
  c?: Partial<MappingContext>;
  code: string;
  field: string;
  message: RegExp;
}[] = [
  {
    name: 'unmapped stage names record, field, pipeline and the fix',
    opp: { StageName: 'Negotiation/Review' },
    code: 'STAGE_NOT_MAPPED',
    field: 'StageName',
    message:
      /^Opportunity 006000000000001AAA "Acme renewal": StageName "Negotiation\/Review" has no HubSpot stage in pipeline "Salesforce - Default pipeline" \(run `dealbridge setup` to add it, or map it to a HubSpot stage\)$/,
  },
  {
    name: 'unmapped stage of a record type with its own map',
    opp: { StageName: 'Closed Won', RecordTypeId: '012000000000AAA' },
    code: 'STAGE_NOT_MAPPED',
    field: 'StageName',
    message: /StageName "Closed Won" has no HubSpot stage in the pipeline of record type 012000000000AAA/,
  },
  {
    name: 'description one character too long',
    opp: { Description: 'x'.repeat(65_537) },
    code: 'VALUE_TOO_LONG',
    field: 'Description',
    message: /Description is 65,537 characters long, HubSpot allows 65,536/,
  },
  {
    name: 'blank name',
    opp: { Name: '' },
    code: 'REQUIRED_VALUE_MISSING',
    field: 'Name',
    message: /Name is blank/,
  },
  {
    name: 'malformed amount',
    opp: { Amount: '12,50' },
    code: 'INVALID_VALUE',
    field: 'Amount',
    message: /Amount "12,50" is not a number/,
  },
  {
    name: 'impossible close date',
    opp: { CloseDate: '2023-02-29' },
    code: 'INVALID_VALUE',
    field: 'CloseDate',
    message: /not a date/,
  },
  {
    name: 'currency not enabled in the portal',
    opp: { CurrencyIsoCode: 'JPY' },
    c: { multiCurrency: true },
    code: 'CURRENCY_NOT_ENABLED',
    field: 'CurrencyIsoCode',
    message: /CurrencyIsoCode "JPY" is not enabled in the HubSpot portal \(enabled: USD, EUR;/,
  },
  {
    name: 'no currency in a multi-currency org',
    opp: { CurrencyIsoCode: null },
    c: { multiCurrency: true },
    code: 'REQUIRED_VALUE_MISSING',
    field: 'CurrencyIsoCode',
    message: /blank in a multi-currency org/,
  },
];
for (const c of errorCases) {
  void test(`error: ${c.name}`, () => {
    const errors = failed(mapOpportunityToDeal({ ...OPP, ...c.opp }, ctx(c.c), { isCreate: false }));
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]?.code, c.code);
    assert.equal(errors[0]?.field, c.field);
    assert.match(errors[0]?.message ?? '', c.message);
  });
}

void test('all problems of a record are reported together', () => {
  const errors = failed(
    mapOpportunityToDeal({ ...OPP, StageName: 'Nope', Type: 'Nope', Name: '' }, ctx(), { isCreate: true }),
  );
  assert.deepEqual(errors.map((e) => e.code).sort(), ['REQUIRED_VALUE_MISSING', 'STAGE_NOT_MAPPED']);
});

void test('multi-currency: deal_currency_code, upper-cased', () => {
  const r = ok(
    mapOpportunityToDeal({ ...OPP, CurrencyIsoCode: 'eur' }, ctx({ multiCurrency: true }), {
      isCreate: false,
    }),
  );
  assert.equal(r.properties.deal_currency_code, 'EUR');
  const single = ok(mapOpportunityToDeal({ ...OPP, CurrencyIsoCode: 'EUR' }, ctx(), { isCreate: false }));
  assert.equal('deal_currency_code' in single.properties, false);
});

void test('owner: unmatched syncs without owner (cleared) with an OWNER_NOT_FOUND warning, or gets the fallback', () => {
  const opp = { ...OPP, OwnerId: '005000000000009AAA' };
  const r = ok(mapOpportunityToDeal(opp, ctx(), { isCreate: false }));
  assert.equal(r.properties.hubspot_owner_id, '');
  assert.equal(r.warnings.length, 1);
  assert.equal(r.warnings[0]?.code, 'OWNER_NOT_FOUND');
  assert.match(
    r.warnings[0]?.message ?? '',
    /^Opportunity 006\w+ "Acme renewal": OwnerId 005000000000009AAA has no HubSpot owner/,
  );
  const fb = ok(mapOpportunityToDeal(opp, ctx({ fallbackOwnerId: '42' }), { isCreate: false }));
  assert.equal(fb.properties.hubspot_owner_id, '42');
  assert.match(fb.warnings[0]?.message ?? '', /fallback owner 42/);
});

void test('a default mapping can be set to dont_sync or prefer_salesforce_unless_blank', () => {
  const mappings: FieldMapping[] = [
    { salesforceField: 'Description', hubspotProperty: 'description', rule: 'dont_sync', custom: false },
    {
      salesforceField: 'Amount',
      hubspotProperty: 'amount',
      rule: 'prefer_salesforce_unless_blank',
      custom: false,
    },
  ];
  const r = ok(
    mapOpportunityToDeal(
      { ...OPP, Description: 'x'.repeat(70_000), Amount: null },
      ctx({ customMappings: mappings }),
      {
        isCreate: false,
      },
    ),
  );
  assert.equal('description' in r.properties, false, 'not synced, so not checked either');
  assert.equal('amount' in r.properties, false, 'blank in Salesforce leaves HubSpot alone');
});

void test('dealPropertiesHash is stable across key order and sensitive to values', () => {
  const a = dealPropertiesHash({ dealname: 'A', amount: '1' });
  assert.equal(a, dealPropertiesHash({ amount: '1', dealname: 'A' }));
  assert.notEqual(a, dealPropertiesHash({ dealname: 'A', amount: '1.5' }));
  assert.notEqual(a, dealPropertiesHash({ dealname: 'A', amount: '1', description: '' }));
  assert.match(a, /^[0-9a-f]{64}$/);
});

void test('Type without a dealtype option: the deal syncs without dealtype, with an INVALID_PICKLIST warning', () => {
  const r = ok(mapOpportunityToDeal({ ...OPP, Type: 'Partner Resale' }, ctx(), { isCreate: false }));
  assert.equal('dealtype' in r.properties, false);
  assert.equal(r.properties.dealname, 'Acme renewal');
  assert.equal(r.warnings.length, 1);
  assert.equal(r.warnings[0]?.code, 'INVALID_PICKLIST');
  assert.equal(r.warnings[0]?.field, 'Type');
  assert.match(
    r.warnings[0]?.message ?? '',
    /^Opportunity 006\w+ "Acme renewal": Type "Partner Resale" has no HubSpot dealtype option \(options: newbusiness, existingbusiness\); the deal syncs without dealtype \(dealbridge setup --add-dealtype-options adds it; or map it: dealbridge settings set typeValueMap\)/,
  );
  // A value map entry pointing at an option the portal lacks is the same case.
  const mapped = ok(
    mapOpportunityToDeal(
      { ...OPP, Type: 'New Customer' },
      ctx({ dealTypeOptions: new Set(['existingbusiness']) }),
      { isCreate: false },
    ),
  );
  assert.equal('dealtype' in mapped.properties, false);
  assert.match(mapped.warnings[0]?.message ?? '', /Type "New Customer" has no HubSpot dealtype option/);
});

void test("Type matches the value map ignoring case: an import's `new customer` is `New Customer`", () => {
  const r = ok(mapOpportunityToDeal({ ...OPP, Type: 'new customer' }, ctx(), { isCreate: false }));
  assert.equal(r.properties.dealtype, 'newbusiness');
  assert.deepEqual(r.warnings, []);
  // An exact key wins over one equal ignoring case.
  const both = ctx({
    typeValueMap: new Map([
      ['New Customer', 'newbusiness'],
      ['new customer', 'existingbusiness'],
    ]),
  });
  assert.equal(
    ok(mapOpportunityToDeal({ ...OPP, Type: 'new customer' }, both, { isCreate: false })).properties.dealtype,
    'existingbusiness',
  );
  assert.equal(
    ok(mapOpportunityToDeal({ ...OPP, Type: 'New Customer' }, both, { isCreate: false })).properties.dealtype,
    'newbusiness',
  );
});
