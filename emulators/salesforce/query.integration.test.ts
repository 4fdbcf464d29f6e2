// Point 2: query / queryAll, paging with batchSize and nextRecordsUrl, jsforce autoFetch/queryMore.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
before(async () => {
  org = await startOrg({
    seed: { kind: 'sized', opportunities: 4500, seed: 3 },
    tokenTtlSeconds: 7 * 86_400,
  });
});
after(() => org.close());

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: { attributes: { type: string; url: string }; [k: string]: unknown }[];
}

const q = (soql: string) => `${API}/query?q=${encodeURIComponent(soql)}`;

test('pages of 2,000 by default, continued by GET on nextRecordsUrl (/query/01g…-2000)', async () => {
  const first = await org.raw('GET', q('SELECT Id, Name FROM Opportunity'));
  assert.equal(first.status, 200);
  const p1 = first.body as Page;
  assert.equal(p1.totalSize, 4500);
  assert.equal(p1.done, false);
  assert.equal(p1.records.length, 2000);
  assert.match(p1.nextRecordsUrl!, /^\/services\/data\/v62\.0\/query\/01g\w{15}-2000$/);
  assert.deepEqual(Object.keys(p1.records[0]!), ['attributes', 'Id', 'Name']);
  assert.equal(p1.records[0]!.attributes.type, 'Opportunity');
  assert.equal(p1.records[0]!.attributes.url, `${API}/sobjects/Opportunity/${String(p1.records[0]!.Id)}`);
  const p2 = (await org.raw('GET', p1.nextRecordsUrl!)).body as Page;
  assert.match(p2.nextRecordsUrl!, /-4000$/);
  const p3 = (await org.raw('GET', p2.nextRecordsUrl!)).body as Page;
  assert.equal(p3.done, true);
  assert.equal(p3.records.length, 500);
  assert.equal('nextRecordsUrl' in p3, false);
  const ids = new Set([...p1.records, ...p2.records, ...p3.records].map((r) => r.Id));
  assert.equal(ids.size, 4500);
});

test('Sforce-Query-Options batchSize is honoured and clamped to 200..2,000', async () => {
  const h = (n: number) => ({ 'Sforce-Query-Options': `batchSize=${n}` });
  const p = (await org.raw('GET', q('SELECT Id FROM Opportunity'), undefined, h(500))).body as Page;
  assert.equal(p.records.length, 500);
  assert.match(p.nextRecordsUrl!, /-500$/);
  const next = (await org.raw('GET', p.nextRecordsUrl!, undefined, h(500))).body as Page;
  assert.equal(next.records.length, 500);
  assert.equal(
    ((await org.raw('GET', q('SELECT Id FROM Opportunity'), undefined, h(5))).body as Page).records.length,
    200,
  );
  assert.equal(
    ((await org.raw('GET', q('SELECT Id FROM Opportunity'), undefined, h(9000))).body as Page).records.length,
    2000,
  );
});

test('COUNT() answers totalSize with no records', async () => {
  const r = (await org.raw('GET', q('SELECT COUNT() FROM Opportunity'))).body as Page;
  assert.deepEqual(r, { totalSize: 4500, done: true, records: [] });
});

