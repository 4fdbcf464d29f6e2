// What admins build around a save (issue #13), through the REST API as a client meets it:
// validation rules (FIELD_CUSTOM_VALIDATION_EXCEPTION), duplicate rules on Account and Contact
// (DUPLICATES_DETECTED), a field update that fires on a change, OpportunityFieldHistory, and a
// row held by another transaction (UNABLE_TO_LOCK_ROW). One bad record fails alone in a collection.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

type SaveResult = {
  id: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
};

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: { kind: 'sized', opportunities: 5 } });
});
after(() => org.close());
beforeEach(async () => {
  await org.admin('POST', 'reset');
});

/** An opportunity created the plain way: the fewest fields the API requires. */
const plain = (name: string, extra: Record<string, unknown> = {}) => ({
  attributes: { type: 'Opportunity' },
  Name: name,
  StageName: 'Prospecting',
  CloseDate: '2027-01-31',
  ...extra,
});

test('a validation rule fails the write with its message; in a collection only that record fails', async () => {
  const rule = await org.admin('POST', 'validation-rules', {
    name: 'Amount_Required_Past_Prospecting',
    sobject: 'Opportunity',
    field: 'Amount',
    condition: 'less-than',
    value: 0,
    message: 'Amount cannot be negative',
    errorDisplayField: 'Amount',
  });
  assert.equal(rule.status, 201);
  const one = await org.raw('POST', `${API}/sobjects/Opportunity`, { ...plain('Neg'), Amount: -5 });
  assert.equal(one.status, 400);
  assert.deepEqual(one.body, [
    {
      message: 'Amount cannot be negative',
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['Amount'],
    },
  ]);
  const records = Array.from({ length: 199 }, (_, i) => plain(`Good ${i}`, { Amount: i }));
  records.splice(100, 0, plain('Bad', { Amount: -1 }));
  const r = await org.raw('POST', `${API}/composite/sobjects`, { allOrNone: false, records });
  const results = r.body as SaveResult[];
  assert.equal(results.length, 200);
  assert.equal(results.filter((x) => x.success).length, 199);
  assert.equal(results[100]!.success, false);
  assert.equal(results[100]!.errors[0]!.statusCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
  assert.equal(results[100]!.id, null);
});

test('a rule with onlyWhenChanged checks an update only when its field changes', async () => {
  const created = await org.raw('POST', `${API}/sobjects/Opportunity`, plain('Old'));
  const id = (created.body as { id: string }).id;
  await org.admin('POST', 'validation-rules', {
    name: 'No_Next_Step_Blanking',
    sobject: 'Opportunity',
    field: 'NextStep',
    condition: 'blank',
    onlyWhenChanged: true,
    message: 'Next step cannot be cleared',
  });
  // NextStep is blank and stays blank: the rule does not look at it.
  assert.equal((await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { Amount: 5 })).status, 204);
  assert.equal(
    (await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { NextStep: 'Call' })).status,
    204,
  );
  const cleared = await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { NextStep: null });
  assert.equal(cleared.status, 400);
  assert.equal((cleared.body as { errorCode: string; fields: string[] }[])[0]!.fields.length, 0);
});

test('a duplicate rule blocks a second contact with the same email, in any case; another email saves', async () => {
  await org.admin('POST', 'duplicate-rules', {
    name: 'Standard_Contact_Duplicate_Rule',
    sobject: 'Contact',
    matchFields: ['Email'],
  });
  const first = await org.raw('POST', `${API}/sobjects/Contact`, {
    LastName: 'Lang',
    Email: 'ana@example.com',
  });
  assert.equal(first.status, 201);
  const dup = await org.raw('POST', `${API}/sobjects/Contact`, {
    LastName: 'Lang',
    Email: 'ANA@example.com',
  });
  assert.equal(dup.status, 400);
  const err = (dup.body as { errorCode: string; message: string }[])[0]!;
  assert.equal(err.errorCode, 'DUPLICATES_DETECTED');
  assert.match(err.message, new RegExp((first.body as { id: string }).id));
  const other = await org.raw('POST', `${API}/sobjects/Contact`, {
    LastName: 'Lang',
    Email: 'bo@example.com',
  });
  assert.equal(other.status, 201);
  // Changing another field of a record that is already a duplicate is not checked again.
  const id = (first.body as { id: string }).id;
  assert.equal((await org.raw('PATCH', `${API}/sobjects/Contact/${id}`, { Title: 'CFO' })).status, 204);
});

