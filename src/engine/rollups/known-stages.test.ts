import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRollupHarness } from '../testing/fakes.js';

const won = { StageName: 'Closed Won', IsClosed: true, IsWon: true };

const ready = () => createRollupHarness();

test('contacts the pass looked up are not read again for their lifecycle stage', async () => {
  const h = await ready();
  const c = h.sf.addContact({ Email: 'dora@example.com', LastName: 'Dora' });
  const hs = h.hs.addContact('dora@example.com', { lifecyclestage: 'lead' });
  h.sf.addOpportunity({ ...won, Amount: '10' }, [c.Id]);
  await h.sync();
  assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.lifecyclestage, 'customer');
  assert.equal(h.hs.calls.get('readByIds:contacts') ?? 0, 0, 'stage came with the lookup');
  const audit = await h.store.auditFor(`contact:${hs.id}`, 50);
  assert.ok(
    audit.some((a) => a.reason === 'lifecycle' && a.oldValue === 'lead' && a.newValue === 'customer'),
  );
});

test('a stage found ahead by the lookup is never moved back', async () => {
  const h = await ready();
  const c = h.sf.addContact({ Email: 'eve@example.com', LastName: 'Eve' });
  const hs = h.hs.addContact('eve@example.com', { lifecyclestage: 'customer' });
  h.sf.addOpportunity({ Amount: '10' }, [c.Id]);
  await h.sync();
  assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.lifecyclestage, 'customer');
  assert.equal(h.hs.calls.get('readByIds:contacts') ?? 0, 0);
});

test('a contact linked in an earlier pass has its stage read fresh', async () => {
  const h = await ready();
  const c = h.sf.addContact({ Email: 'finn@example.com', LastName: 'Finn' });
  const hs = h.hs.addContact('finn@example.com', { lifecyclestage: 'lead' });
  h.sf.addOpportunity({ Amount: '10' }, [c.Id]);
  await h.sync();
  assert.equal(h.hs.calls.get('readByIds:contacts') ?? 0, 0);
  // Someone moves the contact on in HubSpot between passes; the next pass must see it.
  const obj = h.hs.objects.contacts.get(hs.id);
  assert.ok(obj);
  obj.properties.lifecyclestage = 'evangelist';
  h.sf.addOpportunity({ ...won, Amount: '20' }, [c.Id]);
  await h.sync();
  assert.equal(h.hs.calls.get('readByIds:contacts'), 1);
  assert.equal(h.hs.objects.contacts.get(hs.id)?.properties.lifecyclestage, 'evangelist');
});
