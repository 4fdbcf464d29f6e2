// CRM objects v3 over raw HTTP: auth, single-record CRUD, list paging, idProperty, v3 associations.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
before(async () => {
  p = await startPortal();
});
after(() => p.close());

describe('auth', () => {
  test('missing or wrong bearer token is 401 with HubSpot error body', async () => {
    for (const token of [null, 'nope']) {
      const r = await p.api('GET', '/crm/v3/objects/deals', undefined, token);
      assert.equal(r.status, 401);
      assert.equal(r.body.status, 'error');
      assert.equal(r.body.category, 'INVALID_AUTHENTICATION');
      assert.match(r.body.correlationId, /^[0-9a-f-]{36}$/);
      assert.match(r.body.message, /Authentication credentials not found/);
    }
  });
});

describe('single records', () => {
  test('create answers 201 with string properties and ISO timestamps; get by name and by type id', async () => {
    const c = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'Alpha', amount: 1500.5 },
    });
    assert.equal(c.status, 201);
    assert.match(c.body.id, /^\d+$/);
    assert.equal(c.body.properties.amount, '1500.5');
    assert.equal(c.body.properties.hs_object_id, c.body.id);
    assert.equal(c.body.archived, false);
    assert.ok(!Number.isNaN(Date.parse(c.body.createdAt)), '!Number.isNaN(Date.parse(c.body.createdAt))');
    const byName = await p.api('GET', `/crm/v3/objects/deals/${c.body.id}`);
    const byTypeId = await p.api('GET', `/crm/v3/objects/0-3/${c.body.id}`);
    assert.equal(byName.status, 200);
    assert.deepEqual(Object.keys(byName.body.properties).sort(), [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ]);
    assert.deepEqual(byTypeId.body, byName.body);
    for (const v of Object.values(byName.body.properties))
      assert.ok(v === null || typeof v === 'string', "v === null || typeof v === 'string'");
  });

  test('requested properties only (plus the always-returned ids and dates)', async () => {
    const c = await p.api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'q@x.example', firstname: 'Q' },
    });
    const r = await p.api('GET', `/crm/v3/objects/contacts/${c.body.id}?properties=firstname,phone`);
    assert.equal(r.body.properties.firstname, 'Q');
    assert.equal(r.body.properties.phone, null);
    assert.equal(r.body.properties.email, undefined);
    assert.ok(r.body.properties.lastmodifieddate, 'r.body.properties.lastmodifieddate');
  });

  test('get by idProperty (email, case-insensitive) and 400 for a non-unique idProperty', async () => {
    const c = await p.api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'Mixed.Case@x.example' },
    });
    const r = await p.api('GET', '/crm/v3/objects/contacts/mixed.case@X.example?idProperty=email');
    assert.equal(r.status, 200);
    assert.equal(r.body.id, c.body.id);
    const bad = await p.api('GET', '/crm/v3/objects/contacts/Q?idProperty=firstname');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.category, 'VALIDATION_ERROR');
  });

  test('update changes updatedAt and the value; archive hides the record (404), archived=true shows it', async () => {
    const c = await p.api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'Beta' } });
    await new Promise((r) => setTimeout(r, 5));
    const u = await p.api('PATCH', `/crm/v3/objects/deals/${c.body.id}`, {
      properties: { dealname: 'Beta 2' },
    });
    assert.equal(u.status, 200);
    assert.equal(u.body.properties.dealname, 'Beta 2');
    assert.ok(
      Date.parse(u.body.updatedAt) > Date.parse(c.body.updatedAt),
      'Date.parse(u.body.updatedAt) > Date.parse(c.body.updatedAt)',
    );
    const d = await p.api('DELETE', `/crm/v3/objects/deals/${c.body.id}`);
    assert.equal(d.status, 204);
    const gone = await p.api('GET', `/crm/v3/objects/deals/${c.body.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.category, 'OBJECT_NOT_FOUND');
    const arch = await p.api('GET', `/crm/v3/objects/deals/${c.body.id}?archived=true`);
    assert.equal(arch.status, 200);
    assert.equal(arch.body.archived, true);
    assert.ok(arch.body.archivedAt, 'arch.body.archivedAt');
  });

  test('unknown object type is 400, unknown route 404', async () => {
    assert.equal((await p.api('GET', '/crm/v3/objects/widgets')).status, 400);
    assert.equal((await p.api('GET', '/crm/v3/nothing')).status, 404);
  });
});

describe('list', () => {
  test('pages with limit and after until the end, and filters archived', async () => {
    const fresh = await startPortal();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        ids.push(
          (await fresh.api('POST', '/crm/v3/objects/companies', { properties: { name: `C${i}` } })).body.id,
        );
      }
      await fresh.api('DELETE', `/crm/v3/objects/companies/${ids[0]}`);
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const r = await fresh.api(
          'GET',
          `/crm/v3/objects/companies?limit=3${after ? `&after=${after}` : ''}`,
        );
        assert.equal(r.status, 200);
        seen.push(...r.body.results.map((x: { id: string }) => x.id));
        after = r.body.paging?.next?.after;
      } while (after);
      assert.deepEqual(seen, ids.slice(1));
      const archived = await fresh.api('GET', '/crm/v3/objects/companies?archived=true');
      assert.deepEqual(
        archived.body.results.map((x: { id: string }) => x.id),
        [ids[0]],
      );
    } finally {
      await fresh.close();
    }
  });
});

describe('recycle bin', () => {
  test('archived=true lists archived deals with archivedAt for 90 days, then no longer (HubSpot purges them)', async () => {
    const fresh = await startPortal();
    try {
      const kept = (await fresh.api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'Kept' } }))
        .body.id;
      const old = (await fresh.api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'Old' } })).body
        .id;
      await fresh.api('DELETE', `/crm/v3/objects/deals/${old}`);
      const listed = async () =>
        (await fresh.api('GET', '/crm/v3/objects/deals?archived=true&properties=hs_object_id')).body.results;
      const first = await listed();
      assert.deepEqual(
        first.map((d: { id: string }) => d.id),
        [old],
      );
      assert.ok(Date.parse(first[0].archivedAt) > 0, 'archivedAt');
      await fresh.admin('POST', '/clock', { advanceMs: 89 * 24 * 3600_000 });
      assert.equal((await listed()).length, 1);
      await fresh.admin('POST', '/clock', { advanceMs: 2 * 24 * 3600_000 });
      assert.deepEqual(await listed(), []);
      assert.equal((await fresh.api('GET', `/crm/v3/objects/deals/${old}?archived=true`)).status, 404);
      assert.equal((await fresh.api('GET', `/crm/v3/objects/deals/${kept}`)).status, 200);
    } finally {
      await fresh.close();
    }
  });
});

describe('inline associations and v3 associations=', () => {
  test('create with associations, read back with associations=contacts,companies', async () => {
    const contact = await p.api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'assoc@x.example' },
    });
    const company = await p.api('POST', '/crm/v3/objects/companies', { properties: { name: 'Assoc Co' } });
    const deal = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'With links' },
      associations: [
        {
          to: { id: contact.body.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
        },
        {
          to: { id: company.body.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }],
        },
      ],
    });
    assert.equal(deal.status, 201);
    const r = await p.api('GET', `/crm/v3/objects/deals/${deal.body.id}?associations=contacts,companies`);
    assert.deepEqual(r.body.associations.contacts.results, [
      { id: contact.body.id, type: 'deal_to_contact' },
    ]);
    assert.deepEqual(r.body.associations.companies.results.map((x: { type: string }) => x.type).sort(), [
      'deal_to_company',
      'deal_to_company_unlabeled',
    ]);
    const bad = await p.api('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'x' },
      associations: [
        { to: { id: '999999' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
      ],
    });
    assert.equal(bad.status, 400);
  });
});
