// Batch endpoints over raw HTTP: shapes (status COMPLETE, startedAt/completedAt, 207 errors),
// 100-input cap, all-or-nothing create, upsert `new`, idProperty rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
before(async () => {
  p = await startPortal();
  const r = await p.api('POST', '/crm/v3/properties/deals', {
    name: 'ext_id',
    label: 'External id',
    type: 'string',
    fieldType: 'text',
    groupName: 'dealinformation',
    hasUniqueValue: true,
  });
  assert.equal(r.status, 201);
});
after(() => p.close());

const deal = (name: string, extra: Record<string, string> = {}) => ({
  properties: { dealname: name, ...extra },
});

describe('batch create', () => {
  test('201 with BatchResponse shape', async () => {
    const r = await p.api('POST', '/crm/v3/objects/deals/batch/create', { inputs: [deal('a'), deal('b')] });
    assert.equal(r.status, 201);
    assert.equal(r.body.status, 'COMPLETE');
    assert.equal(r.body.results.length, 2);
    assert.ok(
      Date.parse(r.body.startedAt) <= Date.parse(r.body.completedAt),
      'Date.parse(r.body.startedAt) <= Date.parse(r.body.completedAt)',
    );
  });

  test('one invalid input rejects the whole batch (nothing created)', async () => {
    const before = await p.api('POST', '/crm/v3/objects/deals/search', { filterGroups: [], limit: 0 });
    const r = await p.api('POST', '/crm/v3/objects/deals/batch/create', {
      inputs: [deal('ok'), deal('bad', { dealstage: 'nope' })],
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.category, 'VALIDATION_ERROR');
    assert.equal(r.body.errors[0].code, 'INVALID_OPTION');
    const afterCount = await p.api('POST', '/crm/v3/objects/deals/search', { filterGroups: [], limit: 0 });
    assert.equal(afterCount.body.total, before.body.total);
  });

  test('more than 100 inputs is a 400', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => deal(`n${i}`));
    const r = await p.api('POST', '/crm/v3/objects/deals/batch/create', { inputs });
    assert.equal(r.status, 400);
  });

  test('a duplicate unique value inside one batch is a 409 CONFLICT', async () => {
    const r = await p.api('POST', '/crm/v3/objects/deals/batch/create', {
      inputs: [deal('x', { ext_id: 'DUP' }), deal('y', { ext_id: 'DUP' })],
    });
    assert.equal(r.status, 409);
    assert.equal(r.body.category, 'CONFLICT');
  });
});

describe('batch read', () => {
  test('200 for found ids, 207 with OBJECT_NOT_FOUND errors for missing ones', async () => {
    const c = await p.api('POST', '/crm/v3/objects/deals/batch/create', {
      inputs: [deal('r1', { ext_id: 'R1' })],
    });
    const id = c.body.results[0].id;
    const okr = await p.api('POST', '/crm/v3/objects/deals/batch/read', {
      inputs: [{ id }],
      properties: ['dealname'],
    });
    assert.equal(okr.status, 200);
    assert.equal(okr.body.results[0].properties.dealname, 'r1');
    const mixed = await p.api('POST', '/crm/v3/objects/deals/batch/read', {
      inputs: [{ id }, { id: '424242' }],
      properties: [],
    });
    assert.equal(mixed.status, 207);
    assert.equal(mixed.body.numErrors, 1);
    assert.equal(mixed.body.errors[0].category, 'OBJECT_NOT_FOUND');
    assert.deepEqual(mixed.body.errors[0].context.ids, ['424242']);
    const byKey = await p.api('POST', '/crm/v3/objects/deals/batch/read', {
      idProperty: 'ext_id',
      inputs: [{ id: 'R1' }],
      properties: ['ext_id'],
    });
    assert.equal(byKey.body.results[0].id, id);
  });
});

describe('batch update', () => {
  test('updates found records and reports missing ids with 207', async () => {
    const c = await p.api('POST', '/crm/v3/objects/deals/batch/create', { inputs: [deal('u1')] });
    const id = c.body.results[0].id;
    const r = await p.api('POST', '/crm/v3/objects/deals/batch/update', {
      inputs: [
        { id, properties: { amount: '10' } },
        { id: '77777777', properties: { amount: '1' } },
      ],
    });
    assert.equal(r.status, 207);
    assert.equal(r.body.results[0].properties.amount, '10');
    assert.deepEqual(r.body.errors[0].context.ids, ['77777777']);
  });

  test('duplicate ids in one batch are a 400', async () => {
    const r = await p.api('POST', '/crm/v3/objects/deals/batch/update', {
      inputs: [
        { id: '1', properties: {} },
        { id: '1', properties: {} },
      ],
    });
    assert.equal(r.status, 400);
  });
});

describe('batch upsert', () => {
  test('creates then updates by a unique idProperty, with new: true|false', async () => {
    const first = await p.api('POST', '/crm/v3/objects/deals/batch/upsert', {
      inputs: [{ id: 'OPP-1', idProperty: 'ext_id', properties: { dealname: 'Opp 1', amount: '5' } }],
    });
    assert.equal(first.status, 200);
    assert.equal(first.body.results[0].new, true);
    assert.equal(first.body.results[0].properties.ext_id, 'OPP-1');
    const second = await p.api('POST', '/crm/v3/objects/deals/batch/upsert', {
      inputs: [{ id: 'OPP-1', idProperty: 'ext_id', properties: { amount: '6' } }],
    });
    assert.equal(second.body.results[0].new, false);
    assert.equal(second.body.results[0].id, first.body.results[0].id);
    const got = await p.api('GET', `/crm/v3/objects/deals/${first.body.results[0].id}`);
    assert.equal(got.body.properties.amount, '6');
  });

  test("idProperty that is not unique is a 400 naming HubSpot's reason", async () => {
    const r = await p.api('POST', '/crm/v3/objects/deals/batch/upsert', {
      inputs: [{ id: 'x', idProperty: 'dealname', properties: {} }],
    });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /non-unique 0-3 property dealname/);
  });

  test('contacts upsert by email matches case-insensitively', async () => {
    const a = await p.api('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [{ id: 'Up@Case.example', idProperty: 'email', properties: { firstname: 'A' } }],
    });
    const b = await p.api('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [{ id: 'up@case.example', idProperty: 'email', properties: { firstname: 'B' } }],
    });
    assert.equal(a.body.results[0].new, true);
    assert.equal(b.body.results[0].new, false);
    assert.equal(b.body.results[0].id, a.body.results[0].id);
  });
});

describe('batch archive', () => {
  test('204, and ids that do not exist are ignored', async () => {
    const c = await p.api('POST', '/crm/v3/objects/deals/batch/create', { inputs: [deal('z')] });
    const id = c.body.results[0].id;
    const r = await p.api('POST', '/crm/v3/objects/deals/batch/archive', {
      inputs: [{ id }, { id: '5555555' }],
    });
    assert.equal(r.status, 204);
    assert.equal((await p.api('GET', `/crm/v3/objects/deals/${id}`)).status, 404);
  });
});
