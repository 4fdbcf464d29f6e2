import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  allOpportunitiesSoql,
  allOpportunityIdsSoql,
  contactRolesChangedSoql,
  cursorCondition,
  datetimeLiteral,
  fieldName,
  idLiteral,
  opportunitiesByIdsSoql,
  opportunitiesChangedSoql,
  quote,
} from './soql.js';
import { chunk } from '../lib/chunk.js';

const OPP = '006000000000001AAA';

describe('SOQL building', () => {
  it('quotes strings with SOQL escapes', () => {
    assert.equal(quote("O'Brien"), "'O\\'Brien'");
    assert.equal(quote('a\\b'), "'a\\\\b'");
    assert.equal(quote('line\nnext\t"x"'), '\'line\\nnext\\t\\"x\\"\'');
    assert.equal(quote("' OR Name != '"), "'\\' OR Name != \\''");
  });

  it('refuses field names and ids that could change the query', () => {
    assert.equal(fieldName('Custom_Field__c'), 'Custom_Field__c');
    assert.equal(fieldName('Account.Name'), 'Account.Name');
    assert.throws(() => fieldName('Amount, (SELECT Id FROM User)'));
    assert.throws(() => fieldName('1abc'));
    assert.equal(idLiteral(OPP), `'${OPP}'`);
    assert.equal(idLiteral('006000000000001'), "'006000000000001'");
    assert.throws(() => idLiteral("006' OR Id != '"));
  });

  it('datetime literals are UTC, unquoted, floored to the second', () => {
    assert.equal(datetimeLiteral('2024-05-20T20:49:32.999Z'), '2024-05-20T20:49:32Z');
    assert.equal(datetimeLiteral('2024-05-20T22:49:32.000+02:00'), '2024-05-20T20:49:32Z');
    assert.throws(() => datetimeLiteral('yesterday'));
  });

  it('cursor condition reads (SystemModstamp, Id) >= cursor', () => {
    assert.equal(
      cursorCondition({ modstamp: '2024-05-20T20:49:32.000Z', id: OPP }),
      `SystemModstamp >= 2024-05-20T20:49:32Z AND (SystemModstamp > 2024-05-20T20:49:32Z OR Id >= '${OPP}')`,
    );
    assert.equal(
      cursorCondition({ modstamp: '2024-05-20T20:49:32.000Z', id: '' }),
      'SystemModstamp >= 2024-05-20T20:49:32Z',
    );
  });

  it('opportunity query selects the domain fields, optional and extra fields once, and the contact roles', () => {
    const q = opportunitiesChangedSoql(
      { modstamp: '2024-01-01T00:00:00.000Z', id: '' },
      { optional: ['CurrencyIsoCode'], extraFields: ['Amount', 'Next_Step__c', 'account.name'] },
    );
    assert.match(q, /^SELECT Id, Name, Amount, CloseDate, CreatedDate, StageName, IsClosed, IsWon, Type, /);
    assert.match(
      q,
      /, CurrencyIsoCode, Next_Step__c, account\.name, Account\.Website, Account\.SystemModstamp, \(SELECT Id, OpportunityId, ContactId, Role, IsPrimary, SystemModstamp, IsDeleted, Contact\.Email FROM OpportunityContactRoles\) FROM Opportunity WHERE /,
    );
    assert.equal(q.match(/\bAmount\b/g)?.length, 1);
    assert.equal(q.match(/\baccount\.name\b/gi)?.length, 1, 'a mapped parent field is selected once');
    assert.match(q, / ORDER BY SystemModstamp, Id$/);
    assert.doesNotMatch(q, /RecordTypeId/);
  });

  it('by ids, all, contact roles', () => {
    assert.match(
      opportunitiesByIdsSoql([OPP, '006000000000002AAA'], { optional: [], extraFields: [] }),
      /WHERE Id IN \('006000000000001AAA', '006000000000002AAA'\) ORDER BY Id$/,
    );
    assert.match(
      allOpportunitiesSoql(null, { optional: [], extraFields: [] }),
      /FROM Opportunity ORDER BY Id$/,
    );
    assert.match(
      allOpportunitiesSoql(OPP, { optional: [], extraFields: [] }),
      /WHERE Id > '006000000000001AAA' ORDER BY Id$/,
    );
    assert.equal(allOpportunityIdsSoql(), 'SELECT Id FROM Opportunity ORDER BY Id');
    assert.match(
      contactRolesChangedSoql({ modstamp: '2024-01-01T00:00:00Z', id: '' }),
      /^SELECT Id, OpportunityId, .* FROM OpportunityContactRole WHERE SystemModstamp >= 2024-01-01T00:00:00Z ORDER BY SystemModstamp, Id$/,
    );
  });

  it('chunks', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 2), []);
  });
});
