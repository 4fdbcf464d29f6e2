import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SoqlError } from './errors.js';
import { buildFixture } from './fixture.js';
import { prepareSoql } from './index.js';

const { ds } = buildFixture();

function fails(soql: string, code: string, detail: string) {
  assert.throws(
    () => prepareSoql(soql, ds),
    (e: SoqlError) => {
      assert.equal(e.errorCode, code, soql);
      assert.ok(e.message.endsWith('\n' + detail) || e.message === detail, `${soql}\n→ ${e.message}`);
      return true;
    },
  );
}

const CUSTOM_FIELD =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

test('names are case-insensitive; the plan keeps canonical names', () => {
  const q = prepareSoql('select id, ACCOUNT.name, owner.EMAIL from opportunity', ds);
  assert.equal(q.sobject, 'Opportunity');
  assert.equal(q.isCount, false);
});

test('a field qualified by its own object name is accepted', () => {
  assert.doesNotThrow(() => prepareSoql('SELECT Opportunity.Name FROM Opportunity', ds));
  // …but on OpportunityContactRole, `Opportunity` is the relationship, not the object.
  assert.doesNotThrow(() => prepareSoql('SELECT Opportunity.Name FROM OpportunityContactRole', ds));
});

test('unknown object: INVALID_TYPE with the exact Salesforce message and position', () => {
  assert.throws(
    () => prepareSoql('SELECT Id FROM Nope__c', ds),
    (e: SoqlError) =>
      e.errorCode === 'INVALID_TYPE' &&
      e.message ===
        "\nSELECT Id FROM Nope__c\n               ^\nERROR at Row:1:Column:16\nsObject type 'Nope__c' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
  );
});

test('unknown fields and relationships: INVALID_FIELD', () => {
  fails(
    'SELECT Foo FROM Opportunity',
    'INVALID_FIELD',
    `No such column 'Foo' on entity 'Opportunity'. ${CUSTOM_FIELD}`,
  );
  fails(
    'SELECT Account.Foo FROM Opportunity',
    'INVALID_FIELD',
    `No such column 'Foo' on entity 'Account'. ${CUSTOM_FIELD}`,
  );
  fails(
    'SELECT Id FROM Opportunity ORDER BY Foo',
    'INVALID_FIELD',
    `No such column 'Foo' on entity 'Opportunity'. ${CUSTOM_FIELD}`,
  );
  fails(
    'SELECT Id FROM Opportunity WHERE Foo = 1',
    'INVALID_FIELD',
    `No such column 'Foo' on entity 'Opportunity'. ${CUSTOM_FIELD}`,
  );
  fails(
    'SELECT Acccount.Name FROM Opportunity',
    'INVALID_FIELD',
    "Didn't understand relationship 'Acccount' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
  );
  fails(
    'SELECT Account FROM Opportunity',
    'INVALID_FIELD',
    `No such column 'Account' on entity 'Opportunity'. ${CUSTOM_FIELD}`,
  );
  fails('SELECT Id, Name, id FROM Opportunity', 'INVALID_FIELD', 'duplicate field selected: Id');
});

test('unknown child relationship in a subquery: INVALID_TYPE', () => {
  fails(
    'SELECT Id, (SELECT Id FROM Contacts) FROM Opportunity',
    'INVALID_TYPE',
    "Didn't understand relationship 'Contacts' in FROM clause of subquery. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
  );
});

test('filter values of the wrong type fail as Salesforce fails', () => {
  // Shape quoted from a real response in github.com/roblesterjr04/EloquentSalesForce/issues/68.
  assert.throws(
    () => prepareSoql('select Id, Name from Opportunity where Name = 3999', ds),
    (e: SoqlError) =>
      e.errorCode === 'INVALID_FIELD' &&
      e.message ===
        "\nName from Opportunity where Name = 3999\n                            ^\nERROR at Row:1:Column:40\nvalue of filter criterion for field 'Name' must be of type string and should be enclosed in quotes",
  );
  const date = (f: string, t: string) =>
    `value of filter criterion for field '${f}' must be of type ${t} and should not be enclosed in quotes`;
  fails(
    'SELECT Id FROM Opportunity WHERE CloseDate > 2024-05-01T00:00:00Z',
    'INVALID_FIELD',
    date('CloseDate', 'date'),
  );
  fails(
    "SELECT Id FROM Opportunity WHERE CloseDate = '2024-05-01'",
    'INVALID_FIELD',
    date('CloseDate', 'date'),
  );
  fails(
    'SELECT Id FROM Opportunity WHERE CreatedDate > 2024-05-01',
    'INVALID_FIELD',
    date('CreatedDate', 'dateTime'),
  );
  fails("SELECT Id FROM Opportunity WHERE Amount > '5'", 'INVALID_FIELD', date('Amount', 'double'));
  fails("SELECT Id FROM Opportunity WHERE IsWon = 'true'", 'INVALID_FIELD', date('IsWon', 'boolean'));
  fails(
    "SELECT Id FROM Opportunity WHERE Account.Name IN ('a', 1)",
    'INVALID_FIELD',
    "value of filter criterion for field 'Account.Name' must be of type string and should be enclosed in quotes",
  );
  fails(
    "SELECT Id FROM Opportunity WHERE Id = 'nope'",
    'INVALID_QUERY_FILTER_OPERATOR',
    'invalid ID field: nope',
  );
  fails(
    "SELECT Id FROM Opportunity WHERE Id LIKE '006%'",
    'INVALID_QUERY_FILTER_OPERATOR',
    'invalid operator on id field',
  );
});

test('COUNT() rules, OFFSET limits', () => {
  assert.equal(prepareSoql('SELECT COUNT() FROM Opportunity', ds).isCount, true);
  fails(
    'SELECT Id, COUNT() FROM Opportunity',
    'MALFORMED_QUERY',
    'COUNT() cannot be combined with other fields or subqueries in the SELECT list',
  );
  fails(
    'SELECT Id FROM Opportunity OFFSET 2001',
    'NUMBER_OUTSIDE_VALID_RANGE',
    'Maximum SOQL offset allowed is 2000',
  );
  assert.doesNotThrow(() => prepareSoql('SELECT Id FROM Opportunity OFFSET 2000', ds));
  fails(
    'SELECT Id, (SELECT Id FROM OpportunityContactRoles LIMIT 1 OFFSET 1) FROM Opportunity',
    'MALFORMED_QUERY',
    'OFFSET in a subquery is only allowed when the outer query has LIMIT 1',
  );
  assert.doesNotThrow(() =>
    prepareSoql('SELECT Id, (SELECT Id FROM OpportunityContactRoles OFFSET 1) FROM Opportunity LIMIT 1', ds),
  );
});
