import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { culpritsOf, firstDetail, inputErrorsOf207, mapHubspotCode } from './errors.js';

describe('HubSpot error mapping', () => {
  it('maps HubSpot codes to ours', () => {
    const table: [string | undefined, number, string | undefined, string][] = [
      ['INVALID_OPTION', 400, 'dealtype', 'INVALID_PICKLIST'],
      ['INVALID_OPTION', 400, 'deal_currency_code', 'CURRENCY_NOT_ENABLED'],
      ['DUPLICATE_VALUE', 400, 'email', 'HUBSPOT_CONFLICT'],
      [undefined, 409, undefined, 'HUBSPOT_CONFLICT'],
      ['OBJECT_NOT_FOUND', 207, undefined, 'HUBSPOT_NOT_FOUND'],
      ['INVALID_DATE', 400, 'closedate', 'INVALID_VALUE'],
      ['INVALID_LONG', 400, 'amount', 'INVALID_VALUE'],
      ['VALUE_TOO_LONG', 400, 'description', 'VALUE_TOO_LONG'],
      ['REQUIRED_FIELD', 400, 'dealname', 'REQUIRED_VALUE_MISSING'],
      ['READ_ONLY_VALUE', 400, 'num_associated_deals', 'HUBSPOT_VALIDATION'],
      ['PROPERTY_DOESNT_EXIST', 400, 'nope', 'HUBSPOT_VALIDATION'],
      // A removed owner: the engine refreshes its owner map and writes the deal again.
      ['INVALID_OWNER_ID', 400, 'hubspot_owner_id', 'OWNER_NOT_FOUND'],
      ['INVALID_OPTION', 400, 'hubspot_owner_id', 'OWNER_NOT_FOUND'],
    ];
    for (const [code, status, prop, want] of table)
      assert.equal(mapHubspotCode(code, status, prop), want, `${code}`);
  });

  it('reads the property detail from errors[] or from the legacy message text', () => {
    assert.deepEqual(
      firstDetail({
        errors: [{ code: 'INVALID_OPTION', message: 'm', context: { propertyName: ['dealstage'] } }],
      }),
      { code: 'INVALID_OPTION', property: 'dealstage', message: 'm' },
    );
    const legacy = {
      message:
        'Property values were not valid: [{"isValid":false,"message":"x was not one of the allowed options","error":"INVALID_OPTION","name":"dealtype"}]',
    };
    assert.deepEqual(firstDetail(legacy), {
      code: 'INVALID_OPTION',
      property: 'dealtype',
      message: 'x was not one of the allowed options',
    });
    assert.deepEqual(firstDetail({ message: 'plain' }), {});
  });

  it('finds culprits by context index, ids, duplicate lists and conflicting values', () => {
    const keys = ['a', 'b', 'c', 'b'];
    assert.deepEqual(culpritsOf({ context: { index: ['2'] } }, keys), [2]);
    assert.deepEqual(culpritsOf({ context: { ids: ['b'] } }, keys), [1, 3]);
    assert.deepEqual(culpritsOf({ errors: [{ context: { ids: ['c', 'zz'] } }] }, keys), [2]);
    assert.deepEqual(
      culpritsOf({ message: 'Duplicate IDs found in batch input: [a, c]. IDs must be unique' }, keys),
      [0, 2],
    );
    assert.deepEqual(
      culpritsOf({ message: 'A company with domain "x.com" already exists. Existing ID: 5' }, keys, [
        { domain: 'y.com' },
        { domain: 'x.com' },
        {},
        { domain: 'x.com' },
      ]),
      [1, 3],
    );
    assert.deepEqual(culpritsOf({ message: 'something else' }, keys), []);
    assert.deepEqual(culpritsOf({ context: { index: ['9'] } }, keys), [], 'out of range ignored');
  });

  it('attributes 207 errors to inputs; unattributed errors go to unanswered inputs', () => {
    const keys = ['o1', 'o2', 'o3'];
    const errs = inputErrorsOf207(
      [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'not found', context: { ids: ['o2'] } }],
      keys,
      new Set([0, 2]),
    );
    assert.deepEqual(errs, [{ index: 1, code: 'HUBSPOT_NOT_FOUND', message: 'not found' }]);
    const vague = inputErrorsOf207(
      [
        {
          category: 'VALIDATION_ERROR',
          message: 'bad',
          errors: [{ code: 'INVALID_OPTION', context: { propertyName: ['dealtype'] } }],
        },
      ],
      keys,
      new Set([0]),
    );
    assert.deepEqual(
      vague.map((e) => [e.index, e.code, e.property]),
      [
        [1, 'INVALID_PICKLIST', 'dealtype'],
        [2, 'INVALID_PICKLIST', 'dealtype'],
      ],
    );
  });
});
