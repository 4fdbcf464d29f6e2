// Setup changes through the admin API (record types and stages added, renamed, deactivated, sales
// processes changed), and what API clients then read: OpportunityStage and RecordType rows with
// their stamps moved, describe's StageName picklist and recordTypeInfos, the UI API's values per
// record type, and old records that keep a retired stage.
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

const plain = (name: string, stage: string) => ({ Name: name, StageName: stage, CloseDate: '2025-06-30' });

interface StageRow {
  ApiName: string;
  MasterLabel: string;
  IsActive: boolean;
  SortOrder: number;
  DefaultProbability: number;
  IsClosed: boolean;
  IsWon: boolean;
  SystemModstamp: string;
  LastModifiedDate: string;
}

async function stageRow(apiName: string): Promise<StageRow> {
  const r = await org.conn.query<StageRow>(
    'SELECT ApiName, MasterLabel, IsActive, SortOrder, DefaultProbability, IsClosed, IsWon, SystemModstamp, ' +
      `LastModifiedDate FROM OpportunityStage WHERE ApiName = '${apiName.replace(/'/g, "\\'")}'`,
  );
  assert.equal(r.records.length, 1, `one OpportunityStage row for ${apiName}`);
  return r.records[0]!;
}

async function uiValues(recordTypeId: string): Promise<{ value: string; label: string }[]> {
  const r = await org.raw(
    'GET',
    `${API}/ui-api/object-info/Opportunity/picklist-values/${recordTypeId}/StageName`,
  );
  assert.equal(r.status, 200, r.text);
  return (r.body as { values: { value: string; label: string }[] }).values;
}

async function describedStages(): Promise<{ value: string; label: string; active: boolean }[]> {
  const d = (await org.raw('GET', `${API}/sobjects/Opportunity/describe`)).body as {
    fields: { name: string; picklistValues: { value: string; label: string; active: boolean }[] }[];
  };
  return d.fields.find((f) => f.name === 'StageName')!.picklistValues;
}

async function advance(): Promise<void> {
  await org.admin('POST', 'clock', { advance: '5s' });
}

async function create(
  values: Record<string, unknown>,
): Promise<{ status: number; id?: string; code?: string }> {
  const r = await org.raw('POST', `${API}/sobjects/Opportunity`, values);
  return r.status === 201
    ? { status: 201, id: (r.body as { id: string }).id }
    : { status: r.status, code: (r.body as { errorCode: string }[])[0]!.errorCode };
}

test('renaming a stage changes its label only: the API name, the records and writes with it stay', async () => {
  const before = await stageRow('Value Proposition');
  const opp = await create(plain('Before rename', 'Value Proposition'));
  await advance();
  const r = await org.admin('PATCH', `stages/${encodeURIComponent('Value Proposition')}`, {
    label: 'Value Pitch',
  });
  assert.equal(r.status, 200, r.text);
  const after = await stageRow('Value Proposition');
  assert.equal(after.MasterLabel, 'Value Pitch');
  assert.equal(after.ApiName, 'Value Proposition');
  assert.ok(Date.parse(after.SystemModstamp) > Date.parse(before.SystemModstamp), 'SystemModstamp moved');
  assert.ok(
    Date.parse(after.LastModifiedDate) > Date.parse(before.LastModifiedDate),
    'LastModifiedDate moved',
  );
  const entry = (await describedStages()).find((p) => p.value === 'Value Proposition');
  assert.deepEqual(entry && { value: entry.value, label: entry.label }, {
    value: 'Value Proposition',
    label: 'Value Pitch',
  });
  assert.ok(
    (await uiValues(newBusiness)).some((v) => v.value === 'Value Proposition' && v.label === 'Value Pitch'),
  );
  const got = await org.raw('GET', `${API}/sobjects/Opportunity/${opp.id!}?fields=StageName`);
  assert.equal(
    (got.body as { StageName: string }).StageName,
    'Value Proposition',
    'records hold the API name',
  );
  assert.equal((await create(plain('After rename', 'Value Proposition'))).status, 201);
  assert.equal(
    (await create(plain('By label', 'Value Pitch'))).code,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  );
});

