import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HsPropertyDefinition } from '../../domain/hubspot.js';
import type { SfOpportunity } from '../../domain/salesforce.js';
import { applyRule, checkMappingCompatibility, mapOpportunityToDeal, websiteToDomain } from './index.js';
import type { FieldMapping, MappingContext, SyncRule } from './index.js';

const def = (
  name: string,
  type: HsPropertyDefinition['type'],
  extra: Partial<HsPropertyDefinition> = {},
): HsPropertyDefinition => ({
  name,
  label: name,
  type,
  fieldType: 'text',
  groupName: 'dealinformation',
  ...extra,
});

const props = new Map<string, HsPropertyDefinition>([
  ['budget_code', def('budget_code', 'string')],
  ['margin', def('margin', 'number')],
  ['signed_on', def('signed_on', 'date')],
  ['kickoff_at', def('kickoff_at', 'datetime')],
  [
    'region',
    def('region', 'enumeration', {
      fieldType: 'select',
      options: [
        { label: 'EMEA', value: 'emea' },
        { label: 'Americas', value: 'amer' },
      ],
    }),
  ],
  [
    'products',
    def('products', 'enumeration', {
      fieldType: 'checkbox',
      options: [
        { label: 'Core', value: 'core' },
        { label: 'Add-on', value: 'addon' },
      ],
    }),
  ],
  ['is_strategic', def('is_strategic', 'bool')],
  ['hs_locked', def('hs_locked', 'string', { readOnlyValue: true })],
]);

const OPP: SfOpportunity = {
  Id: '006A',
  Name: 'Big one',
  Amount: '1',
  CloseDate: '2024-05-01',
  CreatedDate: '2024-01-01T00:00:00.000Z',
  StageName: 'Prospecting',
  IsClosed: false,
  IsWon: false,
  Type: null,
  Description: null,
  OwnerId: null,
  AccountId: null,
  RecordTypeId: null,
  CurrencyIsoCode: null,
  SystemModstamp: '2024-01-01T00:00:00.000Z',
  IsDeleted: false,
  extra: {},
};

function ctx(customMappings: FieldMapping[]): MappingContext {
  return {
    ownerByUserId: new Map(),
    fallbackOwnerId: null,
    stageMap: new Map([['default', new Map([['Prospecting', { pipelineId: 'p', stageId: 's' }]])]]),
    multiCurrency: false,
    enabledCurrencies: new Set(),
    dealTypeOptions: new Set(),
    typeValueMap: new Map(),
    customMappings,
    hubspotProperties: props,
  };
}

const custom = (
  salesforceField: string,
  hubspotProperty: string,
  rule: SyncRule = 'always_salesforce',
): FieldMapping => ({
  salesforceField,
  hubspotProperty,
  rule,
  custom: true,
});

