// Point 3 (sObject resources) and the validation half of point 4: describe, CRUD through jsforce,
// upsert by external id, and Salesforce's error codes with `fields` arrays on the wire.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
let accountId: string;
before(async () => {
  org = await startOrg({ seed: 'demo' });
  accountId = (await org.conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Acme Robotics'"))
    .records[0]!.Id;
});
after(() => org.close());

type Err = { errorCode: string; message: string; fields?: string[] };
const errs = (body: unknown) => body as Err[];

test('describeGlobal lists the emulated types with key prefixes', async () => {
  const g = await org.conn.describeGlobal();
  const byName = new Map(g.sobjects.map((s) => [s.name, s]));
  for (const [name, prefix] of [
    ['Account', '001'],
    ['Contact', '003'],
    ['User', '005'],
    ['Opportunity', '006'],
    ['OpportunityContactRole', '00K'],
    ['OpportunityStage', '01J'],
    ['RecordType', '012'],
    ['Organization', '00D'],
  ]) {
    assert.equal(byName.get(name!)?.keyPrefix, prefix, name);
  }
  assert.equal(byName.has('CurrencyType') && byName.has('DatedConversionRate'), true);
});

test('describe reports field metadata: types, lengths, nillable/createable/updateable, picklists, references', async () => {
  const d = await org.conn.sobject('Opportunity').describe();
  const f = new Map(d.fields.map((x) => [x.name, x]));
  assert.equal(f.get('Name')!.type, 'string');
  assert.equal(f.get('Name')!.length, 120);
  assert.equal(f.get('Name')!.nillable, false);
  assert.equal(f.get('IsWon')!.createable, false);
  assert.equal(f.get('IsWon')!.updateable, false);
  assert.equal(f.get('CloseDate')!.type, 'date');
  assert.equal(f.get('Amount')!.type, 'currency');
  assert.deepEqual(f.get('AccountId')!.referenceTo, ['Account']);
  assert.equal(f.get('AccountId')!.relationshipName, 'Account');
  const stages = f.get('StageName')!.picklistValues!.map((p) => p.value);
  assert.deepEqual(stages.slice(0, 2), ['Prospecting', 'Qualification']);
  assert.ok(stages.includes('Closed Won') && stages.includes('Closed Lost'));
  assert.deepEqual(
    f.get('Type')!.picklistValues!.map((p) => p.value),
    [
      'Existing Customer - Upgrade',
      'Existing Customer - Replacement',
      'Existing Customer - Downgrade',
      'New Customer',
    ],
  );
  assert.ok(
    d.childRelationships.some(
      (c) => c.relationshipName === 'OpportunityContactRoles' && c.field === 'OpportunityId',
    ),
  );
  assert.deepEqual(d.recordTypeInfos.map((r) => r.name).sort(), ['Master', 'New Business', 'Renewal']);
  assert.equal(f.has('CurrencyIsoCode'), false, 'single-currency org');
});

test('create, retrieve, update, delete through jsforce', async () => {
  const so = org.conn.sobject('Opportunity');
  const created = await so.create({
    Name: 'Crud deal',
    StageName: 'Prospecting',
    CloseDate: '2025-06-30',
    AccountId: accountId,
    Amount: 1234.5,
  });
  assert.equal(created.success, true);
  assert.match(created.id!, /^006\w{15}$/);
  const rec = (await so.retrieve(created.id!)) as Record<string, unknown>;
  assert.equal(rec.Name, 'Crud deal');
  assert.equal(rec.Amount, 1234.5);
  assert.equal(rec.AccountId, accountId);
  const upd = await so.update({ Id: created.id!, Amount: 99, Description: 'changed' });
  assert.equal(upd.success, true);
  const after1 = (await so.retrieve(created.id!)) as Record<string, unknown>;
  assert.equal(after1.Amount, 99);
  assert.equal(after1.Description, 'changed');
  await so.destroy(created.id!);
  await assert.rejects(so.retrieve(created.id!), (e: Err) => e.errorCode === 'ENTITY_IS_DELETED');
});

test('GET with ?fields= and a 15-character id; a missing record is NOT_FOUND', async () => {
  const id18 = accountId;
  const r = await org.raw('GET', `${API}/sobjects/Account/${id18.slice(0, 15)}?fields=Name,Website`);
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body as object), ['attributes', 'Name', 'Website']);
  assert.equal((r.body as { attributes: { url: string } }).attributes.url, `${API}/sobjects/Account/${id18}`);
  const lower = await org.raw('GET', `${API}/sobjects/Account/${id18.toLowerCase()}?fields=Name`);
  assert.equal(
    (lower.body as { Name: string }).Name,
    'Acme Robotics',
    '18-character ids are case-insensitive',
  );
  const missing = await org.raw('GET', `${API}/sobjects/Account/001000000000000AAA`);
  assert.equal(missing.status, 404);
  assert.equal(errs(missing.body)[0]!.errorCode, 'NOT_FOUND');
  const badField = await org.raw('GET', `${API}/sobjects/Account/${id18}?fields=Nope`);
  assert.equal(errs(badField.body)[0]!.errorCode, 'INVALID_FIELD');
});