test('a deactivated stage stays on old records, which stay editable; new writes of it fail', async () => {
  const old = await create(plain('Old deal', 'Perception Analysis'));
  assert.equal(old.status, 201);
  await advance();
  const r = await org.admin('PATCH', `stages/${encodeURIComponent('Perception Analysis')}`, {
    active: false,
  });
  assert.equal(r.status, 200, r.text);
  const row = await stageRow('Perception Analysis');
  assert.equal(row.IsActive, false, 'OpportunityStage reports it inactive');
  assert.equal(
    (await describedStages()).some((p) => p.value === 'Perception Analysis'),
    false,
    'describe lists active values only',
  );
  assert.equal(
    (await uiValues(newBusiness)).some((v) => v.value === 'Perception Analysis'),
    false,
  );
  assert.equal(
    (await describedStages()).every((p) => p.active),
    true,
  );

  // The old record: readable, queryable, other fields update, the same stage may be sent back.
  const path = `${API}/sobjects/Opportunity/${old.id!}`;
  assert.equal((await org.raw('PATCH', path, { Amount: 1234 })).status, 204);
  assert.equal((await org.raw('PATCH', path, { StageName: 'Perception Analysis', Amount: 99 })).status, 204);
  const q = await org.conn.query<{ StageName: string; Amount: number }>(
    `SELECT StageName, Amount FROM Opportunity WHERE Id = '${old.id!}'`,
  );
  assert.deepEqual(
    q.records.map((x) => [x.StageName, x.Amount]),
    [['Perception Analysis', 99]],
  );
  // Leaving the retired stage works; going back does not.
  assert.equal((await org.raw('PATCH', path, { StageName: 'Closed Won' })).status, 204);
  const back = await org.raw('PATCH', path, { StageName: 'Perception Analysis' });
  assert.equal(back.status, 400);
  assert.equal(
    (await create(plain('New in retired', 'Perception Analysis'))).code,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  );

  // Reactivated, it is offered again.
  await org.admin('PATCH', `stages/${encodeURIComponent('Perception Analysis')}`, { active: true });
  assert.equal((await create(plain('Reactivated', 'Perception Analysis'))).status, 201);
});

test('a stage added to one sales process: OpportunityStage row, UI API per record type, writes', async () => {
  const r = await org.admin('POST', 'stages', {
    label: 'Contract Sent',
    probability: 80,
    recordTypeIds: [renewal],
  });
  assert.equal(r.status, 201, r.text);
  const row = await stageRow('Contract Sent');
  assert.deepEqual(
    [row.MasterLabel, row.IsActive, row.DefaultProbability, row.IsClosed, row.IsWon],
    ['Contract Sent', true, 80, false, false],
  );
  const last = await org.conn.query<{ SortOrder: number }>(
    'SELECT SortOrder FROM OpportunityStage ORDER BY SortOrder DESC LIMIT 1',
  );
  assert.equal(row.SortOrder, last.records[0]!.SortOrder, 'added at the end');
  assert.ok((await uiValues(renewal)).some((v) => v.value === 'Contract Sent'));
  assert.equal(
    (await uiValues(newBusiness)).some((v) => v.value === 'Contract Sent'),
    false,
  );
  assert.ok(
    (await uiValues('012000000000000AAA')).some((v) => v.value === 'Contract Sent'),
    'Master lists every active stage',
  );
  const inRenewal = await create({ ...plain('Contract renewal', 'Contract Sent'), RecordTypeId: renewal });
  assert.equal(inRenewal.status, 201);
  const p = await org.raw('GET', `${API}/sobjects/Opportunity/${inRenewal.id!}?fields=Probability,IsClosed`);
  assert.deepEqual(p.body && { ...(p.body as object), attributes: undefined }, {
    attributes: undefined,
    Probability: 80,
    IsClosed: false,
  });
  assert.equal(
    (await create({ ...plain('Contract new', 'Contract Sent'), RecordTypeId: newBusiness })).code,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  );
  const dup = await org.admin('POST', 'stages', { label: 'Contract Sent' });
  assert.equal(dup.status, 400);
});