const convertCases: {
  field: string;
  prop: string;
  raw: string | number | boolean | null;
  expect: string | { code: string; message: RegExp };
}[] = [
  { field: 'Budget_Code__c', prop: 'budget_code', raw: 'B-17', expect: 'B-17' },
  {
    field: 'Budget_Code__c',
    prop: 'budget_code',
    raw: 'x'.repeat(65_537),
    expect: { code: 'VALUE_TOO_LONG', message: /Budget_Code__c is 65,537 characters/ },
  },
  { field: 'Margin__c', prop: 'margin', raw: 12.5, expect: '12.5' },
  { field: 'Margin__c', prop: 'margin', raw: '0.10', expect: '0.1' },
  {
    field: 'Margin__c',
    prop: 'margin',
    raw: 'lots',
    expect: { code: 'INVALID_VALUE', message: /Margin__c "lots" is not a number/ },
  },
  { field: 'Signed__c', prop: 'signed_on', raw: '2024-03-01', expect: '2024-03-01' },
  { field: 'Signed__c', prop: 'signed_on', raw: '2024-03-01T23:30:00.000+0000', expect: '2024-03-01' },
  {
    field: 'Kickoff__c',
    prop: 'kickoff_at',
    raw: '2024-03-01T23:30:00.000+0200',
    expect: '2024-03-01T21:30:00.000Z',
  },
  { field: 'Kickoff__c', prop: 'kickoff_at', raw: '2024-03-01', expect: '2024-03-01T00:00:00.000Z' },
  { field: 'Region__c', prop: 'region', raw: 'EMEA', expect: 'emea' },
  { field: 'Region__c', prop: 'region', raw: 'amer', expect: 'amer' },
  {
    field: 'Region__c',
    prop: 'region',
    raw: 'APAC',
    expect: {
      code: 'INVALID_PICKLIST',
      message: /Region__c "APAC" is not an option of HubSpot property "region"/,
    },
  },
  {
    field: 'Region__c',
    prop: 'region',
    raw: 'EMEA;Americas',
    expect: { code: 'INVALID_VALUE', message: /takes one/ },
  },
  { field: 'Products__c', prop: 'products', raw: 'Core;Add-on', expect: 'core;addon' },
  { field: 'Strategic__c', prop: 'is_strategic', raw: true, expect: 'true' },
  { field: 'Strategic__c', prop: 'is_strategic', raw: false, expect: 'false' },
];
for (const c of convertCases) {
  void test(`custom ${c.field} ${JSON.stringify(c.raw).slice(0, 30)} → ${c.prop}`, () => {
    const r = mapOpportunityToDeal({ ...OPP, extra: { [c.field]: c.raw } }, ctx([custom(c.field, c.prop)]), {
      isCreate: false,
    });
    if (typeof c.expect === 'string') {
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.properties[c.prop], c.expect);
    } else {
      assert.ok(!r.ok);
      assert.equal(r.errors[0]?.code, c.expect.code);
      assert.equal(r.errors[0]?.field, c.field);
      assert.match(r.errors[0]?.message ?? '', /^Opportunity 006A "Big one": /);
      assert.match(r.errors[0]?.message ?? '', c.expect.message);
    }
  });
}

void test('custom mapping to a missing, read-only or protected property is skipped with a warning', () => {
  const r = mapOpportunityToDeal(
    { ...OPP, extra: { A__c: 'x', B__c: 'y', C__c: 'z' } },
    ctx([custom('A__c', 'nope'), custom('B__c', 'hs_locked'), custom('C__c', 'dealname')]),
    { isCreate: false },
  );
  assert.ok(r.ok);
  assert.equal(r.properties.dealname, 'Big one');
  assert.equal('nope' in r.properties || 'hs_locked' in r.properties, false);
  assert.deepEqual(
    r.warnings.map((w) => [w.code, w.field]),
    [
      ['SETUP_REQUIRED', 'A__c'],
      ['SETUP_REQUIRED', 'B__c'],
      ['INVALID_VALUE', 'C__c'],
    ],
  );
});

// The four sync rules: [rule, Salesforce value, isCreate, last written, expected write (undefined = leave HubSpot alone)]
const ruleCases: [
  SyncRule,
  string | null,
  boolean,
  Record<string, string | null> | undefined,
  string | undefined,
][] = [
  ['always_salesforce', 'a', false, undefined, 'a'],
  ['always_salesforce', null, false, undefined, ''],
  ['always_salesforce', '', true, undefined, ''],
  ['prefer_salesforce_unless_blank', 'a', false, undefined, 'a'],
  ['prefer_salesforce_unless_blank', null, false, { p: 'old' }, undefined],
  ['prefer_salesforce_unless_blank', '  ', true, undefined, undefined],
  ['dont_sync', 'a', true, undefined, undefined],
  ['dont_sync', null, false, undefined, undefined],
  ['two_way', 'a', true, undefined, 'a'],
  ['two_way', null, true, undefined, undefined],
  ['two_way', 'a', false, { p: 'a' }, undefined], // unchanged in Salesforce: a HubSpot edit stands
  ['two_way', 'b', false, { p: 'a' }, 'b'], // changed in Salesforce: latest change wins
  ['two_way', null, false, { p: 'a' }, ''], // cleared in Salesforce
  ['two_way', null, false, { p: null }, undefined],
  ['two_way', 'a', false, {}, 'a'], // never written before
  ['two_way', 'a', false, undefined, 'a'],
];
for (const [rule, value, isCreate, last, expected] of ruleCases) {
  void test(`rule ${rule}: ${JSON.stringify(value)} ${isCreate ? 'create' : 'update'} last=${JSON.stringify(last)} → ${JSON.stringify(expected)}`, () => {
    assert.equal(
      applyRule(rule, 'p', value, last ? { isCreate, lastWritten: last } : { isCreate }),
      expected,
    );
  });
}

