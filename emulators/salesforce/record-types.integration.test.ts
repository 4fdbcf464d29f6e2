// Record types and sales processes as Salesforce applies them: the running user's default record
// type on create (REST, collections, upsert), Master (null) in orgs without record types, StageName
// checked against the record type's sales process on create, update and record-type change, and
// retired stages kept on old records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
let newBusiness: string;
let renewal: string;
before(async () => {
  org = await startOrg({ seed: 'demo' });
  const rts = await org.conn.query<{ Id: string; DeveloperName: string }>(
    "SELECT Id, DeveloperName FROM RecordType WHERE SobjectType = 'Opportunity'",
  );
  newBusiness = rts.records.find((r) => r.DeveloperName === 'New_Business')!.Id;
  renewal = rts.records.find((r) => r.DeveloperName === 'Renewal')!.Id;
});
after(() => org.close());

/** The fewest fields the API requires, as scripts and data loaders send them. */
const plain = (name: string, stage = 'Prospecting') => ({
  Name: name,
  StageName: stage,
  CloseDate: '2025-06-30',
});

/** Creates an opportunity through jsforce, as a script would; returns its id. */
async function createOpp(values: Record<string, unknown>, o: TestOrg = org): Promise<string> {
  const r = await o.conn.sobject('Opportunity').create(values);
  assert.equal(r.success, true);
  return r.id!;
}

async function recordTypeOf(id: string): Promise<string | null> {
  const r = await org.raw('GET', `${API}/sobjects/Opportunity/${id}?fields=RecordTypeId`);
  assert.equal(r.status, 200, r.text);
  return (r.body as { RecordTypeId: string | null }).RecordTypeId;
}

type Describe = {
  recordTypeInfos: {
    recordTypeId: string;
    defaultRecordTypeMapping: boolean;
    active: boolean;
    master: boolean;
  }[];
};

async function describedDefault(o: TestOrg = org): Promise<string> {
  const d = (await o.raw('GET', `${API}/sobjects/Opportunity/describe`)).body as Describe;
  const defaults = d.recordTypeInfos.filter((i) => i.defaultRecordTypeMapping);
  assert.equal(defaults.length, 1, 'exactly one default mapping');
  return defaults[0]!.recordTypeId;
}

test('an opportunity created without RecordTypeId gets the default record type describe reports', async () => {
  assert.equal(await describedDefault(), newBusiness);
  assert.equal(await recordTypeOf(await createOpp(plain('Script deal'))), newBusiness);

  const coll = await org.raw('POST', `${API}/composite/sobjects`, {
    records: [{ attributes: { type: 'Opportunity' }, ...plain('Loader deal') }],
  });
  const [saved] = coll.body as { id: string; success: boolean }[];
  assert.equal(saved!.success, true);
  assert.equal(await recordTypeOf(saved!.id), newBusiness);

  const up = await org.raw(
    'PATCH',
    `${API}/sobjects/Opportunity/External_Id__c/ext-rt-1`,
    plain('Upserted deal'),
  );
  assert.equal(up.status, 201, up.text);
  assert.equal(await recordTypeOf((up.body as { id: string }).id), newBusiness);
});

test("a profile default record type: the org's, then one user's own", async () => {
  const setOrg = await org.admin('PUT', 'default-record-type', { recordTypeId: renewal });
  assert.equal(setOrg.status, 200, setOrg.text);
  try {
    assert.equal(await describedDefault(), renewal);
    assert.equal(await recordTypeOf(await createOpp(plain('Renewal by default', 'Qualification'))), renewal);

    // Another user whose profile defaults to New Business.
    const users = await org.conn.query<{ Username: string; Id: string }>(
      'SELECT Id, Username FROM User WHERE IsActive = true ORDER BY Username',
    );
    const other = users.records.find((u) => u.Id !== org.emu.admin.state.store.apiUserId)!;
    const own = await org.admin('PUT', 'default-record-type', {
      recordTypeId: newBusiness,
      username: other.Username,
    });
    assert.equal(own.status, 200, own.text);
    const t = (await org.admin('POST', 'tokens', { username: other.Username })).body as {
      accessToken: string;
    };
    const asOther = await org.raw('POST', `${API}/sobjects/Opportunity`, plain('Their deal'), {
      Authorization: `Bearer ${t.accessToken}`,
    });
    assert.equal(asOther.status, 201, asOther.text);
    assert.equal(await recordTypeOf((asOther.body as { id: string }).id), newBusiness);
    assert.equal(await describedDefault(), renewal, 'the API user still defaults to the org default');
  } finally {
    await org.admin('PUT', 'default-record-type', { recordTypeId: newBusiness });
  }
});