test('POST answers 201 {id, success, errors}; PATCH and DELETE answer 204', async () => {
  const c = await org.raw('POST', `${API}/sobjects/Contact`, { LastName: 'Wire', Email: 'wire@example.com' });
  assert.equal(c.status, 201);
  const body = c.body as { id: string; success: boolean; errors: unknown[] };
  assert.deepEqual(body, { id: body.id, success: true, errors: [] });
  const p = await org.raw('PATCH', `${API}/sobjects/Contact/${body.id}`, { FirstName: 'Web' });
  assert.equal(p.status, 204);
  const got = (await org.raw('GET', `${API}/sobjects/Contact/${body.id}?fields=Name`)).body as {
    Name: string;
  };
  assert.equal(got.Name, 'Web Wire');
  assert.equal((await org.raw('DELETE', `${API}/sobjects/Contact/${body.id}`)).status, 204);
  const again = await org.raw('DELETE', `${API}/sobjects/Contact/${body.id}`);
  assert.equal(again.status, 404);
  assert.equal(errs(again.body)[0]!.errorCode, 'ENTITY_IS_DELETED');
});

test('validation errors carry Salesforce codes and fields', async () => {
  const post = (type: string, body: unknown) => org.raw('POST', `${API}/sobjects/${type}`, body);
  const expectErr = async (
    p: Promise<{ status: number; body: unknown }>,
    code: string,
    fields?: string[],
  ) => {
    const r = await p;
    assert.equal(r.status, 400, code);
    const [e] = errs(r.body);
    assert.equal(e!.errorCode, code);
    if (fields) assert.deepEqual(e!.fields, fields);
    return e!;
  };
  const missing = await expectErr(post('Opportunity', { Name: 'x' }), 'REQUIRED_FIELD_MISSING', [
    'StageName',
    'CloseDate',
  ]);
  assert.equal(missing.message, 'Required fields are missing: [StageName, CloseDate]');
  const base = { Name: 'v', StageName: 'Prospecting', CloseDate: '2025-01-31' };
  await expectErr(
    post('Opportunity', { ...base, StageName: 'Dreaming' }),
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    ['StageName'],
  );
  await expectErr(post('Opportunity', { ...base, Name: 'x'.repeat(121) }), 'STRING_TOO_LONG', ['Name']);
  await expectErr(post('Opportunity', { ...base, AccountId: 'not-an-id' }), 'MALFORMED_ID', ['AccountId']);
  const contact = (await org.conn.query<{ Id: string }>('SELECT Id FROM Contact LIMIT 1')).records[0]!.Id;
  await expectErr(post('Opportunity', { ...base, AccountId: contact }), 'FIELD_INTEGRITY_EXCEPTION', [
    'AccountId',
  ]);
  await expectErr(post('Opportunity', { ...base, IsWon: true }), 'INVALID_FIELD_FOR_INSERT_UPDATE', [
    'IsWon',
  ]);
  await expectErr(post('Opportunity', { ...base, Bogus__c: 1 }), 'INVALID_FIELD');
  await expectErr(post('Opportunity', { ...base, Amount: 'lots' }), 'JSON_PARSER_ERROR');
  await expectErr(post('Opportunity', { ...base, CloseDate: '2025-02-30' }), 'JSON_PARSER_ERROR');
  await expectErr(post('Contact', { LastName: 'x', Email: 'not an email' }), 'INVALID_EMAIL_ADDRESS', [
    'Email',
  ]);
  const bad = await org.raw('POST', `${API}/sobjects/Account`, '{"Name": ');
  assert.equal(bad.status, 400);
  assert.equal(errs(bad.body)[0]!.errorCode, 'JSON_PARSER_ERROR');
  const ro = await org.raw('POST', `${API}/sobjects/User`, { LastName: 'x' });
  assert.equal(ro.status, 400);
  const nope = await org.raw('GET', `${API}/sobjects/Nope/describe`);
  assert.equal(nope.status, 404);
  const put = await org.raw('PUT', `${API}/sobjects/Account/${accountId}`, { Name: 'x' });
  assert.equal(put.status, 405);
  assert.deepEqual(put.body, [
    {
      errorCode: 'METHOD_NOT_ALLOWED',
      message: "HTTP Method 'PUT' not allowed. Allowed are GET,PATCH,DELETE,HEAD",
    },
  ]);
});