void test('two_way through the mapper uses lastWritten', () => {
  const m = [custom('Budget_Code__c', 'budget_code', 'two_way')];
  const opp = { ...OPP, extra: { Budget_Code__c: 'B-1' } };
  const same = mapOpportunityToDeal(opp, ctx(m), { isCreate: false, lastWritten: { budget_code: 'B-1' } });
  const changed = mapOpportunityToDeal(opp, ctx(m), { isCreate: false, lastWritten: { budget_code: 'B-0' } });
  assert.ok(same.ok && changed.ok);
  assert.equal('budget_code' in same.properties, false);
  assert.equal(changed.properties.budget_code, 'B-1');
});

const compat: [string, HsPropertyDefinition['type'], boolean][] = [
  ['picklist', 'enumeration', true],
  ['multipicklist', 'enumeration', true],
  ['picklist', 'number', false],
  ['double', 'number', true],
  ['currency', 'number', true],
  ['percent', 'number', true],
  ['int', 'number', true],
  ['currency', 'string', false],
  ['date', 'date', true],
  ['date', 'datetime', true],
  ['datetime', 'date', true],
  ['date', 'number', false],
  ['string', 'string', true],
  ['textarea', 'string', true],
  ['email', 'string', true],
  ['phone', 'string', true],
  ['url', 'string', true],
  ['string', 'enumeration', false],
  ['textarea', 'number', false],
  ['boolean', 'bool', true],
  ['base64', 'string', false],
];
for (const [sf, hs, expected] of compat) {
  void test(`compatibility ${sf} → ${hs}: ${expected ? 'ok' : 'refused'}`, () => {
    const issue = checkMappingCompatibility(sf, def('target', hs));
    assert.equal(issue === null, expected, issue?.message);
    if (issue) {
      assert.equal(issue.code, 'INVALID_VALUE');
      assert.equal(issue.field, 'target');
      assert.match(issue.message, /"target"/);
    }
  });
}

void test('compatibility refuses read-only targets', () => {
  assert.match(
    checkMappingCompatibility('string', def('x', 'string', { readOnlyValue: true }))?.message ?? '',
    /read-only/,
  );
});

const domains: [string | null, string | null][] = [
  ['https://www.Acme.com/about', 'acme.com'],
  ['http://acme.com', 'acme.com'],
  ['acme.com', 'acme.com'],
  ['www.acme.co.uk:8080/x?y=1', 'acme.co.uk'],
  ['  shop.Acme.io.  ', 'shop.acme.io'],
  ['//acme.com', 'acme.com'],
  ['https://user:pw@acme.com', 'acme.com'],
  ['http://xn--bcher-kva.de', 'bücher.de'],
  ['acme', null],
  ['', null],
  [null, null],
  ['info@acme.com', null],
  ['10.0.0.1', null],
  ['not a website', null],
];
for (const [input, expected] of domains) {
  void test(`websiteToDomain(${JSON.stringify(input)}) = ${JSON.stringify(expected)}`, () => {
    assert.equal(websiteToDomain(input), expected);
  });
}
