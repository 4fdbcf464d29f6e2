// The field-by-field decisions of the HubSpot → Salesforce direction, and the reverse mapping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SfOpportunity } from '../../domain/salesforce.js';
import type { MappingContext } from '../mapping/types.js';
import {
  decideFields,
  hubspotChanges,
  hubspotSendingRules,
  resolveConflict,
  type BackRule,
} from './decide.js';
import { toSalesforce } from './to-salesforce.js';
import { canonical } from './values.js';

const ctx: MappingContext = {
  ownerByUserId: new Map([
    ['005A', '501'],
    ['005B', '502'],
    ['005C', '502'],
  ]),
  fallbackOwnerId: null,
  stageMap: new Map([
    [
      'default',
      new Map([
        ['Prospecting', { pipelineId: 'p1', stageId: 's1' }],
        ['Closed Won', { pipelineId: 'p1', stageId: 's9' }],
      ]),
    ],
    ['012B', new Map([['Qualification', { pipelineId: 'p2', stageId: 't1' }]])],
  ]),
  multiCurrency: true,
  enabledCurrencies: new Set(['EUR', 'USD']),
  dealTypeOptions: new Set(['newbusiness', 'existingbusiness']),
  typeValueMap: new Map([['New Customer', 'newbusiness']]),
  customMappings: [],
  hubspotProperties: new Map(),
};

const opp: SfOpportunity = {
  Id: '006A',
  Name: 'Acme',
  Amount: '1000',
  CloseDate: '2026-06-30',
  CreatedDate: '2026-01-01T00:00:00.000Z',
  StageName: 'Prospecting',
  IsClosed: false,
  IsWon: false,
  Type: null,
  Description: 'old',
  OwnerId: '005A',
  AccountId: null,
  RecordTypeId: null,
  CurrencyIsoCode: 'EUR',
  SystemModstamp: '2026-01-02T00:00:00.000Z',
  IsDeleted: false,
  extra: {},
};

const amount: BackRule = { property: 'amount', salesforceField: 'Amount', rule: 'two_way' };
const base = {
  amount: '1000',
  description: 'old',
  pipeline: 'p1',
  dealstage: 's1',
  closedate: '2026-06-30T00:00:00.000Z',
};

test('the rules that send HubSpot values: Two-way and Prefer Salesforce unless blank, never identity', () => {
  const rules = hubspotSendingRules([
    { salesforceField: 'Amount', hubspotProperty: 'amount', rule: 'two_way', custom: false },
    {
      salesforceField: 'Description',
      hubspotProperty: 'description',
      rule: 'always_salesforce',
      custom: false,
    },
    {
      salesforceField: 'Type',
      hubspotProperty: 'dealtype',
      rule: 'prefer_salesforce_unless_blank',
      custom: false,
    },
    { salesforceField: 'Name', hubspotProperty: 'dealname', rule: 'two_way', custom: true },
    { salesforceField: 'X__c', hubspotProperty: 'x', rule: 'dont_sync', custom: true },
  ]);
  assert.deepEqual(
    rules.map((r) => r.property),
    ['amount', 'dealtype'],
  );
});

test('our own writes are no change: values equal to the base in another spelling', () => {
  const props = { amount: '1000.00', closedate: '2026-06-30T00:00:00Z', pipeline: 'p1', dealstage: 's1' };
  const rules: BackRule[] = [
    amount,
    { property: 'closedate', salesforceField: 'CloseDate', rule: 'two_way' },
    { property: 'dealstage', salesforceField: 'StageName', rule: 'two_way' },
  ];
  assert.deepEqual(hubspotChanges(props, base, rules, ctx), []);
  assert.equal(canonical('datetime', '1782777600000'), canonical('datetime', '2026-06-30'));
});

test('HubSpot changed alone: write; both to the same value: settle; both differently: conflict', () => {
  const [write] = decideFields({ amount: '1500' }, base, [amount], opp, ctx);
  assert.equal(write?.state, 'write');
  const [settle] = decideFields({ amount: '1500.0' }, base, [amount], { ...opp, Amount: '1500' }, ctx);
  assert.equal(settle?.state, 'settle');
  const [conflict] = decideFields({ amount: '1500' }, base, [amount], { ...opp, Amount: '1200' }, ctx);
  assert.equal(conflict?.state, 'conflict');
});

