import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenApiValidator } from './openapi-validator.js';
import { loadSpecs, specsMissing } from './spec-files.js';
import { convertSchema } from './schema-convert.js';

const skip = specsMissing();

void test('nullable becomes a null type member and refs point at the document', () => {
  assert.deepEqual(convertSchema({ type: 'string', nullable: true, example: 'x', enum: ['a'] }, 'doc'), {
    type: ['string', 'null'],
    enum: ['a', null],
  });
  assert.deepEqual(convertSchema({ properties: { example: { $ref: '#/components/schemas/X' } } }, 'doc'), {
    properties: { example: { $ref: 'doc#/components/schemas/X' } },
  });
});

void test('literal path segments win over parameters, and every covering spec is matched', { skip }, () => {
  const v = new OpenApiValidator(loadSpecs());
  const ops = v.matchedOperations('POST', '/crm/v3/objects/deals/batch/read');
  assert.deepEqual(ops.map((o) => o.template).sort(), [
    '/crm/v3/objects/deals/batch/read',
    '/crm/v3/objects/{objectType}/batch/read',
  ]);
  const groups = v.matchedOperations('GET', '/crm/v3/properties/deals/groups');
  assert.deepEqual(
    groups.map((o) => o.template),
    ['/crm/v3/properties/{objectType}/groups'],
  );
  assert.deepEqual(v.matchedOperations('GET', '/nope'), []);
});

void test('request and response violations are found; valid bodies pass', { skip }, () => {
  const v = new OpenApiValidator(loadSpecs(['objects.v3.json']));
  const path = '/crm/v3/objects/deals/batch/upsert';
  const badReq = v.validateRequest('POST', path, new URLSearchParams(), {
    inputs: [{ idProperty: 'x', properties: { amount: 5 } }],
  });
  assert.ok(badReq.some((x) => x.keyword === 'required' && x.message.includes("'id'")));
  assert.ok(badReq.some((x) => x.where === 'body/inputs/0/properties/amount' && x.keyword === 'type'));
  const okReq = v.validateRequest('POST', path, new URLSearchParams(), {
    inputs: [{ id: 'a', idProperty: 'x', properties: { amount: '5' } }],
  });
  assert.deepEqual(okReq, []);

  const obj = {
    id: '1',
    properties: { dealname: 'x', amount: '5' },
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    archived: false,
  };
  assert.deepEqual(v.validateResponse('GET', '/crm/v3/objects/deals/1', 200, obj), []);
  // objects.v3 does not mark property values nullable (the 2025-08-01 deals spec did).
  const unset = { ...obj, properties: { dealname: 'x', amount: null } };
  assert.equal(
    v.validateResponse('GET', '/crm/v3/objects/deals/1', 200, unset)[0]?.where,
    'body/properties/amount',
  );
  const named = new OpenApiValidator(loadSpecs(['deals.v3.named-path.2025-08-01.json']));
  assert.deepEqual(named.validateResponse('GET', '/crm/v3/objects/deals/1', 200, unset), []);
  const bad = v.validateResponse('GET', '/crm/v3/objects/deals/1', 200, { ...obj, createdAt: 'yesterday' });
  assert.equal(bad[0]?.keyword, 'format');
  const err = v.validateResponse('GET', '/crm/v3/objects/deals/1', 404, { status: 'error', message: 'x' });
  assert.ok(err.some((x) => x.message.includes('correlationId')));
  assert.ok(v.validateResponse('DELETE', '/crm/v3/objects/deals/1', 204, undefined).length === 0);
  const q = v.validateRequest('GET', '/crm/v3/objects/deals', new URLSearchParams('limit=abc'), undefined);
  assert.ok(q.some((x) => x.where === 'query.limit'));
});
