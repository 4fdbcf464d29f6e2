// A contact that appears in HubSpot after its opportunity already synced (by another contact's
// role) gets its association: the new-contacts feed brings the opportunity again even though it is
// in scope. Before, only opportunities not yet in scope were brought, so the deal stayed without
// the new contact for good (the 10-minute soak on Postgres: `association_missing`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHarness } from '../testing/fakes.js';

test('a role whose contact appears in HubSpot later: the next rescope associates it', async () => {
  const h = await createHarness({ rescopeIntervalMs: 0 });
  await h.enable();
  const a = h.sf.addContact({ Email: 'early@new-contacts.example', LastName: 'Early' });
  const early = h.hs.addContact('early@new-contacts.example');
  const b = h.sf.addContact({ Email: 'late@new-contacts.example', LastName: 'Late' });
  const opp = h.sf.addOpportunity({}, [a.Id, b.Id]);
  await h.engine.runPass();
  const deal = h.hs.dealByOpportunity(opp.Id);
  assert.ok(deal);
  assert.deepEqual(h.hs.associated(deal.id, 'contacts'), [early.id]);

  h.sf.clock += 60_000;
  const late = h.hs.addContact('late@new-contacts.example');
  await h.engine.runPass();
  assert.deepEqual(h.hs.associated(deal.id, 'contacts'), [early.id, late.id].sort());
});