test('jsforce surfaces the error code of a failed create', async () => {
  await assert.rejects(
    org.conn.sobject('Opportunity').create({ Name: 'x' }),
    (e: Err) => e.errorCode === 'REQUIRED_FIELD_MISSING',
  );
});

test('upsert by external id: 201 created, then 200 updated; duplicates answer 300', async () => {
  const path = `${API}/sobjects/Account/External_Id__c/EXT-1`;
  const first = await org.raw('PATCH', path, { Name: 'Upserted' });
  assert.equal(first.status, 201);
  const b1 = first.body as { id: string; created: boolean; success: boolean };
  assert.equal(b1.created, true);
  const second = await org.raw('PATCH', path, { Name: 'Upserted again' });
  assert.equal(second.status, 200);
  assert.deepEqual(second.body, { id: b1.id, success: true, errors: [], created: false });
  const got = (await org.raw('GET', `${API}/sobjects/Account/${b1.id}?fields=Name,External_Id__c`))
    .body as Record<string, string>;
  assert.equal(got.Name, 'Upserted again');
  assert.equal(got.External_Id__c, 'EXT-1');
  const viaGet = await org.raw('GET', path);
  assert.equal((viaGet.body as { Id: string }).Id, b1.id);
  const unsupported = await org.raw('PATCH', `/services/data/v45.0/sobjects/Account/External_Id__c/EXT-1`, {
    Name: 'v45',
  });
  assert.equal(unsupported.status, 404, 'versions below 50.0 are not served');
  // Unique field: a second record with the same value is refused; planting a duplicate raw gives 300.
  const dup = await org.raw('POST', `${API}/sobjects/Account`, { Name: 'Dup', External_Id__c: 'ext-1' });
  assert.equal(errs(dup.body)[0]!.errorCode, 'DUPLICATE_VALUE');
  await org.admin('POST', 'records/Account', { Name: 'Planted', External_Id__c: 'EXT-1' });
  const multi = await org.raw('PATCH', path, { Name: 'x' });
  assert.equal(multi.status, 300);
  assert.equal((multi.body as string[]).length, 2);
  const viaJsforce = await org.conn
    .sobject('Contact')
    .upsert({ LastName: 'Ext', External_Id__c: 'C-9' }, 'External_Id__c');
  assert.equal((viaJsforce as { created: boolean }).created, true);
  const notExt = await org.raw('PATCH', `${API}/sobjects/Account/Name/Acme`, { Phone: '1' });
  assert.equal(errs(notExt.body)[0]!.errorCode, 'INVALID_FIELD');
});

test('UI API picklist values: StageName scoped to the record type, all values for the master record type', async () => {
  const rts = await org.conn.query<{ Id: string; DeveloperName: string }>(
    "SELECT Id, DeveloperName FROM RecordType WHERE SobjectType = 'Opportunity'",
  );
  const renewal = rts.records.find((r) => r.DeveloperName === 'Renewal')!.Id;
  const values = async (rt: string, field = 'StageName') => {
    const r = await org.raw('GET', `${API}/ui-api/object-info/Opportunity/picklist-values/${rt}/${field}`);
    assert.equal(r.status, 200);
    return (r.body as { values: { value: string; label: string }[] }).values.map((v) => v.value);
  };
  assert.deepEqual(await values(renewal), [
    'Qualification',
    'Proposal/Price Quote',
    'Negotiation/Review',
    'Closed Won',
    'Closed Lost',
  ]);
  assert.equal((await values('012000000000000AAA')).length, 10);
  assert.equal((await values(renewal, 'Type')).length, 4);
  const bad = await org.raw(
    'GET',
    `${API}/ui-api/object-info/Opportunity/picklist-values/${accountId}/StageName`,
  );
  assert.equal(bad.status, 404);
});
