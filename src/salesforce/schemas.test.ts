import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseDateTime } from '../domain/salesforce.js';
import { parseJsonKeepingNumbers } from './lossless-json.js';
import { datedRateSchema, extraValue, parseLimitInfo, parseOpportunity, stageSchema } from './schemas.js';

const opp = (over: string): unknown =>
  parseJsonKeepingNumbers(`{"Id":"006000000000001AAA","Name":"N","Amount":12.50,"CloseDate":"2024-02-29",
  "CreatedDate":"2024-02-29T23:59:59.000+0000","StageName":"S","IsClosed":false,"IsWon":false,
  "SystemModstamp":"2024-03-01T00:00:00.000+0000"${over}}`);

describe('schemas', () => {
  it('normalises Salesforce datetimes to Z', () => {
    assert.equal(normaliseDateTime('2024-05-20T20:49:32.000+0000'), '2024-05-20T20:49:32.000Z');
    assert.equal(normaliseDateTime('2024-05-20T22:49:32.5+02:00'), '2024-05-20T20:49:32.500Z');
    assert.equal(normaliseDateTime('2024-05-20T00:10:00.000-0130'), '2024-05-20T01:40:00.000Z');
    assert.equal(normaliseDateTime('2024-05-20T20:49:32Z'), '2024-05-20T20:49:32.000Z');
    assert.throws(() => normaliseDateTime('2024-05-20 20:49'));
  });

  it('an opportunity: Amount as sent, missing optional fields null, IsDeleted defaults false', () => {
    const o = parseOpportunity(opp(''), []);
    assert.equal(o.Amount, '12.50');
    assert.equal(o.CloseDate, '2024-02-29');
    assert.equal(o.CreatedDate, '2024-02-29T23:59:59.000Z');
    assert.equal(o.RecordTypeId, null);
    assert.equal(o.CurrencyIsoCode, null);
    assert.equal(o.IsDeleted, false);
    assert.deepEqual(o.contactRoles, []);
  });

  it('rejects what would become a money bug or a bad id', () => {
    assert.throws(() => parseOpportunity(opp(',"Amount":"12,5"'), []));
    assert.throws(() => parseOpportunity(opp(',"Amount":true'), []));
    assert.throws(() => parseOpportunity(opp(',"Id":"006x"'), []));
    assert.throws(() => parseOpportunity(opp(',"CloseDate":"29.02.2024"'), []));
    assert.throws(() => parseOpportunity(opp(',"IsWon":"true"'), []));
  });

  it('contact roles from the child result', () => {
    const o = parseOpportunity(
      opp(`,"OpportunityContactRoles":{"totalSize":1,"done":true,"records":[{"Id":"00K000000000001AAA",
      "OpportunityId":"006000000000001AAA","ContactId":"003000000000001AAA","Role":null,"IsPrimary":false,
      "SystemModstamp":"2024-03-01T00:00:00.000+0000"}]}`),
      [],
    );
    assert.deepEqual(o.contactRoles, [
      {
        Id: '00K000000000001AAA',
        OpportunityId: '006000000000001AAA',
        ContactId: '003000000000001AAA',
        Role: null,
        IsPrimary: false,
        SystemModstamp: '2024-03-01T00:00:00.000Z',
        IsDeleted: false,
      },
    ]);
  });

  it("parent fields: each role's Contact.Email, the opportunity's Account", () => {
    const o = parseOpportunity(
      opp(`,"AccountId":"001000000000001AAA","Account":{"attributes":{"type":"Account"},"Name":"Acme",
      "Website":"acme.io","SystemModstamp":"2024-03-01T00:00:00.000+0000"},
      "OpportunityContactRoles":{"totalSize":2,"done":true,"records":[{"Id":"00K000000000001AAA",
      "OpportunityId":"006000000000001AAA","ContactId":"003000000000001AAA","Role":null,"IsPrimary":false,
      "SystemModstamp":"2024-03-01T00:00:00.000+0000","Contact":{"attributes":{},"Email":"Ann@Acme.io"}},
      {"Id":"00K000000000002AAA","OpportunityId":"006000000000001AAA","ContactId":"003000000000002AAA",
      "Role":null,"IsPrimary":false,"SystemModstamp":"2024-03-01T00:00:00.000+0000","Contact":null}]}`),
      [],
    );
    assert.deepEqual(o.account, {
      Id: '001000000000001AAA',
      Name: 'Acme',
      Website: 'acme.io',
      SystemModstamp: '2024-03-01T00:00:00.000Z',
    });
    assert.deepEqual(
      o.contactRoles.map((r) => r.ContactEmail),
      ['Ann@Acme.io', null],
    );
    assert.equal(parseOpportunity(opp(',"Account":null'), []).account, null);
    assert.equal(parseOpportunity(opp(',"Account":{"Name":"Acme"}'), []).account, undefined, 'not all read');
    assert.equal(parseOpportunity(opp(''), []).account, undefined);
  });

  it('extra values by path, case-insensitively; numbers exact, datetimes normalised', () => {
    const rec = parseJsonKeepingNumbers(
      '{"Custom__c":1.0E3,"Flag__c":true,"When__c":"2024-01-01T00:00:00.000+0000","Account":{"Name":"Acme"},"Nested":{"a":1}}',
    ) as Record<string, unknown>;
    assert.equal(extraValue(rec, 'Custom__c'), '1000');
    assert.equal(extraValue(rec, 'custom__c'), '1000');
    assert.equal(extraValue(rec, 'Flag__c'), true);
    assert.equal(extraValue(rec, 'When__c'), '2024-01-01T00:00:00.000Z');
    assert.equal(extraValue(rec, 'Account.Name'), 'Acme');
    assert.equal(extraValue(rec, 'Nested'), null);
    assert.equal(extraValue(rec, 'Missing__c'), null);
  });

  it('stages, dated rates, limit info', () => {
    const s = stageSchema.parse(
      parseJsonKeepingNumbers(
        '{"Id":"01J5g000000D2l7EAC","ApiName":"Closed Won","MasterLabel":"Closed Won","SortOrder":9,"DefaultProbability":100.0,"IsClosed":true,"IsWon":true,"IsActive":true}',
      ),
    );
    assert.equal(s.SortOrder, 9);
    assert.equal(s.DefaultProbability, 100);
    const r = datedRateSchema.parse(
      parseJsonKeepingNumbers(
        '{"IsoCode":"EUR","ConversionRate":0.912345,"StartDate":"2024-01-01","NextStartDate":null}',
      ),
    );
    assert.deepEqual(r, {
      IsoCode: 'EUR',
      ConversionRate: '0.912345',
      StartDate: '2024-01-01',
      NextStartDate: null,
    });
    const at = new Date('2024-01-01T00:00:00Z');
    assert.deepEqual(parseLimitInfo('api-usage=10018/100000; api-bursts=1/750', at), {
      used: 10018,
      max: 100000,
      at: '2024-01-01T00:00:00.000Z',
    });
    assert.equal(parseLimitInfo(undefined, at), undefined);
  });
});
