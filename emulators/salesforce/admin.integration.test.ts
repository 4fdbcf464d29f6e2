// Point 6: the admin API — faults (status/body, raw and cut-off bodies, every Nth, probability, delay,
// token expiry, times),
// stats, seed and reset, clock, raw records, data file load/export.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: 'demo' });
});
after(() => org.close());

const q = `${API}/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`;

test('a fault with status and body answers instead of the route, at most `times` times', async () => {
  const f = await org.admin('POST', 'faults', {
    route: 'query',
    status: 503,
    body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }],
    times: 2,
  });
  assert.equal(f.status, 201);
  const a = await org.raw('GET', q);
  assert.equal(a.status, 503);
  assert.deepEqual(a.body, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]);
  assert.equal((await org.raw('GET', q)).status, 503);
  assert.equal((await org.raw('GET', q)).status, 200, 'spent after two');
  assert.equal((await org.raw('GET', `${API}/limits`)).status, 200, 'other routes untouched');
});

test('everyNth and probability faults; a default body per status', async () => {
  await org.admin('POST', 'faults', { route: 'limits', status: 500, everyNth: 3 });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await org.raw('GET', `${API}/limits`)).status);
  assert.deepEqual(statuses, [200, 200, 500, 200, 200, 500]);
  await org.admin('DELETE', 'faults');
  await org.admin('POST', 'faults', { route: 'limits', status: 500, probability: 0.5 });
  let failed = 0;
  for (let i = 0; i < 60; i++) if ((await org.raw('GET', `${API}/limits`)).status === 500) failed++;
  assert.ok(failed > 10 && failed < 50, `about half failed: ${failed}`);
  const last = await org.raw('GET', `${API}/limits`);
  if (last.status === 500)
    assert.equal((last.body as { errorCode: string }[])[0]!.errorCode, 'UNKNOWN_EXCEPTION');
  await org.admin('DELETE', 'faults');
});

test('rawBody answers with the bytes given: a cut-off JSON page, a maintenance HTML page', async () => {
  await org.admin('POST', 'faults', { route: 'query', rawBody: '{"totalSize":1,"done":true,"rec', times: 1 });
  const cut = await org.raw('GET', q);
  assert.equal(cut.status, 200);
  assert.equal(cut.text, '{"totalSize":1,"done":true,"rec');
  assert.match(cut.headers.get('content-type') ?? '', /^application\/json/);
  await org.admin('POST', 'faults', {
    route: 'query',
    status: 503,
    rawBody: '<html><body>Down for maintenance</body></html>',
    contentType: 'text/html',
    times: 1,
  });
  const html = await org.raw('GET', q);
  assert.equal(html.status, 503);
  assert.equal(html.headers.get('content-type'), 'text/html');
  assert.equal(html.text, '<html><body>Down for maintenance</body></html>');
  assert.equal((await org.raw('GET', q)).status, 200, 'spent');
});

test('truncateAfter serves the request (a create happens) and cuts the answer short', async () => {
  await org.admin('POST', 'faults', { route: 'sobject.create', truncateAfter: 10, times: 1 });
  const cut = await org.raw('POST', `${API}/sobjects/Account`, { Name: 'Cut Short Ltd' }).then(
    () => 'whole',
    (e: unknown) => e,
  );
  assert.ok(cut instanceof Error, `the body did not arrive whole: ${String(cut)}`);
  const found = await org.raw(
    'GET',
    `${API}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'Cut Short Ltd'")}`,
  );
  assert.equal((found.body as { totalSize: number }).totalSize, 1);
});

test('delay faults slow a route down', async () => {
  await org.admin('POST', 'faults', { route: 'sobjects.global', delayMs: 300 });
  const t0 = Date.now();
  assert.equal((await org.raw('GET', `${API}/sobjects`)).status, 200);
  assert.ok(Date.now() - t0 >= 290);
  await org.admin('DELETE', 'faults');
});

test('an expireTokens fault kills every session: raw callers see 401, jsforce refreshes and carries on', async () => {
  await org.admin('POST', 'faults', { route: 'query', expireTokens: true, times: 1 });
  const refreshed: string[] = [];
  org.conn.on('refresh', (t: string) => refreshed.push(t));
  const r = await org.conn.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1');
  assert.equal(r.records.length, 1);
  assert.equal(refreshed.length, 1);
  const raw = await org.raw('GET', `${API}/limits`);
  assert.equal(raw.status, 401, 'the old raw token died too');
  org.accessToken = refreshed[0]!;
});

