// Point 3: sObject Collections — retrieve (jsforce's POST form and the GET form), create, update of
// up to 200 records with allOrNone, delete.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
let ids: string[];
before(async () => {
  org = await startOrg({ seed: { kind: 'sized', opportunities: 400 } });
  ids = (
    await org.conn.query<{ Id: string }>('SELECT Id FROM Opportunity ORDER BY Id LIMIT 250')
  ).records.map((r) => r.Id);
});
after(() => org.close());

type SaveResult = {
  id: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
};

test('jsforce retrieve([ids]) uses POST /composite/sobjects/{type} and keeps order, null for unknown ids', async () => {
  const wanted = [ids[2]!, ids[0]!, '006000000000000AAA', ids[1]!];
  const recs = (await org.conn.sobject('Opportunity').retrieve(wanted)) as unknown as (Record<
    string,
    unknown
  > | null)[];
  assert.deepEqual(
    recs.map((r) => (r ? r.Id : null)),
    [ids[2], ids[0], null, ids[1]],
  );
  assert.ok(recs[0] && 'StageName' in recs[0] && 'CloseDate' in recs[0], 'all described fields by default');
  const stats = (await org.admin('GET', 'stats')).body as { routes: Record<string, Record<string, number>> };
  assert.ok(stats.routes['composite.retrieve']?.['200']);
});

test('GET /composite/sobjects/{type}?ids=&fields= and invalid fields', async () => {
  const r = await org.raw(
    'GET',
    `${API}/composite/sobjects/Opportunity?ids=${ids[0]!},${ids[1]!}&fields=Id,Name`,
  );
  assert.equal(r.status, 200);
  assert.deepEqual(
    (r.body as Record<string, unknown>[]).map((x) => Object.keys(x)),
    [
      ['attributes', 'Id', 'Name'],
      ['attributes', 'Id', 'Name'],
    ],
  );
  const bad = await org.raw('POST', `${API}/composite/sobjects/Opportunity`, {
    ids: [ids[0]],
    fields: ['Nope'],
  });
  assert.equal(bad.status, 400);
  assert.equal((bad.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD');
});

test('PATCH /composite/sobjects updates up to 200 records, results in request order', async () => {
  const records = ids
    .slice(0, 200)
    .map((id, i) => ({ attributes: { type: 'Opportunity' }, id, NextStep: `step ${i}` }));
  const r = await org.raw('PATCH', `${API}/composite/sobjects`, { allOrNone: false, records });
  assert.equal(r.status, 200);
  const res = r.body as SaveResult[];
  assert.equal(res.length, 200);
  assert.ok(res.every((x, i) => x.success && x.id === ids[i]));
  const check = await org.conn.query<{ NextStep: string }>(
    `SELECT NextStep FROM Opportunity WHERE Id = '${ids[199]!}'`,
  );
  assert.equal(check.records[0]!.NextStep, 'step 199');
  const tooMany = await org.raw('PATCH', `${API}/composite/sobjects`, {
    records: ids.slice(0, 201).map((id) => ({ attributes: { type: 'Opportunity' }, id })),
  });
  assert.equal(tooMany.status, 400);
  const noType = await org.raw('PATCH', `${API}/composite/sobjects`, { records: [{ id: ids[0] }] });
  assert.equal(noType.status, 400);
});

test('allOrNone=false keeps the good records; allOrNone=true rolls back all', async () => {
  const good = { attributes: { type: 'Opportunity' }, id: ids[10]!, Description: 'ok' };
  const bad = { attributes: { type: 'Opportunity' }, id: ids[11]!, StageName: 'Nope' };
  const partial = (
    await org.raw('PATCH', `${API}/composite/sobjects`, { allOrNone: false, records: [good, bad] })
  ).body as SaveResult[];
  assert.deepEqual(
    partial.map((x) => x.success),
    [true, false],
  );
  assert.equal(partial[1]!.errors[0]!.statusCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  assert.deepEqual(partial[1]!.errors[0]!.fields, ['StageName']);
  const good2 = { ...good, Description: 'should not stick' };
  const all = (
    await org.raw('PATCH', `${API}/composite/sobjects`, { allOrNone: true, records: [good2, bad] })
  ).body as SaveResult[];
  assert.deepEqual(
    all.map((x) => x.success),
    [false, false],
  );
  assert.equal(all[0]!.errors[0]!.statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
  assert.equal(all[1]!.errors[0]!.statusCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  const d = await org.conn.query<{ Description: string }>(
    `SELECT Description FROM Opportunity WHERE Id = '${ids[10]!}'`,
  );
  assert.equal(d.records[0]!.Description, 'ok');
  const missingId = (
    await org.raw('PATCH', `${API}/composite/sobjects`, {
      records: [{ attributes: { type: 'Opportunity' }, Name: 'x' }],
    })
  ).body as SaveResult[];
  assert.equal(missingId[0]!.errors[0]!.statusCode, 'MISSING_ARGUMENT');
});

test('jsforce multi-record update and create go through collections', async () => {
  const upd = await org.conn.sobject('Opportunity').update([
    { Id: ids[20]!, NextStep: 'a' },
    { Id: ids[21]!, NextStep: 'b' },
  ]);
  assert.deepEqual(
    upd.map((u) => u.success),
    [true, true],
  );
  const created = await org.conn
    .sobject('Account')
    .create([{ Name: 'C1' }, { Name: 'C2' }, { Website: 'no name' }]);
  assert.deepEqual(
    created.map((c) => c.success),
    [true, true, false],
  );
  const del = await org.raw(
    'DELETE',
    `${API}/composite/sobjects?ids=${created[0]!.id!},${created[1]!.id!}&allOrNone=false`,
  );
  assert.deepEqual(
    (del.body as SaveResult[]).map((x) => x.success),
    [true, true],
  );
});

test('jsforce upsert([...]) goes through PATCH /composite/sobjects/{type}/{externalIdField}', async () => {
  const first = await org.conn.sobject('Account').upsert(
    [
      { Name: 'U1', External_Id__c: 'U-1' },
      { Name: 'U2', External_Id__c: 'U-2' },
    ],
    'External_Id__c',
  );
  assert.deepEqual(
    first.map((r) => [r.success, (r as { created?: boolean }).created]),
    [
      [true, true],
      [true, true],
    ],
  );
  const second = await org.conn.sobject('Account').upsert(
    [
      { Name: 'U1 renamed', External_Id__c: 'u-1' },
      { Name: 'U3', External_Id__c: 'U-3' },
    ],
    'External_Id__c',
  );
  assert.deepEqual(
    second.map((r) => (r as { created?: boolean }).created),
    [false, true],
  );
  assert.equal(second[0]!.id, first[0]!.id);
  const renamed = await org.conn.query<{ Name: string }>(
    `SELECT Name FROM Account WHERE Id = '${first[0]!.id!}'`,
  );
  assert.equal(renamed.records[0]!.Name, 'U1 renamed');
  const stats = (await org.admin('GET', 'stats')).body as { routes: Record<string, Record<string, number>> };
  assert.equal(stats.routes['composite.upsert']?.['200'], 2);
});