test('bad SOQL fails as Salesforce fails: 400 with an error array', async () => {
  const malformed = await org.raw('GET', q('SELECT Id FRM Opportunity'));
  assert.equal(malformed.status, 400);
  const [e] = malformed.body as { errorCode: string; message: string }[];
  assert.equal(e!.errorCode, 'MALFORMED_QUERY');
  const field = await org.raw('GET', q('SELECT Nope FROM Opportunity'));
  assert.equal((field.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD');
  const type = await org.raw('GET', q('SELECT Id FROM Nope'));
  assert.equal((type.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_TYPE');
  const none = await org.raw('GET', `${API}/query`);
  assert.equal((none.body as { errorCode: string }[])[0]!.errorCode, 'MALFORMED_QUERY');
  const locator = await org.raw('GET', `${API}/query/01g5g0000000000ZZZ-2000`);
  assert.equal((locator.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_QUERY_LOCATOR');
});

test('jsforce query with autoFetch + maxFetch, and queryMore by locator', async () => {
  const all = await org.conn
    .query('SELECT Id, Amount FROM Opportunity')
    .execute({ autoFetch: true, maxFetch: 10_000 });
  assert.equal(all.records.length, 4500);
  const capped = await org.conn
    .query('SELECT Id FROM Opportunity')
    .execute({ autoFetch: true, maxFetch: 2500 });
  assert.equal(capped.records.length, 2500);
  const first = await org.conn.query('SELECT Id FROM Opportunity');
  assert.equal(first.done, false);
  const second = await org.conn.queryMore(first.nextRecordsUrl!);
  assert.equal(second.records.length, 2000);
  assert.notEqual(second.records[0]!.Id, first.records[0]!.Id);
});

test('parent fields and contact-role subqueries come back nested', async () => {
  const r = await org.conn.query<{
    Account: { Name: string } | null;
    Owner: { Email: string };
    OpportunityContactRoles: {
      totalSize: number;
      records: { ContactId: string; Role: string; IsPrimary: boolean }[];
    } | null;
  }>(
    'SELECT Id, Account.Name, Owner.Email, (SELECT ContactId, Role, IsPrimary FROM OpportunityContactRoles) FROM Opportunity LIMIT 50',
  );
  assert.equal(r.records.length, 50);
  assert.ok(r.records.every((o) => typeof o.Account?.Name === 'string' && o.Owner.Email.includes('@')));
  const withRoles = r.records.filter((o) => o.OpportunityContactRoles !== null);
  assert.ok(withRoles.length > 0);
  assert.ok(
    withRoles.every((o) => o.OpportunityContactRoles!.records.every((c) => c.ContactId.startsWith('003'))),
  );
});

test('queryAll returns deleted rows with IsDeleted = true; query does not', async () => {
  const [victim] = (await org.conn.query<{ Id: string }>('SELECT Id FROM Opportunity LIMIT 1')).records;
  await org.conn.sobject('Opportunity').destroy(victim!.Id);
  const soql = `SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${victim!.Id}'`;
  assert.equal((await org.conn.query(soql)).totalSize, 0);
  const all = await org.raw('GET', `${API}/queryAll?q=${encodeURIComponent(soql)}`);
  assert.deepEqual(
    (all.body as Page).records.map((r) => [r.Id, r.IsDeleted]),
    [[victim!.Id, true]],
  );
  const viaJsforce = await org.conn
    .query('SELECT Id FROM Opportunity')
    .scanAll(true)
    .execute({ autoFetch: true, maxFetch: 10_000 });
  assert.equal(
    viaJsforce.records.length,
    4500,
    'queryAll pages (through /query/ locators) include the deleted row',
  );
  const live = await org.conn
    .query('SELECT Id FROM Opportunity')
    .execute({ autoFetch: true, maxFetch: 10_000 });
  assert.equal(live.records.length, 4499);
});

test('locators can be re-read (retries) and live two days', async () => {
  const p1 = (await org.raw('GET', q('SELECT Id FROM Opportunity'))).body as Page;
  const a = (await org.raw('GET', p1.nextRecordsUrl!)).body as Page;
  const again = (await org.raw('GET', p1.nextRecordsUrl!)).body as Page;
  assert.deepEqual(again.records, a.records);
  await org.admin('POST', 'clock', { advance: '47h' });
  assert.equal((await org.raw('GET', p1.nextRecordsUrl!)).status, 200);
  await org.admin('POST', 'clock', { advance: '2h' });
  const expired = await org.raw('GET', p1.nextRecordsUrl!);
  assert.equal(expired.status, 400);
  assert.equal((expired.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_QUERY_LOCATOR');
  await org.admin('POST', 'clock', { advance: -49 * 3_600_000 });
});