test('an org without record types keeps RecordTypeId null (Master), and describe says Master is the default', async () => {
  const empty = await startOrg({ seed: 'empty' });
  try {
    assert.equal(await describedDefault(empty), '012000000000000AAA');
    const id = await createOpp(plain('Master deal'), empty);
    const got = await empty.raw('GET', `${API}/sobjects/Opportunity/${id}?fields=RecordTypeId`);
    assert.equal((got.body as { RecordTypeId: unknown }).RecordTypeId, null);
    const master = await empty.raw('POST', `${API}/sobjects/Opportunity`, {
      ...plain('Master given'),
      RecordTypeId: '012000000000000AAA',
    });
    assert.equal(master.status, 201, 'the Master id is valid while no record type exists');
  } finally {
    await empty.close();
  }
});

test("StageName must be in the record type's sales process, on create and update", async () => {
  const bad = await org.raw('POST', `${API}/sobjects/Opportunity`, {
    ...plain('Wrong stage'),
    RecordTypeId: renewal,
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body, [
    {
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Stage: bad value for restricted picklist field: Prospecting',
      fields: ['StageName'],
    },
  ]);
  const ok = await org.raw('POST', `${API}/sobjects/Opportunity`, {
    ...plain('Renewal deal', 'Qualification'),
    RecordTypeId: renewal,
  });
  assert.equal(ok.status, 201, ok.text);
  const id = (ok.body as { id: string }).id;
  const upd = await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { StageName: 'Needs Analysis' });
  assert.equal(upd.status, 400);
  assert.equal(
    (upd.body as { errorCode: string }[])[0]!.errorCode,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  );
  assert.equal((await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, { Amount: 10 })).status, 204);
});

test('changing RecordTypeId re-checks the stage the record holds', async () => {
  const r = { id: await createOpp(plain('Moves to renewal')) };
  const move = await org.raw('PATCH', `${API}/sobjects/Opportunity/${r.id}`, { RecordTypeId: renewal });
  assert.equal(move.status, 400);
  assert.equal(
    (move.body as { message: string }[])[0]!.message,
    'Stage: bad value for restricted picklist field: Prospecting',
  );
  assert.equal(await recordTypeOf(r.id), newBusiness, 'nothing written');
  const both = await org.raw('PATCH', `${API}/sobjects/Opportunity/${r.id}`, {
    RecordTypeId: renewal,
    StageName: 'Qualification',
  });
  assert.equal(both.status, 204, both.text);
  assert.equal(await recordTypeOf(r.id), renewal);
});

test('a RecordTypeId must be an active opportunity record type; Master is refused once record types exist', async () => {
  const master = await org.raw('POST', `${API}/sobjects/Opportunity`, {
    ...plain('Master in an org with types'),
    RecordTypeId: '012000000000000AAA',
  });
  assert.equal(master.status, 400);
  assert.deepEqual(master.body, [
    {
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: "Record Type ID: this ID value isn't valid for the user: 012000000000000AAA",
      fields: ['RecordTypeId'],
    },
  ]);
});

test('one record outside its sales process fails alone in a collection', async () => {
  const res = await org.raw('POST', `${API}/composite/sobjects`, {
    allOrNone: false,
    records: [
      { attributes: { type: 'Opportunity' }, ...plain('Good 1') },
      { attributes: { type: 'Opportunity' }, ...plain('Bad'), RecordTypeId: renewal },
      { attributes: { type: 'Opportunity' }, ...plain('Good 2', 'Closed Won'), RecordTypeId: renewal },
    ],
  });
  const results = res.body as { success: boolean; errors: { statusCode: string; fields: string[] }[] }[];
  assert.deepEqual(
    results.map((r) => r.success),
    [true, false, true],
  );
  assert.equal(results[1]!.errors[0]!.statusCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  assert.deepEqual(results[1]!.errors[0]!.fields, ['StageName']);
});

test('Type is an unrestricted picklist: any value up to 255 characters, describe says so', async () => {
  const d = (await org.raw('GET', `${API}/sobjects/Opportunity/describe`)).body as {
    fields: { name: string; restrictedPicklist: boolean }[];
  };
  assert.equal(d.fields.find((f) => f.name === 'Type')!.restrictedPicklist, false);
  const odd = await org.conn
    .sobject('Opportunity')
    .create({ ...plain('Odd type'), Type: 'Partner Referral (legacy)' });
  const got = await org.raw('GET', `${API}/sobjects/Opportunity/${odd.id}?fields=Type`);
  assert.equal((got.body as { Type: string }).Type, 'Partner Referral (legacy)');
  const long = await org.raw('POST', `${API}/sobjects/Opportunity`, {
    ...plain('Long type'),
    Type: 'x'.repeat(256),
  });
  assert.equal(long.status, 400);
  assert.equal((long.body as { errorCode: string }[])[0]!.errorCode, 'STRING_TOO_LONG');
});
