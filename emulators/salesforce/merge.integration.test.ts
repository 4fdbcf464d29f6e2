// Salesforce's merge (SOAP merge(), Apex merge; no REST resource), as the admin route
// `POST /__emulator/merge` does it: the losers' related records reparented to the master (merged
// contacts' roles lose the primary flag, their SystemModstamp moves), the losers deleted with
// MasterRecordId set (queryAll, getDeleted), the master updated.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: 'empty' });
});
after(() => org.close());

async function create(type: string, fields: Record<string, unknown>): Promise<string> {
  const r = await org.raw('POST', `${API}/sobjects/${type}`, fields);
  assert.equal(r.status, 201, r.text);
  return (r.body as { id: string }).id;
}
async function soql(q: string, all = false): Promise<Record<string, unknown>[]> {
  const r = await org.raw('GET', `${API}/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  return (r.body as { records: Record<string, unknown>[] }).records;
}
const now = async () => ((await org.admin('GET', 'clock')).body as { now: string }).now;

test('contacts: the loser is deleted with MasterRecordId, its roles move to the master without the primary flag', async () => {
  const master = await create('Contact', { LastName: 'Brandt', Email: 'lena@example.com' });
  const loser = await create('Contact', { LastName: 'Brandt', Email: 'l.brandt@example.com' });
  const opp = await create('Opportunity', {
    Name: 'Renewal',
    StageName: 'Prospecting',
    CloseDate: '2027-01-31',
  });
  const role = await create('OpportunityContactRole', {
    OpportunityId: opp,
    ContactId: loser,
    IsPrimary: true,
  });
  await org.admin('POST', 'clock', { advance: '5s' });
  const at = await now();
  const r = await org.admin('POST', 'merge', { type: 'Contact', masterId: master, mergeIds: [loser] });
  assert.equal(r.status, 200, r.text);

  const [moved] = await soql(
    `SELECT ContactId, IsPrimary, SystemModstamp FROM OpportunityContactRole WHERE Id = '${role}'`,
  );
  assert.equal(moved?.ContactId, master);
  assert.equal(moved?.IsPrimary, false);
  assert.ok(String(moved?.SystemModstamp) >= at.slice(0, 19), 'the reparented role changed');
  assert.deepEqual(await soql(`SELECT Id FROM Contact WHERE Id = '${loser}'`), []);
  const [gone] = await soql(`SELECT IsDeleted, MasterRecordId FROM Contact WHERE Id = '${loser}'`, true);
  assert.equal(gone?.IsDeleted, true);
  assert.equal(gone?.MasterRecordId, master);
  const [kept] = await soql(`SELECT SystemModstamp FROM Contact WHERE Id = '${master}'`);
  assert.ok(String(kept?.SystemModstamp) >= at.slice(0, 19), 'the master is updated');
  const start = encodeURIComponent(new Date(Date.parse(at) - 60_000).toISOString());
  const end = encodeURIComponent(new Date(Date.parse(at) + 60_000).toISOString());
  const deleted = await org.raw('GET', `${API}/sobjects/Contact/deleted/?start=${start}&end=${end}`);
  assert.equal(deleted.status, 200, deleted.text);
  assert.ok(
    (deleted.body as { deletedRecords: { id: string }[] }).deletedRecords.some((d) => d.id === loser),
  );
});

test('accounts: contacts and opportunities move to the master; the loser is deleted without them', async () => {
  const master = await create('Account', { Name: 'Orbit Freight GmbH' });
  const loser = await create('Account', { Name: 'Orbit Freight Inc.' });
  const contact = await create('Contact', { LastName: 'Kovac', AccountId: loser });
  const opp = await create('Opportunity', {
    Name: 'Freight platform',
    StageName: 'Prospecting',
    CloseDate: '2027-01-31',
    AccountId: loser,
  });
  const r = await org.admin('POST', 'merge', { type: 'Account', masterId: master, mergeIds: [loser] });
  assert.equal(r.status, 200, r.text);
  assert.equal((await soql(`SELECT AccountId FROM Contact WHERE Id = '${contact}'`))[0]?.AccountId, master);
  assert.equal((await soql(`SELECT AccountId FROM Opportunity WHERE Id = '${opp}'`))[0]?.AccountId, master);
  const [gone] = await soql(`SELECT IsDeleted, MasterRecordId FROM Account WHERE Id = '${loser}'`, true);
  assert.equal(gone?.MasterRecordId, master);
});

test('bad merges answer 400 or 404 and change nothing', async () => {
  const a = await create('Account', { Name: 'A' });
  const b = await create('Account', { Name: 'B' });
  const c = await create('Account', { Name: 'C' });
  const d = await create('Account', { Name: 'D' });
  const bad = async (body: unknown, status: number) =>
    assert.equal((await org.admin('POST', 'merge', body)).status, status, JSON.stringify(body));
  await bad({ type: 'Account', masterId: a, mergeIds: [b, c, d] }, 400);
  await bad({ type: 'Account', masterId: a, mergeIds: [a] }, 400);
  await bad({ type: 'Account', masterId: a, mergeIds: [] }, 400);
  await bad({ type: 'Opportunity', masterId: a, mergeIds: [b] }, 400);
  await bad({ type: 'Account', masterId: a, mergeIds: ['001000000000000AAA'] }, 404);
  assert.equal((await soql(`SELECT Id FROM Account WHERE Id IN ('${a}', '${b}', '${c}', '${d}')`)).length, 4);
});