test('stats count requests per route and status', async () => {
  await org.admin('DELETE', 'stats');
  await org.raw('GET', q);
  await org.raw('GET', `${API}/sobjects/Account/001000000000000AAA`);
  const s = (await org.admin('GET', 'stats')).body as {
    total: number;
    routes: Record<string, Record<string, number>>;
  };
  assert.deepEqual(s.routes.query, { '200': 1 });
  assert.deepEqual(s.routes['sobject.get'], { '404': 1 });
  assert.equal(s.total, 2);
});

test('seed replaces the org deterministically; reset goes back to the initial seed', async () => {
  const a = await org.admin('POST', 'seed', { kind: 'sized', opportunities: 250, seed: 9 });
  assert.equal((a.body as { records: Record<string, { live: number }> }).records.Opportunity!.live, 250);
  const names1 = (
    await org.conn.query<{ Name: string; Amount: number }>(
      'SELECT Name, Amount FROM Opportunity ORDER BY Name',
    )
  ).records;
  await org.admin('POST', 'seed', { kind: 'sized', opportunities: 250, seed: 9 });
  const names2 = (
    await org.conn.query<{ Name: string; Amount: number }>(
      'SELECT Name, Amount FROM Opportunity ORDER BY Name',
    )
  ).records;
  assert.deepEqual(names2, names1);
  await org.admin('POST', 'seed', { kind: 'sized', opportunities: 20, multiCurrency: true });
  const cur = await org.conn.query('SELECT Id, CurrencyIsoCode FROM Opportunity LIMIT 1');
  assert.equal(cur.totalSize, 1);
  const reset = await org.admin('POST', 'reset');
  assert.equal((reset.body as { records: Record<string, { live: number }> }).records.Opportunity!.live, 500);
});

test('clock can be read, set, frozen and advanced', async () => {
  const set = await org.admin('POST', 'clock', { set: '2030-01-02T03:04:05Z', freeze: true });
  assert.deepEqual(set.body, {
    now: '2030-01-02T03:04:05.000+0000',
    epochMs: Date.parse('2030-01-02T03:04:05Z'),
    frozen: true,
  });
  const adv = await org.admin('POST', 'clock', { advance: '1d' });
  assert.equal((adv.body as { now: string }).now, '2030-01-03T03:04:05.000+0000');
  const c = await org.conn.sobject('Account').create({ Name: 'Future' });
  const rec = (await org.conn.sobject('Account').retrieve(c.id!)) as unknown as { CreatedDate: string };
  assert.equal(rec.CreatedDate, '2030-01-03T03:04:05.000+0000');
  const bad = await org.admin('POST', 'clock', { advance: 'soon' });
  assert.equal(bad.status, 400);
  await org.admin('POST', 'reset');
});

test('raw records can be planted with past timestamps and @refs', async () => {
  const r = await org.admin('POST', 'records/Account', {
    records: [
      {
        '@ref': 'old',
        Name: 'Old Co',
        CreatedDate: '2024-01-01T00:00:00Z',
        SystemModstamp: '2024-01-02T00:00:00Z',
      },
    ],
  });
  assert.equal(r.status, 201);
  const [id] = (r.body as { ids: string[] }).ids;
  const rec = (await org.conn.sobject('Account').retrieve(id!)) as unknown as { SystemModstamp: string };
  assert.equal(rec.SystemModstamp, '2024-01-02T00:00:00.000+0000');
  const bad = await org.admin('POST', 'records/Account', { Nope: 1 });
  assert.equal(bad.status, 400);
});