test("changing a sales process's stages changes what its records may hold", async () => {
  const r = await org.admin('PATCH', `record-types/${renewal}`, {
    stages: ['Qualification', 'Needs Analysis', 'Closed Won', 'Closed Lost'],
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(
    (await uiValues(renewal)).map((v) => v.value),
    ['Qualification', 'Needs Analysis', 'Closed Won', 'Closed Lost'],
    'in the picklist order',
  );
  assert.equal(
    (await create({ ...plain('NA renewal', 'Needs Analysis'), RecordTypeId: renewal })).status,
    201,
  );
  assert.equal(
    (await create({ ...plain('Quote renewal', 'Proposal/Price Quote'), RecordTypeId: renewal })).code,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  );
  const unknown = await org.admin('PATCH', `record-types/${renewal}`, { stages: ['No Such Stage'] });
  assert.equal(unknown.status, 400);
});

test('a record type added, renamed and deactivated: RecordType rows, describe, writes and old records', async () => {
  const add = await org.admin('POST', 'record-types', {
    name: 'Partner Deal',
    description: 'Deals through partners',
    stages: ['Prospecting', 'Closed Won', 'Closed Lost'],
  });
  assert.equal(add.status, 201, add.text);
  const id = (add.body as { id: string }).id;
  const rt = async () =>
    (
      await org.conn.query<{
        Name: string;
        DeveloperName: string;
        IsActive: boolean;
        SystemModstamp: string;
      }>(`SELECT Name, DeveloperName, IsActive, SystemModstamp FROM RecordType WHERE Id = '${id}'`)
    ).records[0]!;
  assert.deepEqual((({ Name, DeveloperName, IsActive }) => ({ Name, DeveloperName, IsActive }))(await rt()), {
    Name: 'Partner Deal',
    DeveloperName: 'Partner_Deal',
    IsActive: true,
  });
  assert.deepEqual(
    (await uiValues(id)).map((v) => v.value),
    ['Prospecting', 'Closed Won', 'Closed Lost'],
  );
  const opp = await create({ ...plain('Partner opp', 'Prospecting'), RecordTypeId: id });
  assert.equal(opp.status, 201);

  const stamp = (await rt()).SystemModstamp;
  await advance();
  assert.equal((await org.admin('PATCH', `record-types/${id}`, { name: 'Channel Deal' })).status, 200);
  const renamed = await rt();
  assert.equal(renamed.Name, 'Channel Deal');
  assert.equal(renamed.DeveloperName, 'Partner_Deal', 'a label rename keeps the developer name');
  assert.ok(Date.parse(renamed.SystemModstamp) > Date.parse(stamp));

  await advance();
  assert.equal((await org.admin('PATCH', `record-types/${id}`, { active: false })).status, 200);
  assert.equal((await rt()).IsActive, false);
  const d = (await org.raw('GET', `${API}/sobjects/Opportunity/describe`)).body as {
    recordTypeInfos: { recordTypeId: string; active: boolean; available: boolean; name: string }[];
  };
  const info = d.recordTypeInfos.find((i) => i.recordTypeId === id)!;
  assert.deepEqual([info.name, info.active, info.available], ['Channel Deal', false, false]);
  const refused = await org.raw('POST', `${API}/sobjects/Opportunity`, {
    ...plain('New partner opp', 'Prospecting'),
    RecordTypeId: id,
  });
  assert.equal(refused.status, 400);
  assert.equal((refused.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_CROSS_REFERENCE_KEY');
  // The old record keeps its record type and still saves.
  assert.equal((await org.raw('PATCH', `${API}/sobjects/Opportunity/${opp.id!}`, { Amount: 5 })).status, 204);
  const kept = await org.raw('GET', `${API}/sobjects/Opportunity/${opp.id!}?fields=RecordTypeId`);
  assert.equal((kept.body as { RecordTypeId: string }).RecordTypeId, id);
});

test('deactivating the default record type moves the default to the next active one', async () => {
  const add = await org.admin('POST', 'record-types', { name: 'Short Lived', stages: ['Prospecting'] });
  const id = (add.body as { id: string }).id;
  assert.equal((await org.admin('PUT', 'default-record-type', { recordTypeId: id })).status, 200);
  const first = await create(plain('Short lived opp', 'Prospecting'));
  const rtOf = async (oid: string) =>
    (
      (await org.raw('GET', `${API}/sobjects/Opportunity/${oid}?fields=RecordTypeId`)).body as {
        RecordTypeId: string;
      }
    ).RecordTypeId;
  assert.equal(await rtOf(first.id!), id);
  await org.admin('PATCH', `record-types/${id}`, { active: false });
  const next = await create(plain('After deactivation', 'Prospecting'));
  assert.equal(await rtOf(next.id!), newBusiness);
  const inactiveDefault = await org.admin('PUT', 'default-record-type', { recordTypeId: id });
  assert.equal(inactiveDefault.status, 400);
});

test('the admin lists of stages and record types', async () => {
  const s = (await org.admin('GET', 'stages')).body as { stages: { apiName: string; label: string }[] };
  assert.ok(s.stages.some((x) => x.apiName === 'Value Proposition' && x.label === 'Value Pitch'));
  const rts = (await org.admin('GET', 'record-types')).body as {
    recordTypes: { id: string; stages: string[] | null }[];
  };
  assert.deepEqual(rts.recordTypes.find((x) => x.id === renewal)!.stages, [
    'Qualification',
    'Needs Analysis',
    'Closed Won',
    'Closed Lost',
  ]);
  assert.equal((await org.admin('PATCH', 'stages/No%20Such', { label: 'x' })).status, 404);
  assert.equal((await org.admin('PATCH', 'record-types/012000000000000AAA', { name: 'x' })).status, 404);
});
