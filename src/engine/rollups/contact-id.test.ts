import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchRejectedError } from '../ports/remote.js';
import { createRollupHarness } from '../testing/fakes.js';
import { contactIdConflict, contactIdWrites, roundsByTarget } from './contact-id.js';

const ready = () => createRollupHarness();

test('an email match gets salesforce_contact_id with its rollup write, in no call of its own', async () => {
  const h = await ready();
  const c = h.sf.addContact({ Email: 'Ann@Example.com', LastName: 'Ann' });
  const hs = h.hs.addContact('ann@example.com');
  h.sf.addOpportunity({ Amount: '10' }, [c.Id]);
  await h.sync();
  const props = h.hs.objects.contacts.get(hs.id)?.properties ?? {};
  assert.equal(props.salesforce_contact_id, c.Id);
  assert.equal(props.salesforce_num_associated_deals, '1');
  assert.equal(h.hs.calls.get('updateObjects:contacts'), 1, 'one write: rollups and id together');
  const audit = await h.store.auditFor(`contact:${hs.id}`, 50);
  assert.ok(audit.some((a) => a.field === 'salesforce_contact_id' && a.newValue === c.Id));

  // Later rollup writes do not send the id again.
  h.sf.addOpportunity({ Amount: '20' }, [c.Id]);
  await h.sync();
  assert.equal(h.hs.calls.get('updateObjects:contacts'), 2);
  const idWrites = (await h.store.auditFor(`contact:${hs.id}`, 50)).filter(
    (a) => a.field === 'salesforce_contact_id',
  );
  assert.equal(idWrites.length, 1);
});

test('a contact found again by a pending re-check gets its id with the rollup write', async () => {
  const h = await ready();
  const c = h.sf.addContact({ Email: 'late@example.com', LastName: 'Late' });
  h.sf.addOpportunity({ Amount: '10' }, [c.Id]);
  await h.sync();
  const hs = h.hs.addContact('late@example.com');
  h.sf.clock += 120_000;
  await h.sync();
  assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.salesforce_contact_id, c.Id);
  assert.equal(h.hs.calls.get('updateObjects:contacts'), 1);
});

test('two Salesforce contacts on one HubSpot contact: the id of the lowest is written, both roll up', async () => {
  const h = await ready();
  const a = h.sf.addContact({ Email: 'same@example.com', LastName: 'A' });
  const b = h.sf.addContact({ Email: 'SAME@example.com', LastName: 'B' });
  const hs = h.hs.addContact('same@example.com');
  h.sf.addOpportunity({ Amount: '10' }, [a.Id]);
  h.sf.addOpportunity({ Amount: '20' }, [b.Id]);
  await h.sync();
  const low = a.Id < b.Id ? a.Id : b.Id;
  assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.salesforce_contact_id, low);
  const links = await h.store.getContactLinks([a.Id, b.Id]);
  assert.equal(links.get(a.Id)?.hubspotId, hs.id);
  assert.equal(links.get(b.Id)?.hubspotId, hs.id);
  assert.ok(links.get(a.Id)?.rollupHash, 'rollups written');
  assert.equal(links.get(a.Id)?.rollupHash, links.get(b.Id)?.rollupHash, 'one fingerprint for both links');
  // One write over both contacts' deals (DESIGN §2.3), no failure recorded.
  assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.salesforce_num_associated_deals, '2');
  assert.equal(h.hs.calls.get('updateObjects:contacts'), 1);
  assert.deepEqual(await h.store.listErrors(), []);
});

test('a higher duplicate linked later never replaces the lower id already written', async () => {
  const h = await ready();
  const a = h.sf.addContact({ Email: 'dup@example.com', LastName: 'A' });
  const hs = h.hs.addContact('dup@example.com');
  h.sf.addOpportunity({ Amount: '10' }, [a.Id]);
  await h.sync();
  assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.salesforce_contact_id, a.Id);
  h.sf.clock += 60_000;
  const b = h.sf.addContact({ Email: 'dup@example.com', LastName: 'B' });
  assert.ok(a.Id < b.Id);
  h.sf.addOpportunity({ Amount: '20' }, [b.Id]);
  await h.sync();
  const props = h.hs.objects.contacts.get(hs.id)?.properties ?? {};
  assert.equal(props.salesforce_contact_id, a.Id);
  assert.equal(props.salesforce_num_associated_deals, '2');
});