test('a field update fires when its field changes, and the record says who changed it', async () => {
  await org.admin('POST', 'field-updates', {
    name: 'Stage_Change_Stamps_Next_Step',
    sobject: 'Opportunity',
    whenChanged: 'StageName',
    set: { NextStep: '$value', Description: '$now' },
  });
  const created = await org.raw('POST', `${API}/sobjects/Opportunity`, plain('Fires'));
  const id = (created.body as { id: string }).id;
  await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { Amount: 10 });
  let rec = (await org.conn.sobject('Opportunity').retrieve(id)) as unknown as Record<string, unknown>;
  assert.equal(rec.NextStep, 'Prospecting', 'on create the stage was set, so it fired');
  await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { NextStep: 'mine' });
  await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { StageName: 'Qualification' });
  rec = (await org.conn.sobject('Opportunity').retrieve(id)) as unknown as Record<string, unknown>;
  assert.equal(rec.NextStep, 'Qualification', 'the stage change overwrote NextStep');
  assert.equal(rec.Description, rec.SystemModstamp);
  assert.equal(typeof rec.LastModifiedById, 'string');
});

test('OpportunityFieldHistory: created, then one row per tracked field that changed, queryable', async () => {
  const put = await org.admin('PUT', 'field-history', {
    sobject: 'Opportunity',
    fields: ['StageName', 'amount'],
  });
  assert.deepEqual((put.body as { tracked: unknown }).tracked, { Opportunity: ['StageName', 'Amount'] });
  const created = await org.raw('POST', `${API}/sobjects/Opportunity`, plain('Tracked', { Amount: 100 }));
  const id = (created.body as { id: string }).id;
  await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { StageName: 'Qualification', Amount: 250.5 });
  await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { NextStep: 'untracked' });
  const rows = (
    await org.conn.query<Record<string, unknown>>(
      `SELECT Field, DataType, OldValue, NewValue, CreatedById, CreatedDate FROM OpportunityFieldHistory WHERE OpportunityId = '${id}' ORDER BY Field`, // text sorts ignoring case, as SOQL does
    )
  ).records.map(({ attributes: _a, ...r }) => r);
  assert.deepEqual(
    rows.map((r) => [r.Field, r.DataType, r.OldValue, r.NewValue]),
    [
      ['Amount', 'Currency', 100, 250.5],
      ['created', null, null, null],
      ['StageName', 'DynamicEnum', 'Prospecting', 'Qualification'],
    ],
  );
  assert.ok(rows.every((r) => typeof r.CreatedById === 'string' && typeof r.CreatedDate === 'string'));
  const describe = await org.raw('GET', `${API}/sobjects/OpportunityFieldHistory/describe`);
  const newValue = (
    describe.body as { fields: { name: string; type: string; filterable: boolean }[] }
  ).fields.find((f) => f.name === 'NewValue');
  assert.deepEqual([newValue?.type, newValue?.filterable], ['anyType', false]);
  const write = await org.raw('POST', `${API}/sobjects/OpportunityFieldHistory`, { OpportunityId: id });
  assert.equal(write.status, 400, 'history is written by Salesforce, never by the API');
});

test('a row another transaction holds fails UNABLE_TO_LOCK_ROW alone, then saves on retry', async () => {
  const made = (await org.raw('POST', `${API}/composite/sobjects`, {
    records: [plain('Locked'), plain('Free')],
  })) as { body: SaveResult[] };
  const [locked, free] = made.body.map((r) => r.id!);
  await org.admin('POST', 'row-locks', { ids: [locked], attempts: 1 });
  const patch = (await org.raw('PATCH', `${API}/composite/sobjects`, {
    allOrNone: false,
    records: [
      { attributes: { type: 'Opportunity' }, id: locked, Amount: 1 },
      { attributes: { type: 'Opportunity' }, id: free, Amount: 2 },
    ],
  })) as { body: SaveResult[] };
  assert.deepEqual(
    patch.body.map((r) => [r.success, r.errors[0]?.statusCode]),
    [
      [false, 'UNABLE_TO_LOCK_ROW'],
      [true, undefined],
    ],
  );
  assert.equal((await org.raw('PATCH', `${API}/sobjects/Opportunity/${locked}`, { Amount: 1 })).status, 204);
});
