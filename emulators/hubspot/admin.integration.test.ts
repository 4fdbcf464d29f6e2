// The admin API under /__emulator/: seed (demo and sizes), reset, faults (malformed, cut short and
// partial answers too), clock, stats, owners,
// currencies, restore, export and loading a data file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPeople } from '../salesforce/demo-people.js';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
before(async () => {
  p = await startPortal({ seed: 'demo' });
});
after(() => p.close());

async function allContacts(portal: TestPortal): Promise<string[]> {
  const emails: string[] = [];
  let cursor: string | undefined;
  do {
    const r = await portal.api(
      'GET',
      `/crm/v3/objects/contacts?limit=100${cursor ? `&after=${cursor}` : ''}`,
    );
    emails.push(...r.body.results.map((x: { properties: { email: string } }) => x.properties.email));
    cursor = r.body.paging?.next?.after;
  } while (cursor);
  return emails;
}

describe('demo seed', () => {
  test('owners match all but one Salesforce demo user by email', async () => {
    const people = demoPeople();
    const owners = await p.api('GET', '/crm/v3/owners?limit=500');
    const ownerEmails = new Set(owners.body.results.map((o: { email: string }) => o.email.toLowerCase()));
    const matched = people.users.filter((u) => ownerEmails.has(u.email.toLowerCase()));
    assert.equal(matched.length, people.users.length - 1);
  });

  test('about 80% of demo contacts exist, some differing only in letter case; companies by domain', async () => {
    const people = demoPeople();
    const emails = await allContacts(p);
    const lower = new Set(emails.map((e) => e.toLowerCase()));
    const share =
      people.contacts.filter((c) => lower.has(c.email.toLowerCase())).length / people.contacts.length;
    assert.ok(share > 0.75 && share < 0.85, `share ${share}`);
    const exact = new Set(emails);
    assert.ok(
      people.contacts.some((c) => lower.has(c.email.toLowerCase()) && !exact.has(c.email)),
      'people.contacts.some((c) => lower.has(c.email.toLowerCase()) && !exact.has(c.email))',
    );
    const companies = await p.api('GET', '/crm/v3/objects/companies?limit=100');
    const domains = new Set(
      companies.body.results.map((c: { properties: { domain: string } }) => c.properties.domain),
    );
    const withDomain = people.accounts.filter((a) => a.domain);
    const covered = withDomain.filter((a) => domains.has(a.domain)).length;
    assert.ok(covered > 0 && covered < withDomain.length, 'covered > 0 && covered < withDomain.length');
  });
});

describe('seed sizes, reset, counts', () => {
  test('generated records with associations and a unique key, then reset empties the portal', async () => {
    const q = await startPortal();
    try {
      const s = await q.admin('POST', '/seed', {
        deals: 500,
        contacts: 100,
        companies: 10,
        associations: 800,
        uniqueProperty: 'ext_id',
      });
      assert.equal(s.status, 200);
      assert.deepEqual([s.body.deals, s.body.contacts, s.body.companies], [500, 100, 10]);
      assert.equal(s.body.associations, 800);
      const got = await q.api('GET', '/crm/v3/objects/deals/BENCH-42?idProperty=ext_id&properties=ext_id');
      assert.equal(got.body.properties.ext_id, 'BENCH-42');
      // Generated records behave as stored ones: upsert updates them, search and lists see them.
      const up = await q.api('POST', '/crm/v3/objects/deals/batch/upsert', {
        inputs: [
          { id: 'BENCH-7', idProperty: 'ext_id', properties: { amount: '77' } },
          { id: 'BENCH-500', idProperty: 'ext_id', properties: { dealname: 'fresh' } },
        ],
      });
      assert.equal(up.status, 200);
      const byKey = Object.fromEntries(
        up.body.results.map((r: { properties: { ext_id?: string }; new: boolean }) => [
          r.properties.ext_id,
          r,
        ]),
      );
      assert.equal(up.body.results.filter((r: { new: boolean }) => r.new).length, 1, 'BENCH-500 is new');
      assert.equal(byKey['BENCH-500']?.new, true);
      const seven = await q.api(
        'GET',
        '/crm/v3/objects/deals/BENCH-7?idProperty=ext_id&properties=amount,dealname',
      );
      assert.deepEqual(
        [seven.body.properties.amount, seven.body.properties.dealname],
        ['77', 'Bench deal 7'],
      );
      const contact = await q.api('GET', '/crm/v3/objects/contacts/BENCH99@bench.example?idProperty=email');
      assert.equal(contact.status, 200, 'generated contacts found by email, case-insensitively');
      const dup = await q.api('POST', '/crm/v3/objects/contacts', {
        properties: { email: 'bench5@bench.example' },
      });
      assert.equal(dup.status, 409);
      const found = await q.api('POST', '/crm/v3/objects/deals/search', {
        filterGroups: [{ filters: [{ propertyName: 'dealname', operator: 'EQ', value: 'Bench deal 123' }] }],
      });
      assert.equal(found.body.total, 1);
      const page = await q.api('GET', '/crm/v3/objects/deals?limit=100&after=0');
      assert.equal(page.body.results.length, 100);
      assert.equal((await q.admin('POST', '/reset')).status, 204);
      const counts = await q.admin('GET', '/counts');
      assert.deepEqual(counts.body, { contacts: 0, companies: 0, deals: 0, associations: 0, owners: 0 });
    } finally {
      await q.close();
    }
  });
});