test('an id held by another HubSpot contact is dropped; the rollups are still written', async () => {
  const h = await ready();
  const c = h.sf.addContact({ Email: 'new@example.com', LastName: 'New' });
  // dealbridge linked c by email; meanwhile someone typed c's id on another HubSpot contact.
  const other = h.hs.addContact('old@example.com', { salesforce_contact_id: c.Id });
  const hs = h.hs.addContact('new@example.com');
  await h.store.saveContactLinks([
    { salesforceId: c.Id, hubspotId: hs.id, matchedBy: 'email', rollupHash: null },
  ]);
  h.sf.addOpportunity({ Amount: '10' }, [c.Id]);
  await h.sync();
  const props = h.hs.objects.contacts.get(hs.id)?.properties ?? {};
  assert.equal(props.salesforce_num_associated_deals, '1');
  assert.equal(props.salesforce_contact_id, undefined);
  assert.equal(h.hs.objects.contacts.get(other.id)?.properties.salesforce_contact_id, c.Id);
  assert.deepEqual(await h.store.listErrors(), []);
  assert.equal(h.hs.calls.get('updateObjects:contacts'), 2, 'refused once, then written without the id');
});

test('helpers: one id per HubSpot contact, rounds without duplicate targets, conflicts named', () => {
  const link = (sf: string, hs: string, matchedBy: 'email' | 'id', rollupHash: string | null = null) => ({
    salesforceId: sf,
    hubspotId: hs,
    matchedBy,
    rollupHash,
  });
  const writes = contactIdWrites([
    link('003B', '1', 'email'),
    link('003A', '1', 'email'),
    link('003C', '2', 'id'),
    link('003D', '3', 'email', '{"p":{}}'),
    link('003E', '4', 'email', '{"p":{}}'),
    link('003F', '4', 'email'),
  ]);
  assert.deepEqual([...writes], [['1', '003A']], 'the lowest of all links to 4 is written already');
  assert.deepEqual(
    roundsByTarget(['1a', '2a', '1b', '1c'], (s) => s[0] as string),
    [['1a', '2a'], ['1b'], ['1c']],
  );
  const conflict = (culprits: number[]) =>
    new BatchRejectedError('taken', 409, 'HUBSPOT_CONFLICT', culprits, 'salesforce_contact_id');
  assert.deepEqual(contactIdConflict(conflict([1]), [true, true]), [1]);
  assert.equal(contactIdConflict(conflict([]), [true, true]), undefined, 'split first');
  assert.deepEqual(contactIdConflict(conflict([]), [true]), [0]);
  assert.equal(contactIdConflict(conflict([0]), [false]), undefined, 'no id sent: a real failure');
  assert.equal(contactIdConflict(new Error('x'), [true]), undefined);
  const unnamed = new BatchRejectedError('conflict', 409, 'HUBSPOT_CONFLICT', []);
  assert.deepEqual(contactIdConflict(unnamed, [true]), [0], 'a 409 naming no property');
  const other = new BatchRejectedError('bad', 400, 'HUBSPOT_VALIDATION', [0], 'salesforce_total_revenue');
  assert.equal(contactIdConflict(other, [true]), undefined);
});

test("a pass reads the portal's account info once: the rollups take the mapping context's currency", async () => {
  const h = await ready();
  const c = h.sf.addContact({ Email: 'ann@example.com', LastName: 'Ann' });
  h.hs.addContact('ann@example.com');
  h.sf.addOpportunity({ Amount: '10' }, [c.Id]);
  await h.sync();
  assert.equal(h.hs.calls.get('accountInfo'), 1);
});
