// POST /composite: subrequests in order, references between them, one call toward the
// allocation, the 25-subrequest and 5-query limits, and faults named for a subrequest's route.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: { kind: 'sized', opportunities: 30 } });
});
after(() => org.close());

const composite = (compositeRequest: unknown[], extra: Record<string, unknown> = {}) =>
  org.raw('POST', `${API}/composite`, { ...extra, compositeRequest });
const results = (body: unknown) => (body as { compositeResponse: SubResult[] }).compositeResponse;
const q = (soql: string) => `${API}/query?q=${encodeURIComponent(soql)}`;
const remaining = async () =>
  ((await org.raw('GET', `${API}/limits`)).body as { DailyApiRequests: { Remaining: number } })
    .DailyApiRequests.Remaining;

test('three queries in one composite call: each answered in order, and the call counts once', async () => {
  const before = await remaining();
  const r = await composite([
    { method: 'GET', url: q('SELECT Id FROM Opportunity ORDER BY Id LIMIT 2'), referenceId: 'opps' },
    {
      method: 'GET',
      url: `${API}/queryAll?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      referenceId: 'accounts',
    },
    { method: 'GET', url: q('SELECT Nope FROM Opportunity'), referenceId: 'bad' },
  ]);
  assert.equal(r.status, 200);
  const [opps, accounts, bad] = results(r.body);
  assert.equal(opps!.referenceId, 'opps');
  assert.equal(opps!.httpStatusCode, 200);
  assert.equal((opps!.body as { records: unknown[] }).records.length, 2);
  assert.equal(accounts!.httpStatusCode, 200);
  assert.equal(bad!.httpStatusCode, 400, 'a failed subrequest fails alone (allOrNone false)');
  assert.equal((bad!.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD');
  // The /limits reading itself is one call; the composite was one more.
  assert.equal(before - (await remaining()), 2);
});

test('a reference to an earlier result, and to a failed one', async () => {
  const r = await composite([
    { method: 'GET', url: q('SELECT Id FROM Opportunity ORDER BY Id LIMIT 1'), referenceId: 'first' },
    {
      method: 'GET',
      url: `${API}/sobjects/Opportunity/@{first.records[0].Id}?fields=Id,Name`,
      referenceId: 'one',
    },
    { method: 'GET', url: q('SELECT Nope FROM Opportunity'), referenceId: 'bad' },
    { method: 'GET', url: `${API}/sobjects/Opportunity/@{bad.records[0].Id}`, referenceId: 'dependent' },
  ]);
  const [first, one, , dependent] = results(r.body);
  const id = (first!.body as { records: { Id: string }[] }).records[0]!.Id;
  assert.equal(one!.httpStatusCode, 200);
  assert.equal((one!.body as { Id: string }).Id, id);
  assert.equal(dependent!.httpStatusCode, 400);
  assert.equal((dependent!.body as { errorCode: string }[])[0]!.errorCode, 'PROCESSING_HALTED');
});

test('limits: at most 25 subrequests, at most 5 of them queries; unique reference ids', async () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      method: 'GET',
      url: `${API}/sobjects/Opportunity/describe`,
      referenceId: `d${i}`,
    }));
  assert.equal((await composite(many(25))).status, 200);
  const tooMany = await composite(many(26));
  assert.equal(tooMany.status, 400);
  const queries = Array.from({ length: 6 }, (_, i) => ({
    method: 'GET',
    url: q('SELECT Id FROM Account LIMIT 1'),
    referenceId: `q${i}`,
  }));
  assert.equal((await composite(queries)).status, 400);
  assert.equal((await composite(queries.slice(0, 5))).status, 200);
  const dup = await composite([queries[0], queries[0]]);
  assert.equal(dup.status, 400);
});

test('allOrNone: a failure turns the others into PROCESSING_HALTED; writes with allOrNone are refused, not half-applied', async () => {
  const r = await composite(
    [
      { method: 'GET', url: q('SELECT Id FROM Account LIMIT 1'), referenceId: 'ok' },
      { method: 'GET', url: q('SELECT Nope FROM Account'), referenceId: 'bad' },
    ],
    { allOrNone: true },
  );
  const [ok, bad] = results(r.body);
  assert.equal(ok!.httpStatusCode, 400);
  assert.equal((ok!.body as { errorCode: string }[])[0]!.errorCode, 'PROCESSING_HALTED');
  assert.equal(bad!.httpStatusCode, 400);
  const write = await composite(
    [{ method: 'POST', url: `${API}/sobjects/Account`, referenceId: 'acc', body: { Name: 'X' } }],
    { allOrNone: true },
  );
  assert.equal(write.status, 501);
  const created = await composite([
    { method: 'POST', url: `${API}/sobjects/Account`, referenceId: 'acc', body: { Name: 'Composite Co' } },
    {
      method: 'PATCH',
      url: `${API}/sobjects/Account/@{acc.id}`,
      referenceId: 'rename',
      body: { Name: 'Composite Co 2' },
    },
  ]);
  const [acc, rename] = results(created.body);
  assert.equal(acc!.httpStatusCode, 201);
  assert.equal(rename!.httpStatusCode, 204);
  const id = (acc!.body as { id: string }).id;
  const row = (await org.conn.sobject('Account').retrieve(id)) as unknown as { Name: string };
  assert.equal(row.Name, 'Composite Co 2');
});

test("faults named for a subrequest's route meet it inside the composite call", async () => {
  await org.admin('POST', 'faults', { route: 'queryAll', status: 503, times: 1 });
  const r = await composite([
    { method: 'GET', url: q('SELECT Id FROM Account LIMIT 1'), referenceId: 'plain' },
    {
      method: 'GET',
      url: `${API}/queryAll?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`,
      referenceId: 'all',
    },
  ]);
  const [plain, all] = results(r.body);
  assert.equal(plain!.httpStatusCode, 200);
  assert.equal(all!.httpStatusCode, 503);
  // Bytes that are not JSON cannot sit inside one subrequest's answer: the whole answer is them.
  await org.admin('POST', 'faults', { route: 'queryAll', rawBody: '{"totalSize":3,"do', times: 1 });
  const cut = await composite([
    {
      method: 'GET',
      url: `${API}/queryAll?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`,
      referenceId: 'all',
    },
  ]);
  assert.equal(cut.text, '{"totalSize":3,"do');
  const stats = (await org.admin('GET', 'stats')).body as { routes: Record<string, Record<string, number>> };
  assert.ok(stats.routes['composite.composite']?.['200']);
});
