// Merging contacts and companies (POST /crm/v3/objects/{type}/merge) and associations of archived
// records, over raw HTTP: the merge's new record, redirects from both old ids (single and batch
// read), search, additional emails, merged ids, moved associations; archived records' associations
// hidden from v3 and v4 reads and back after a restore.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
before(async () => {
  p = await startPortal();
});
after(() => p.close());

async function create(type: string, properties: Record<string, string>): Promise<string> {
  const r = await p.api('POST', `/crm/v3/objects/${type}`, { properties });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

async function associate(from: string, fromId: string, to: string, toId: string): Promise<void> {
  const r = await p.api('PUT', `/crm/v4/objects/${from}/${fromId}/associations/default/${to}/${toId}`);
  assert.equal(r.status, 200);
}

async function assocIds(from: string, id: string, to: string): Promise<string[]> {
  const r = await p.api('GET', `/crm/v4/objects/${from}/${id}/associations/${to}`);
  assert.equal(r.status, 200);
  return r.body.results.map((x: { toObjectId: string }) => x.toObjectId).sort();
}

describe('contact merge', () => {
  let a: string;
  let b: string;
  let dealA: string;
  let dealB: string;
  let company: string;
  let merged: Record<string, unknown> & { id: string; properties: Record<string, string | null> };

  before(async () => {
    a = await create('contacts', { email: 'ana@merge.example', firstname: 'Ana', lifecyclestage: 'lead' });
    b = await create('contacts', {
      email: 'Ana.Old@merge.example',
      lastname: 'Lopez',
      firstname: 'Anna',
      lifecyclestage: 'customer',
    });
    dealA = await create('deals', { dealname: 'A deal' });
    dealB = await create('deals', { dealname: 'B deal' });
    company = await create('companies', { name: 'Merge Co' });
    await associate('deals', dealA, 'contacts', a);
    await associate('deals', dealB, 'contacts', b);
    await associate('contacts', b, 'companies', company);
    const r = await p.api('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: a,
      objectIdToMerge: b,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    merged = r.body;
  });

  test('the merge answers a new record (new id) with the primary values winning, others filling gaps', async () => {
    assert.notEqual(merged.id, a);
    assert.notEqual(merged.id, b);
    assert.equal(merged.archived, false);
    assert.equal(merged.properties.email, 'ana@merge.example');
    const r = await p.api(
      'GET',
      `/crm/v3/objects/contacts/${merged.id}?properties=firstname,lastname,lifecyclestage`,
    );
    assert.equal(r.body.properties.firstname, 'Ana');
    assert.equal(r.body.properties.lastname, 'Lopez');
    assert.equal(r.body.properties.lifecyclestage, 'customer', 'the stage furthest down the funnel');
  });

  test('the merged contact email goes to hs_additional_emails; both ids to hs_merged_object_ids', async () => {
    const r = await p.api(
      'GET',
      `/crm/v3/objects/contacts/${merged.id}?properties=hs_additional_emails,hs_merged_object_ids,hs_calculated_merged_vids`,
    );
    assert.equal(r.body.properties.hs_additional_emails, 'Ana.Old@merge.example');
    assert.deepEqual(r.body.properties.hs_merged_object_ids.split(';').sort(), [a, b].sort());
    const vids = (r.body.properties.hs_calculated_merged_vids as string)
      .split(';')
      .map((s) => s.split(':')[0]);
    assert.deepEqual(vids.sort(), [a, b].sort());
  });

  test('reading either old id answers the merged record with its new id', async () => {
    for (const old of [a, b]) {
      const r = await p.api('GET', `/crm/v3/objects/contacts/${old}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.id, merged.id);
    }
    const batch = await p.api('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: a }, { id: b }],
      properties: ['email'],
    });
    assert.equal(batch.status, 200);
    assert.deepEqual(
      batch.body.results.map((x: { id: string }) => x.id),
      [merged.id],
    );
  });

  test('search finds the merged record only; the old records are archived', async () => {
    const r = await p.api('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ana@merge.example' }] }],
    });
    assert.deepEqual(
      r.body.results.map((x: { id: string }) => x.id),
      [merged.id],
    );
    const old = await p.api('GET', `/crm/v3/objects/contacts/${b}?archived=true`);
    assert.equal(old.status, 200);
    assert.equal(old.body.archived, true);
  });

  test('associations of both contacts move to the merged record', async () => {
    assert.deepEqual(await assocIds('contacts', merged.id, 'deals'), [dealA, dealB].sort());
    assert.deepEqual(await assocIds('deals', dealB, 'contacts'), [merged.id]);
    assert.deepEqual(await assocIds('companies', company, 'contacts'), [merged.id]);
  });

  test('the merged email stays taken: creating a contact with it is a 409', async () => {
    const r = await p.api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'ana.old@merge.example' },
    });
    assert.equal(r.status, 409);
    assert.match(r.body.message, new RegExp(`Existing ID: ${merged.id}`));
  });

  test('hs_additional_emails and hs_merged_object_ids are read-only', async () => {
    const r = await p.api('PATCH', `/crm/v3/objects/contacts/${merged.id}`, {
      properties: { hs_merged_object_ids: '1' },
    });
    assert.equal(r.status, 400);
  });

  test('merging an old id again merges into the current record; itself is a 400; unknown is a 404', async () => {
    const self = await p.api('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: merged.id,
      objectIdToMerge: a,
    });
    assert.equal(self.status, 400);
    const missing = await p.api('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: merged.id,
      objectIdToMerge: '999999999',
    });
    assert.equal(missing.status, 404);
    const bad = await p.api('POST', '/crm/v3/objects/contacts/merge', { primaryObjectId: merged.id });
    assert.equal(bad.status, 400);
    const c = await create('contacts', { email: 'third@merge.example' });
    const again = await p.api('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: a,
      objectIdToMerge: c,
    });
    assert.equal(again.status, 200);
    const viaOld = await p.api('GET', `/crm/v3/objects/contacts/${b}`);
    assert.equal(viaOld.body.id, again.body.id, 'chained redirects reach the latest merge');
    assert.deepEqual(await assocIds('contacts', again.body.id, 'deals'), [dealA, dealB].sort());
  });
});

describe('company merge', () => {
  test('the primary company keeps its primary label; the other one is unlabelled', async () => {
    const x = await create('companies', { name: 'X', domain: 'x-merge.example' });
    const y = await create('companies', { name: 'Y', domain: 'y-merge.example' });
    const deal = await create('deals', { dealname: 'D' });
    const spec = (id: number) => [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: id }];
    const put = await p.api('PUT', `/crm/v4/objects/deals/${deal}/associations/companies/${y}`, spec(5));
    assert.equal(put.status, 201);
    const r = await p.api('POST', '/crm/v3/objects/companies/merge', {
      primaryObjectId: x,
      objectIdToMerge: y,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.properties.domain, 'x-merge.example');
    assert.deepEqual(await assocIds('deals', deal, 'companies'), [r.body.id]);
    const types = await p.api('GET', `/crm/v4/objects/deals/${deal}/associations/companies`);
    const ids = types.body.results[0].associationTypes.map((t: { typeId: number }) => t.typeId).sort();
    assert.deepEqual(ids, [341, 5], "the deal's primary company moves to the merged company");
    const read = await p.api('GET', `/crm/v3/objects/companies/${y}?properties=hs_merged_object_ids`);
    assert.equal(read.body.id, r.body.id);
  });

  test('deals cannot be merged by this emulator', async () => {
    const r = await p.api('POST', '/crm/v3/objects/deals/merge', {
      primaryObjectId: '1',
      objectIdToMerge: '2',
    });
    assert.equal(r.status, 400);
  });
});

describe('associations of archived records', () => {
  test('v3 and v4 reads leave out archived records; a restore brings them back', async () => {
    const deal = await create('deals', { dealname: 'Archived assoc' });
    const keep = await create('contacts', { email: 'keep@arch.example' });
    const gone = await create('contacts', { email: 'gone@arch.example' });
    await associate('deals', deal, 'contacts', keep);
    await associate('deals', deal, 'contacts', gone);
    assert.equal((await p.api('DELETE', `/crm/v3/objects/contacts/${gone}`)).status, 204);

    assert.deepEqual(await assocIds('deals', deal, 'contacts'), [keep]);
    const v3 = await p.api(
      'GET',
      `/crm/v3/objects/deals/${deal}?associations=contacts&properties=num_associated_contacts`,
    );
    assert.deepEqual(
      v3.body.associations.contacts.results.map((x: { id: string }) => x.id),
      [keep],
    );
    assert.equal(v3.body.properties.num_associated_contacts, '1');
    const batch = await p.api('POST', '/crm/v4/associations/deals/contacts/batch/read', {
      inputs: [{ id: deal }],
    });
    assert.deepEqual(
      batch.body.results[0].to.map((x: { toObjectId: string }) => x.toObjectId),
      [keep],
    );

    const restored = await p.admin('POST', `/objects/contacts/${gone}/restore`);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.deepEqual(await assocIds('deals', deal, 'contacts'), [gone, keep].sort());
  });

  test('an archived deal disappears from its contact and company associations', async () => {
    const deal = await create('deals', { dealname: 'To delete' });
    const contact = await create('contacts', { email: 'deal-gone@arch.example' });
    const company = await create('companies', { name: 'Deal gone Co' });
    await associate('deals', deal, 'contacts', contact);
    await associate('deals', deal, 'companies', company);
    assert.equal((await p.api('DELETE', `/crm/v3/objects/deals/${deal}`)).status, 204);
    assert.deepEqual(await assocIds('contacts', contact, 'deals'), []);
    assert.deepEqual(await assocIds('companies', company, 'deals'), []);
    const c = await p.api('GET', `/crm/v3/objects/companies/${company}?properties=num_associated_deals`);
    assert.equal(c.body.properties.num_associated_deals, '0');
  });
});
