// Point 3: getUpdated / getDeleted through jsforce's sobject().updated()/deleted(), their windows
// (30 / 15 days), latestDateCovered and earliestDateAvailable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
const T0 = Date.parse('2025-03-01T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

before(async () => {
  org = await startOrg({ seed: 'empty' });
  await org.admin('POST', 'clock', { set: T0, freeze: true });
});
after(() => org.close());

const at = (ms: number) => org.admin('POST', 'clock', { set: ms, freeze: true });

test('updated() lists ids changed in the window by SystemModstamp; seconds are ignored', async () => {
  await at(T0 + 10 * MIN + 30_000);
  const a = await org.conn.sobject('Account').create({ Name: 'A' });
  await at(T0 + 20 * MIN);
  const b = await org.conn.sobject('Account').create({ Name: 'B' });
  await at(T0 + 30 * MIN);
  await org.conn.sobject('Account').update({ Id: a.id!, Phone: '1' });
  await at(T0 + 40 * MIN);
  const early = await org.conn
    .sobject('Account')
    .updated(new Date(T0 + 10 * MIN + 45_000), new Date(T0 + 25 * MIN));
  assert.deepEqual(early.ids, [b.id!], 'A moved on at 12:30; B was created at 12:20');
  await at(T0 + 50 * MIN + 30_000);
  const d = await org.conn.sobject('Account').create({ Name: 'D' });
  await at(T0 + 55 * MIN);
  const truncated = await org.conn
    .sobject('Account')
    .updated(new Date(T0 + 50 * MIN + 45_000), new Date(T0 + 51 * MIN + 59_000));
  assert.deepEqual(truncated.ids, [d.id!], 'start 12:50:45 counts as 12:50, so D (12:50:30) is in');
  const all = await org.conn.sobject('Account').updated(new Date(T0), new Date(T0 + 35 * MIN));
  assert.deepEqual([...all.ids].sort(), [a.id!, b.id!].sort());
  assert.equal(all.latestDateCovered, '2025-03-01T12:35:00.000+0000');
  const future = await org.conn.sobject('Account').updated(new Date(T0), new Date(T0 + 5 * DAY));
  assert.equal(future.latestDateCovered, '2025-03-01T12:55:00.000+0000', 'never beyond now');
});

test('deleted() lists deleted ids with deletedDate, earliestDateAvailable and latestDateCovered', async () => {
  await at(T0 + 60 * MIN);
  const c = await org.conn.sobject('Contact').create({ LastName: 'Del' });
  await at(T0 + 61 * MIN);
  await org.conn.sobject('Contact').destroy(c.id!);
  await at(T0 + 70 * MIN);
  const r = await org.conn.sobject('Contact').deleted(new Date(T0), new Date(T0 + 65 * MIN));
  assert.deepEqual(r.deletedRecords, [{ id: c.id!, deletedDate: '2025-03-01T13:01:00.000+0000' }]);
  assert.equal(r.latestDateCovered, '2025-03-01T13:05:00.000+0000');
  assert.ok(Date.parse(r.earliestDateAvailable.replace('+0000', 'Z')) <= T0);
  const updated = await org.conn.sobject('Contact').updated(new Date(T0), new Date(T0 + 65 * MIN));
  assert.equal(updated.ids.includes(c.id!), false, 'deleted records are not in getUpdated');
});

test('windows: getUpdated reaches 30 days back, getDeleted 15; inverted ranges fail', async () => {
  const now = T0 + 2 * DAY;
  await at(now);
  const url = (kind: string, s: number, e: number) =>
    `${API}/sobjects/Account/${kind}/?start=${encodeURIComponent(new Date(s).toISOString())}&end=${encodeURIComponent(new Date(e).toISOString())}`;
  assert.equal((await org.raw('GET', url('updated', now - 29 * DAY, now))).status, 200);
  const tooOld = await org.raw('GET', url('updated', now - 32 * DAY, now));
  assert.equal(tooOld.status, 400);
  assert.equal((tooOld.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_REPLICATION_DATE');
  assert.equal((await org.raw('GET', url('deleted', now - 14 * DAY, now))).status, 200);
  const delOld = await org.raw('GET', url('deleted', now - 17 * DAY, now));
  assert.equal((delOld.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_REPLICATION_DATE');
  const inverted = await org.raw('GET', url('updated', now, now - DAY));
  assert.equal((inverted.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_REPLICATION_DATE');
  const notReplicable = await org.raw(
    'GET',
    url('updated', now - DAY, now).replace('Account', 'OpportunityStage'),
  );
  assert.equal(notReplicable.status, 400);
});

test('the recycle bin is purged after 15 days: earliestDateAvailable moves and older starts must resync', async () => {
  await at(T0 + 3 * DAY);
  const x = await org.conn.sobject('Account').create({ Name: 'Purge me' });
  await org.conn.sobject('Account').destroy(x.id!);
  const deletedAt = T0 + 3 * DAY;
  await at(deletedAt + 16 * DAY);
  const r = await org.conn
    .sobject('Account')
    .deleted(new Date(deletedAt + 2 * DAY), new Date(deletedAt + 16 * DAY));
  assert.deepEqual(r.deletedRecords, []);
  assert.equal(r.earliestDateAvailable, '2025-03-04T12:00:00.000+0000');
  const q = await org.raw(
    'GET',
    `${API}/queryAll?q=${encodeURIComponent(`SELECT Id FROM Account WHERE Id = '${x.id!}'`)}`,
  );
  assert.equal((q.body as { totalSize: number }).totalSize, 0, 'purged rows are gone from queryAll');
  const undo = await org.admin('POST', 'undelete', { id: x.id! });
  assert.equal((undo.body as { results: { success: boolean }[] }).results[0]!.success, false);
});