test('Prefer Salesforce unless blank: HubSpot fills a blank Salesforce field, never overwrites one', () => {
  const rule: BackRule = {
    property: 'description',
    salesforceField: 'Description',
    rule: 'prefer_salesforce_unless_blank',
  };
  assert.equal(decideFields({ description: 'new' }, base, [rule], opp, ctx)[0]?.state, 'kept');
  assert.equal(
    decideFields({ description: 'new' }, base, [rule], { ...opp, Description: null }, ctx)[0]?.state,
    'write',
  );
});

test('the later change wins; a tie or a missing HubSpot time goes to Salesforce', () => {
  assert.equal(resolveConflict('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'), 'hubspot');
  assert.equal(resolveConflict('2026-01-01T00:00:02Z', '2026-01-01T00:00:01Z'), 'salesforce');
  assert.equal(resolveConflict('2026-01-01T00:00:01Z', '2026-01-01T00:00:01Z'), 'salesforce');
  assert.equal(resolveConflict(null, '2026-01-01T00:00:01Z'), 'hubspot');
  assert.equal(resolveConflict('2026-01-01T00:00:01Z', null), 'salesforce');
});

test('amounts go back exact to the cent, in the opportunity currency only', () => {
  const back = (v: string, currency = 'EUR') =>
    toSalesforce(opp, 'amount', 'Amount', { amount: v, deal_currency_code: currency }, { mapping: ctx });
  assert.deepEqual(back('1234567.89'), { ok: true, fields: { Amount: 1234567.89 } });
  assert.deepEqual(back(''), { ok: true, fields: { Amount: null } });
  const cents = back('10.005');
  assert.ok(
    cents.ok === false &&
      cents.error.code === 'INVALID_VALUE' &&
      /fractions of a cent/.test(cents.error.message),
  );
  const digits = back('12345678901234567.5');
  assert.ok(digits.ok === false && digits.error.code === 'INVALID_VALUE');
  const other = back('10', 'USD');
  assert.ok(other.ok === false && other.error.code === 'CURRENCY_MISMATCH');
});

test('stages go back through the stage map; another record type moves it; no counterpart is STAGE_NOT_MAPPED', () => {
  const stage = (pipeline: string, dealstage: string, o: SfOpportunity = opp) =>
    toSalesforce(o, 'dealstage', 'StageName', { pipeline, dealstage }, { mapping: ctx });
  assert.deepEqual(stage('p1', 's9'), { ok: true, fields: { StageName: 'Closed Won' } });
  const moved = stage('p2', 't1', { ...opp, RecordTypeId: '012A' });
  assert.deepEqual(moved, { ok: true, fields: { RecordTypeId: '012B', StageName: 'Qualification' } });
  const none = stage('p9', 'x');
  assert.ok(
    none.ok === false &&
      none.error.code === 'STAGE_NOT_MAPPED' &&
      /no Salesforce stage/.test(none.error.message),
  );
});

test('owners go back through the owner map to an active user; none is OWNER_NOT_FOUND and the owner stays', () => {
  const users = [
    { Id: '005A', Email: 'a@x', Name: 'A', IsActive: true },
    { Id: '005B', Email: 'b@x', Name: 'B', IsActive: false },
    { Id: '005C', Email: 'b@x', Name: 'C', IsActive: true },
  ];
  const owner = (v: string) =>
    toSalesforce(
      opp,
      'hubspot_owner_id',
      'OwnerId',
      { hubspot_owner_id: v },
      { mapping: ctx, activeUsers: users },
    );
  assert.deepEqual(owner('502'), { ok: true, fields: { OwnerId: '005C' } }, 'the active one of the two');
  const none = owner('999');
  assert.ok(
    none.ok === 'skip' &&
      none.warning.code === 'OWNER_NOT_FOUND' &&
      /OwnerId stays 005A/.test(none.warning.message),
  );
});

test('dates and Type values go back in Salesforce form', () => {
  assert.deepEqual(
    toSalesforce(opp, 'closedate', 'CloseDate', { closedate: '1782777600000' }, { mapping: ctx }),
    {
      ok: true,
      fields: { CloseDate: '2026-06-30' },
    },
  );
  const type = (v: string) =>
    toSalesforce(
      opp,
      'dealtype',
      'Type',
      { dealtype: v },
      { mapping: ctx, typeValues: ['New Customer', 'Existing Customer'] },
    );
  assert.deepEqual(type('newbusiness'), { ok: true, fields: { Type: 'New Customer' } });
  const bad = type('existingbusiness');
  assert.ok(bad.ok === false && bad.error.code === 'INVALID_PICKLIST');
});
