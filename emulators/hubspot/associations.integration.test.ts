// Associations v4 over raw HTTP: default and labelled batch create, read (≤ 1,000), archive,
// per-record list with paging, HubSpot's type ids, the primary company rule.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
let deal: string;
let contacts: string[];
let companies: string[];

before(async () => {
  p = await startPortal();
  deal = (await p.api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'A' } })).body.id;
  const cs = await p.api('POST', '/crm/v3/objects/contacts/batch/create', {
    inputs: Array.from({ length: 5 }, (_, i) => ({ properties: { email: `a${i}@x.example` } })),
  });
  contacts = cs.body.results.map((r: { id: string }) => r.id);
  const co = await p.api('POST', '/crm/v3/objects/companies/batch/create', {
    inputs: [{ properties: { name: 'One' } }, { properties: { name: 'Two' } }],
  });
  companies = co.body.results.map((r: { id: string }) => r.id);
});
after(() => p.close());

const spec = (id: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: id });

describe('associations v4', () => {
  test('associate/default uses type 3 and answers both directions (3 and 4)', async () => {
    const r = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/associate/default', {
      inputs: contacts.map((c) => ({ from: { id: deal }, to: { id: c } })),
    });
    assert.equal(r.status, 200);
    const ids = new Set(
      r.body.results.map(
        (x: { associationSpec: { associationTypeId: number } }) => x.associationSpec.associationTypeId,
      ),
    );
    assert.deepEqual([...ids].sort(), [3, 4]);
    const back = await p.api('GET', `/crm/v4/objects/contacts/${contacts[0]}/associations/deals`);
    assert.deepEqual(back.body.results, [
      { toObjectId: deal, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }] },
    ]);
  });

  test('labelled create: primary company (5) also has the unlabeled 341, and moves to a new primary', async () => {
    const a = await p.api('POST', '/crm/v4/associations/deals/companies/batch/create', {
      inputs: [{ from: { id: deal }, to: { id: companies[0] }, types: [spec(5)] }],
    });
    assert.equal(a.status, 201);
    assert.deepEqual(a.body.results[0].labels, ['Primary']);
    assert.equal(a.body.results[0].fromObjectTypeId, '0-3');
    await p.api('POST', '/crm/v4/associations/deals/companies/batch/create', {
      inputs: [{ from: { id: deal }, to: { id: companies[1] }, types: [spec(5)] }],
    });
    const list = await p.api('GET', `/crm/v4/objects/deals/${deal}/associations/companies`);
    const types = Object.fromEntries(
      list.body.results.map((x: { toObjectId: string; associationTypes: { typeId: number }[] }) => [
        x.toObjectId,
        x.associationTypes.map((t) => t.typeId).sort((m, n) => m - n),
      ]),
    );
    assert.deepEqual(types, { [companies[0]!]: [341], [companies[1]!]: [5, 341] });
    const fromCompany = await p.api('GET', `/crm/v4/objects/companies/${companies[1]}/associations/deals`);
    assert.deepEqual(
      fromCompany.body.results[0].associationTypes.map((t: { typeId: number }) => t.typeId).sort(),
      [342, 6],
    );
  });

  test('wrong type id for the pair is a 400', async () => {
    const r = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/create', {
      inputs: [{ from: { id: deal }, to: { id: contacts[0] }, types: [spec(5)] }],
    });
    assert.equal(r.status, 400);
  });

  test('batch create takes up to 2,000 inputs; 2,001 is a 400 INVALID_BATCH_SIZE', async () => {
    const pairs = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        from: { id: deal },
        to: { id: contacts[i % contacts.length] },
        types: [spec(3)],
      }));
    const okRes = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/create', {
      inputs: pairs(2000),
    });
    assert.equal(okRes.status, 201);
    const tooMany = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/create', {
      inputs: pairs(2001),
    });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.errors[0].code, 'INVALID_BATCH_SIZE');
  });

  test('batch read: found ids 200, unknown ids reported with 207; over 1,000 inputs is 400', async () => {
    const r = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/read', {
      inputs: [{ id: deal }],
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.results[0].to.length, 5);
    const mixed = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/read', {
      inputs: [{ id: deal }, { id: '999999' }],
    });
    assert.equal(mixed.status, 207);
    const many = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/read', {
      inputs: Array.from({ length: 1001 }, () => ({ id: deal })),
    });
    assert.equal(many.status, 400);
  });

  test('list pages with limit/after', async () => {
    const first = await p.api('GET', `/crm/v4/objects/deals/${deal}/associations/contacts?limit=2`);
    assert.equal(first.body.results.length, 2);
    const second = await p.api(
      'GET',
      `/crm/v4/objects/deals/${deal}/associations/contacts?limit=10&after=${first.body.paging.next.after}`,
    );
    assert.equal(second.body.results.length, 3);
    assert.equal(second.body.paging, undefined);
  });

  test('batch archive removes every type between the pair, both directions; counts follow', async () => {
    const r = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/archive', {
      inputs: [{ from: { id: deal }, to: [{ id: contacts[0] }, { id: contacts[1] }] }],
    });
    assert.equal(r.status, 204);
    const left = await p.api('GET', `/crm/v4/objects/deals/${deal}/associations/contacts`);
    assert.equal(left.body.results.length, 3);
    const back = await p.api('GET', `/crm/v4/objects/contacts/${contacts[0]}/associations/deals`);
    assert.equal(back.body.results.length, 0);
    const d = await p.api('GET', `/crm/v3/objects/deals/${deal}?properties=num_associated_contacts`);
    assert.equal(d.body.properties.num_associated_contacts, '3');
  });

  test('per-record PUT default / labelled and DELETE', async () => {
    const put = await p.api(
      'PUT',
      `/crm/v4/objects/contacts/${contacts[4]}/associations/default/companies/${companies[0]}`,
    );
    assert.equal(put.status, 200);
    const lab = await p.api(
      'PUT',
      `/crm/v4/objects/contacts/${contacts[4]}/associations/companies/${companies[0]}`,
      [spec(1)],
    );
    assert.equal(lab.status, 201);
    assert.deepEqual(lab.body.labels, ['Primary']);
    const del = await p.api(
      'DELETE',
      `/crm/v4/objects/contacts/${contacts[4]}/associations/companies/${companies[0]}`,
    );
    assert.equal(del.status, 204);
    const list = await p.api('GET', `/crm/v4/objects/contacts/${contacts[4]}/associations/companies`);
    assert.equal(list.body.results.length, 0);
  });
});
