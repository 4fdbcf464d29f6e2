// Contact-role events the images cannot place (after a restart the feed's images are empty; an
// update event carries only what changed and a delete event no fields): the store's mirror places
// the role, else Salesforce (queryAll), and the opportunity is read by id. Only a role nobody knows
// asks for a polling pass. Polling runs every 10 minutes here: what happens within seconds came by CDC.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeWorld, live, SELECTED, until, world, type World } from '../testing/cdc-world.js';

/** An opportunity with one role of a contact that is in HubSpot; the role's id. */
async function withRole(w: World, name: string) {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`;
  const contactId = await w.sfRest.create('Contact', { LastName: name, Email: email });
  await w.hsRest.createContact(email);
  const oppId = await w.sfRest.create('Opportunity', {
    Name: name,
    StageName: 'Prospecting',
    CloseDate: '2027-03-31',
  });
  const roleId = await w.sfRest.create('OpportunityContactRole', {
    OpportunityId: oppId,
    ContactId: contactId,
  });
  const deal = await until('the deal', async () => {
    const d = await w.hsRest.dealOf(oppId);
    return d && (await w.hsRest.associated(d.id, 'contacts')).length === 1 && d;
  });
  return { oppId, roleId, deal };
}

/** A new feed (its images empty), as after a restart; the replay id is kept. */
async function restart(w: World): Promise<void> {
  await w.stop();
  // A pass moves the cursors past the opportunity (CDC batches leave them), and two minutes on the
  // first pass's look-back no longer reads it into the new feed's images.
  await w.engine.runPass();
  w.later(120);
  const passes = w.passes;
  w.statuses.length = 0;
  w.start();
  await live(w);
  // The loop starts with a pass: wait for it, so that later passes are the feed's requests.
  await until('the first pass after the restart', async () => w.passes > passes);
}

/** The role as the batches that followed `from` synced it. */
function syncedRole(w: World, from: number, oppId: string, roleId: string) {
  for (const b of w.batches.slice(from).reverse())
    for (const o of b.outcome.flatMap((x) => x.processed))
      if (o.Id === oppId) return { role: o.contactRoles.find((r) => r.Id === roleId) ?? null };
  return undefined;
}

describe('Contact-role events the images cannot place', () => {
  let w: World;
  before(async () => {
    w = await world();
    await w.sfEmu.admin.call('POST', 'cdc/selection', { entities: SELECTED });
    w.start();
    await live(w);
    await until('the first pass', async () => w.passes >= 1);
  });
  after(() => closeWorld(w));

  test("the store's mirror places an updated role: its opportunity is read by id, no polling pass", async () => {
    const { oppId, roleId } = await withRole(w, 'Mirror placed');
    await restart(w);
    const passes = w.passes;
    const from = w.batches.length;
    await w.sfRest.update('OpportunityContactRole', roleId, { Role: 'Decision Maker' });
    const got = await until('the opportunity re-synced', async () => syncedRole(w, from, oppId, roleId));
    assert.equal(got.role?.Role, 'Decision Maker');
    assert.equal(w.passes, passes, 'no polling pass was asked for');
    const placed = w.batches.slice(from);
    assert.equal(
      placed.reduce((n, b) => n + b.rolesFromMirror, 0),
      1,
      'the mirror placed the role',
    );
    assert.equal(
      placed.reduce((n, b) => n + b.rolesReadById, 0),
      0,
    );
  });

  test('a deleted role the mirror lacks is placed by Salesforce (queryAll) and its contact dropped', async () => {
    const { oppId, roleId, deal } = await withRole(w, 'Salesforce placed');
    await restart(w);
    await w.store.replaceContactRoles([oppId], []);
    assert.equal((await w.store.opportunityIdsOfRoles([roleId])).size, 0);
    const passes = w.passes;
    const from = w.batches.length;
    await w.sfRest.delete('OpportunityContactRole', roleId);
    const got = await until('the opportunity re-synced', async () => syncedRole(w, from, oppId, roleId));
    assert.equal(got.role, null, 'the opportunity was read without the deleted role');
    assert.equal(w.passes, passes, 'no polling pass was asked for');
    assert.equal(
      w.batches.slice(from).reduce((n, b) => n + b.rolesReadById, 0),
      1,
    );
    await until(
      'the contact association removed',
      async () => (await w.hsRest.associated(deal.id, 'contacts')).length === 0,
    );
  });

  test('a role nobody knows asks for a cursor comparison', async () => {
    const passes = w.passes;
    await w.sfEmu.admin.call('POST', 'cdc/gap', {
      entity: 'OpportunityContactRole',
      changeType: 'GAP_UPDATE',
      recordIds: ['00K000000000099AAA'],
    });
    await until('the polling pass', async () => w.passes > passes);
  });
});