describe('faults', () => {
  test('every Nth request on a route pattern gets the injected status and body', async () => {
    const f = await p.admin('POST', '/faults', {
      path: '/crm/v3/objects/deals*',
      everyNth: 2,
      status: 502,
      body: { oops: true },
    });
    assert.equal(f.status, 201);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await p.api('GET', '/crm/v3/objects/deals')).status);
    assert.deepEqual(statuses, [200, 502, 200, 502]);
    assert.equal((await p.api('GET', '/crm/v3/objects/contacts?limit=1')).status, 200);
    await p.admin('DELETE', `/faults/${f.body.id}`);
    assert.equal((await p.api('GET', '/crm/v3/objects/deals')).status, 200);
  });

  test('probability 1 with times, method filter, and delay-only faults', async () => {
    await p.admin('POST', '/faults', {
      path: '/crm/v3/objects/*/batch/upsert',
      method: 'POST',
      probability: 1,
      times: 1,
      status: 429,
      body: { status: 'error' },
    });
    const body = { inputs: [{ id: 'nobody@x.example', idProperty: 'email', properties: {} }] };
    assert.equal((await p.api('POST', '/crm/v3/objects/contacts/batch/upsert', body)).status, 429);
    assert.equal((await p.api('POST', '/crm/v3/objects/contacts/batch/upsert', body)).status, 200);
    await p.admin('POST', '/faults', { path: '/crm/v3/owners', delayMs: 120 });
    const t = Date.now();
    assert.equal((await p.api('GET', '/crm/v3/owners')).status, 200);
    assert.ok(Date.now() - t >= 100, 'Date.now() - t >= 100');
    await p.admin('DELETE', '/faults');
    assert.deepEqual((await p.admin('GET', '/faults')).body.results, []);
  });

  test('a fault with a status and no body answers HubSpot-shaped JSON an SDK can parse', async () => {
    await p.admin('POST', '/faults', { path: '/crm/v3/objects/deals', method: 'GET', status: 503, times: 1 });
    await p.admin('POST', '/faults', { path: '/crm/v3/owners', status: 429, times: 1 });
    const r = await p.api('GET', '/crm/v3/objects/deals');
    assert.equal(r.status, 503);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(r.body.status, 'error');
    assert.equal(r.body.category, 'INTERNAL_ERROR');
    assert.equal(typeof r.body.message, 'string');
    assert.equal(typeof r.body.correlationId, 'string');
    const limited = await p.api('GET', '/crm/v3/owners');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.errorType, 'RATE_LIMIT');
    assert.equal(limited.body.policyName, 'TEN_SECONDLY_ROLLING');
    await p.admin('DELETE', '/faults');
  });
});