test('an org exported as a data file loads back the same, from the admin API and from --data', async () => {
  await org.admin('POST', 'reset');
  const exported = (await org.admin('GET', 'export')).body as { records: Record<string, unknown[]> };
  assert.equal(exported.records.Opportunity!.length, 500);
  const before1 = (
    await org.conn.query(
      'SELECT Id, Name, StageName, IsWon, CreatedDate, (SELECT ContactId FROM OpportunityContactRoles) FROM Opportunity ORDER BY Id',
    )
  ).records;
  const loaded = await org.admin('POST', 'load', exported);
  assert.equal(loaded.status, 200);
  const after1 = (
    await org.conn.query(
      'SELECT Id, Name, StageName, IsWon, CreatedDate, (SELECT ContactId FROM OpportunityContactRoles) FROM Opportunity ORDER BY Id',
    )
  ).records;
  assert.deepEqual(after1, before1);
  const dir = mkdtempSync(join(tmpdir(), 'sfemu-'));
  const file = join(dir, 'org.json');
  writeFileSync(
    file,
    JSON.stringify({
      records: {
        Account: [{ '@ref': 'acme', Name: 'Acme', Website: 'https://acme.example' }],
        Contact: [{ '@ref': 'ann', LastName: 'Ann', Email: 'ann@acme.example', AccountId: '@acme' }],
        Opportunity: [
          {
            '@ref': 'big',
            Name: 'Big deal',
            StageName: 'Closed Won',
            CloseDate: '2025-01-15',
            Amount: 5000,
            AccountId: '@acme',
          },
        ],
        OpportunityContactRole: [
          { OpportunityId: '@big', ContactId: '@ann', Role: 'Decision Maker', IsPrimary: true },
        ],
      },
    }),
  );
  const fromFile = await startOrg({ dataFile: file });
  try {
    const r = await fromFile.conn.query<{
      IsWon: boolean;
      Account: { Name: string };
      OpportunityContactRoles: { records: { Contact: { Email: string } }[] };
    }>('SELECT IsWon, Account.Name, (SELECT Contact.Email FROM OpportunityContactRoles) FROM Opportunity');
    assert.equal(r.totalSize, 1);
    assert.equal(r.records[0]!.IsWon, true, 'derived from the stage on load');
    assert.equal(r.records[0]!.Account.Name, 'Acme');
    assert.equal(r.records[0]!.OpportunityContactRoles.records[0]!.Contact.Email, 'ann@acme.example');
  } finally {
    await fromFile.close();
  }
});

test('unknown admin routes are 404', async () => {
  assert.equal((await org.admin('GET', 'nope')).status, 404);
});

test('POST fields adds a custom field: described, written up to its length, queried', async () => {
  org.accessToken = (await org.emu.admin.issueTokens()).accessToken; // an earlier test expired it
  const added = await org.admin('POST', 'fields', {
    sobject: 'Opportunity',
    name: 'Notes__c',
    label: 'Notes',
    type: 'textarea',
    length: 131072,
  });
  assert.equal(added.status, 201, added.text);
  const d = await org.raw('GET', `${API}/sobjects/Opportunity/describe`);
  const f = (
    d.body as { fields: { name: string; type: string; length: number; custom: boolean }[] }
  ).fields.find((x) => x.name === 'Notes__c');
  assert.deepEqual(f && { type: f.type, length: f.length, custom: f.custom }, {
    type: 'textarea',
    length: 131072,
    custom: true,
  });
  const base = { Name: 'Custom field', StageName: 'Prospecting', CloseDate: '2025-01-31' };
  const ok = await org.raw('POST', `${API}/sobjects/Opportunity`, { ...base, Notes__c: 'n'.repeat(131072) });
  assert.equal(ok.status, 201, ok.text);
  const long = await org.raw('POST', `${API}/sobjects/Opportunity`, {
    ...base,
    Notes__c: 'n'.repeat(131073),
  });
  assert.equal((long.body as { errorCode: string }[])[0]?.errorCode, 'STRING_TOO_LONG');
  const id = (ok.body as { id: string }).id;
  const row = await org.raw(
    'GET',
    `${API}/query?q=${encodeURIComponent(`SELECT Notes__c FROM Opportunity WHERE Id = '${id}'`)}`,
  );
  assert.equal((row.body as { records: { Notes__c: string }[] }).records[0]?.Notes__c.length, 131072);
  const dup = await org.admin('POST', 'fields', { sobject: 'Opportunity', name: 'Notes__c', type: 'string' });
  assert.equal(dup.status, 400);
  const bad = await org.admin('POST', 'fields', { sobject: 'Opportunity', name: 'Notes', type: 'string' });
  assert.equal(bad.status, 400);
});