describe('faults that malform, cut short or split an answer', () => {
  /** The raw answer: status, content type and the text that arrived, or the error fetch threw. */
  const wire = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(p.emu.url + path, {
      method,
      headers: { authorization: `Bearer ${p.emu.accessToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text().catch((e: unknown) => e);
    return { status: res.status, type: res.headers.get('content-type'), text };
  };
  const upsert = (emails: string[]) => ({
    inputs: emails.map((email) => ({ id: email, idProperty: 'email', properties: { firstname: 'F' } })),
  });
  const contactByEmail = async (email: string) =>
    (
      await p.api('POST', '/crm/v3/objects/contacts/batch/read', {
        idProperty: 'email',
        inputs: [{ id: email }],
        properties: ['email'],
      })
    ).body.results[0];

  test('rawBody answers with the bytes given (a cut-off JSON, an HTML page), status 200 unless told', async () => {
    await p.admin('POST', '/faults', { path: '/crm/v3/owners', rawBody: '{"results":[{"id":"1', times: 1 });
    const cut = await wire('GET', '/crm/v3/owners');
    assert.deepEqual(cut, {
      status: 200,
      type: 'application/json;charset=utf-8',
      text: '{"results":[{"id":"1',
    });
    await p.admin('POST', '/faults', {
      path: '/crm/v3/owners',
      status: 502,
      rawBody: '<html><body>Bad gateway</body></html>',
      contentType: 'text/html',
      times: 1,
    });
    const html = await wire('GET', '/crm/v3/owners');
    assert.deepEqual(html, { status: 502, type: 'text/html', text: '<html><body>Bad gateway</body></html>' });
    assert.equal((await wire('GET', '/crm/v3/owners')).status, 200, 'spent');
  });

  test('truncateAfter serves the request (the write happens) and cuts the answer short', async () => {
    await p.admin('POST', '/faults', {
      path: '/crm/v3/objects/contacts/batch/upsert',
      truncateAfter: 20,
      times: 1,
    });
    const r = await wire('POST', '/crm/v3/objects/contacts/batch/upsert', upsert(['cut.short@x.example']));
    assert.equal(r.status, 200);
    assert.ok(r.text instanceof Error, `the body did not arrive whole: ${String(r.text)}`);
    assert.equal((await contactByEmail('cut.short@x.example'))?.properties.email, 'cut.short@x.example');
  });

  test('failInputs refuses the inputs that hold its text and answers 207 naming them by index', async () => {
    await p.admin('POST', '/faults', {
      path: '/crm/v3/objects/contacts/batch/upsert',
      failInputs: { match: 'refuse.me', message: 'no thanks' },
      times: 1,
    });
    const emails = ['keep.a@x.example', 'refuse.me@x.example', 'keep.b@x.example'];
    const r = await p.api('POST', '/crm/v3/objects/contacts/batch/upsert', upsert(emails));
    assert.equal(r.status, 207);
    assert.deepEqual(
      r.body.results.map((x: { properties: { email: string } }) => x.properties.email).sort(),
      ['keep.a@x.example', 'keep.b@x.example'],
    );
    assert.deepEqual(r.body.errors, [
      { status: 'error', category: 'VALIDATION_ERROR', message: 'no thanks', context: { index: ['1'] } },
    ]);
    assert.equal(r.body.numErrors, 1);
    assert.equal(await contactByEmail('refuse.me@x.example'), undefined, 'not written');
    // A request without the text leaves the fault armed for the one that has it.
    await p.admin('POST', '/faults', {
      path: '/crm/v3/objects/contacts/batch/upsert',
      failInputs: { match: 'refuse.me' },
      times: 1,
    });
    assert.equal(
      (await p.api('POST', '/crm/v3/objects/contacts/batch/upsert', upsert(['other@x.example']))).status,
      200,
    );
    const all = await p.api('POST', '/crm/v3/objects/contacts/batch/upsert', upsert(['refuse.me@x.example']));
    assert.equal(all.status, 207);
    assert.deepEqual(all.body.results, []);
    assert.deepEqual(all.body.errors[0].context, { index: ['0'] });
  });

  test('dropResults writes every input and leaves the matching results out of a 200', async () => {
    await p.admin('POST', '/faults', {
      path: '/crm/v3/objects/contacts/batch/upsert',
      dropResults: { match: 'unanswered' },
      times: 1,
    });
    const emails = ['answered@x.example', 'unanswered@x.example'];
    const r = await p.api('POST', '/crm/v3/objects/contacts/batch/upsert', upsert(emails));
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.results.map((x: { properties: { email: string } }) => x.properties.email),
      ['answered@x.example'],
    );
    assert.equal(r.body.errors, undefined);
    assert.ok(await contactByEmail('unanswered@x.example'), 'written all the same');
    await p.admin('DELETE', '/faults');
  });
});

describe('reset', () => {
  test('reset also forgets webhook settings and subscriptions', async () => {
    const q = await startPortal();
    try {
      await q.admin('PUT', '/webhooks', { targetUrl: 'http://127.0.0.1:9/hooks' });
      const sub = await q.admin('POST', '/webhooks/subscriptions', { eventType: 'deal.creation' });
      assert.ok(sub.status < 300, `subscription answered ${sub.status}`);
      const before = await q.admin('GET', '/webhooks');
      assert.equal(before.body.subscriptions.length, 1);
      assert.equal((await q.admin('POST', '/reset')).status, 204);
      const after = await q.admin('GET', '/webhooks');
      assert.deepEqual(after.body.subscriptions, []);
      assert.ok(!after.body.settings, 'settings cleared');
    } finally {
      await q.close();
    }
  });
});

describe('clock, stats, owners, currencies, restore, export', () => {
  test('clock set moves createdAt of new records', async () => {
    await p.admin('POST', '/clock', { set: '2030-01-02T03:04:05.000Z' });
    const d = await p.api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'future' } });
    assert.ok(
      d.body.createdAt.startsWith('2030-01-02T03:04:0'),
      "d.body.createdAt.startsWith('2030-01-02T03:04:0')",
    );
    await p.admin('POST', '/clock', { set: Date.now() });
  });

  test('stats count requests per route and status', async () => {
    await p.admin('DELETE', '/stats');
    await p.api('GET', '/crm/v3/objects/deals/0');
    await p.api('GET', '/crm/v3/objects/deals');
    const s = await p.admin('GET', '/stats');
    assert.equal(s.body.requests, 2);
    assert.equal(s.body.routes['GET /crm/v3/objects/{objectType}/{objectId}']['404'], 1);
    assert.equal(s.body.byStatus['200'], 1);
  });

  test('owners and currencies come from the admin API', async () => {
    const o = await p.admin('POST', '/owners', {
      email: 'new.owner@x.example',
      firstName: 'New',
      lastName: 'Owner',
    });
    assert.equal(o.status, 201);
    assert.equal((await p.api('GET', `/crm/v3/owners/${o.body.id}`)).body.email, 'new.owner@x.example');
    const c = await p.admin('POST', '/currencies', { code: 'CHF', rate: 1.1 });
    assert.ok(c.body.currencies.includes('CHF'), "c.body.currencies.includes('CHF')");
    assert.equal(
      (await p.api('POST', '/crm/v3/objects/deals', { properties: { deal_currency_code: 'CHF' } })).status,
      201,
    );
  });

  test('restore brings an archived record back', async () => {
    const d = await p.api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'back' } });
    await p.api('DELETE', `/crm/v3/objects/deals/${d.body.id}`);
    const r = await p.admin('POST', `/objects/deals/${d.body.id}/restore`);
    assert.equal(r.status, 200);
    assert.equal((await p.api('GET', `/crm/v3/objects/deals/${d.body.id}`)).status, 200);
  });

  test('export → dataFile round trip', async () => {
    const exported = await p.admin('GET', '/export');
    const dir = await mkdtemp(join(tmpdir(), 'hs-emu-'));
    const file = join(dir, 'portal.json');
    await writeFile(file, JSON.stringify(exported.body));
    const q = await startPortal({ dataFile: file });
    try {
      assert.deepEqual((await q.admin('GET', '/counts')).body, (await p.admin('GET', '/counts')).body);
    } finally {
      await q.close();
    }
  });
});
