// Deals dealbridge did not create are never archived or overwritten (issue #17; docs/sync.md,
// "Which deals are dealbridge's"), end to end through both emulators with the real adapters and a
// SQLite store. A HubSpot user's deals — in a Salesforce pipeline or another one, without
// salesforce_opportunity_id, with one typed by hand that names no opportunity (a typo, one purged
// from the recycle bin), with one they cleared on a deal dealbridge made — come out of passes,
// deletes, the recycle-bin check, the full comparison and verify exactly as the user left them.
// The other side of the rule: a deal typed with the Id of an opportunity Salesforce has is matched,
// so dealbridge writes to it (no second deal), and archives it when that opportunity is deleted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from '../../store/index.js';
import { readRollupNames } from '../rollups/rollup-context.js';
import { createRollupHook } from '../rollups/hook.js';
import { SyncEngine } from '../sync/pass.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';
import { writeSetting } from '../user-settings.js';
import { listerFor, runVerify } from '../../verify/index.js';

interface World extends EmulatorWorld {
  store: Store;
  engine: SyncEngine;
}

const PROPS = [
  'dealname',
  'amount',
  'pipeline',
  'dealstage',
  'closedate',
  'description',
  'hubspot_owner_id',
  'salesforce_opportunity_id',
  'hs_lastmodifieddate',
];

/** Each deal as a user sees it: its properties and associations, or null once archived. */
async function snapshot(w: World, ids: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const deal = await w.hsRest.get('deals', id, PROPS);
    out[id] = deal
      ? {
          properties: deal.properties,
          contacts: await w.hsRest.associated(id, 'contacts'),
          companies: await w.hsRest.associated(id, 'companies'),
        }
      : null;
  }
  return out;
}

async function advanceClock(w: World, by: string): Promise<void> {
  const r = await w.sfEmu.admin.call('POST', 'clock', { advance: by });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

describe("only dealbridge's deals are written or archived, through both emulators", () => {
  let w: World;
  before(async () => {
    const store = await openStore(':memory:');
    const world = await connectEmulators({ store });
    await writeSetting(store, 'opportunitySync', true, { salesforce: world.sf });
    const now = () => new Date(world.sfEmu.admin.state.clock.now());
    const deps = { salesforce: world.sf, hubspot: world.hs, store, now };
    const engine = new SyncEngine({
      ...deps,
      options: { lookbackSeconds: 5, rescopeIntervalMs: 0, deletedDealsCheckIntervalMs: 0 },
      onTouched: createRollupHook(deps),
    });
    w = { ...world, store, engine };
  });
  after(async () => {
    w.sf.close();
    await w.store.close();
    await w.sfEmu.close();
    await w.hsEmu.close();
  });

  test("a user's deals stay as they are; a matched one is dealbridge's", async () => {
    const contact = await w.sfRest.create('Contact', { LastName: 'Ann', Email: 'ann@example.com' });
    const hsContact = await w.hsRest.createContact('ann@example.com');
    const stranger = await w.sfRest.create('Contact', { LastName: 'Nobody', Email: 'nobody@example.com' });
    const opportunity = async (name: string, contactId = contact) => {
      const id = await w.sfRest.create('Opportunity', {
        Name: name,
        StageName: 'Prospecting',
        CloseDate: '2025-06-30',
        Amount: 1000,
      });
      await w.sfRest.create('OpportunityContactRole', { OpportunityId: id, ContactId: contactId });
      return id;
    };
    // An opportunity deleted and purged (16 days in the recycle bin) before anything else.
    const purged = await opportunity('Purged long ago', stranger);
    await w.sfRest.delete('Opportunity', purged);
    await advanceClock(w, '16d');

    const deleted = await opportunity('Deleted later');
    const cleared = await opportunity('Cleared by a user, then deleted');
    const clearedLive = await opportunity('Cleared by a user, still live');
    const matched = await opportunity('Typed by hand before the sync');
    const outOfScope = await opportunity('Out of scope, deleted later', stranger);

    const sfPipeline = (await w.hs.dealPipelines()).find((p) => p.label.startsWith('Salesforce'));
    assert.ok(sfPipeline);
    const stage = sfPipeline.stages[0]?.id ?? '';
    const userDeal = async (dealname: string, extra: Record<string, string>) => {
      const r = (await w.hsRest.call('POST', '/crm/v3/objects/deals', {
        properties: { dealname, amount: '5', ...extra },
      })) as { id: string };
      await w.hsRest.call('PUT', `/crm/v4/objects/deals/${r.id}/associations/default/contacts/${hsContact}`);
      return r.id;
    };
    const inSalesforcePipeline = { pipeline: sfPipeline.id, dealstage: stage };
    const inOwnPipeline = { pipeline: 'default', dealstage: 'appointmentscheduled' };
    const foreign = [
      await userDeal('Mine, no id', inSalesforcePipeline),
      await userDeal('Mine, own pipeline', inOwnPipeline),
      await userDeal('Mine, a typo', {
        ...inSalesforcePipeline,
        salesforce_opportunity_id: '006000000000000AAA',
      }),
      await userDeal('Mine, own pipeline, a typo', {
        ...inOwnPipeline,
        salesforce_opportunity_id: 'SF-1234',
      }),
      await userDeal('Mine, a purged id', { ...inSalesforcePipeline, salesforce_opportunity_id: purged }),
    ];
    const typed = await userDeal('Typed, matched', { ...inOwnPipeline, salesforce_opportunity_id: matched });

    const made = await snapshot(w, foreign);
    const first = await w.engine.runPass();
    assert.deepEqual(await snapshot(w, foreign), made, 'the first pass leaves them as made');
    assert.equal(first.created, 3, JSON.stringify(first));
    const dealOf = async (id: string) => (await w.hsRest.dealOf(id))?.id;
    const clearedDeal = await dealOf(cleared);
    const clearedLiveDeal = await dealOf(clearedLive);
    assert.ok(clearedDeal && clearedLiveDeal);
    // Matched: the opportunity's values are written to the user's deal, not to a second one.
    assert.equal(await dealOf(matched), typed);
    assert.equal(
      (await w.hsRest.get('deals', typed, ['dealname']))?.properties.dealname,
      'Typed by hand before the sync',
    );
    assert.equal(first.updated, 1, 'the matched deal is updated');

    // The user detaches two of dealbridge's deals, and types an out-of-scope opportunity's id.
    for (const id of [clearedDeal, clearedLiveDeal])
      await w.hsRest.call('PATCH', `/crm/v3/objects/deals/${id}`, {
        properties: { salesforce_opportunity_id: '' },
      });
    const typedOutOfScope = await userDeal('Mine, typed to a live opportunity', {
      ...inOwnPipeline,
      salesforce_opportunity_id: outOfScope,
    });
    const theirs = [...foreign, clearedDeal, clearedLiveDeal];
    const left = await snapshot(w, theirs);

    // Salesforce: deletes and a change (a second after the pass: EmulatorWorld.later); then passes,
    // with the recycle-bin check every pass.
    w.later();
    await w.sfRest.delete('Opportunity', deleted);
    await w.sfRest.delete('Opportunity', cleared);
    await w.sfRest.delete('Opportunity', outOfScope);
    await w.sfRest.update('Opportunity', clearedLive, { Amount: 2000 });
    await w.hsRest.call('DELETE', `/crm/v3/objects/deals/${foreign[0]}`);
    const second = await w.engine.runPass();
    assert.equal(await dealOf(deleted), undefined, "dealbridge's own deal is archived");
    assert.equal(second.skippedByReason.deal_detached, 1, JSON.stringify(second));
    // The live one, detached, gets a new deal at its next write; the user's stays as it was.
    const fresh = await dealOf(clearedLive);
    assert.ok(fresh && fresh !== clearedLiveDeal);
    assert.equal(Number((await w.hsRest.get('deals', fresh, ['amount']))?.properties.amount), 2000);
    // Typed to an opportunity Salesforce has (its recycle bin): matched, so archived with it.
    assert.equal(await w.hsRest.get('deals', typedOutOfScope, []), undefined);
    const expected = { ...left, [foreign[0] ?? '']: null };
    assert.deepEqual(await snapshot(w, theirs), expected);

    // The full comparison (the deletes mark 16 days old) and getDeleted after it.
    await advanceClock(w, '16d');
    const third = await w.engine.runPass();
    assert.ok(third.fullComparison, JSON.stringify(third));
    assert.equal(third.archived, 0);
    await advanceClock(w, '2h');
    await w.engine.runPass();
    assert.deepEqual(await snapshot(w, theirs), expected);

    // verify reads only: it lists the user's deals whose id names no opportunity, nothing else.
    const report = await runVerify(
      { salesforce: w.sf, hubspot: w.hs, list: listerFor(w.hs) },
      { rule: 'created', lifecycle: true, names: await readRollupNames(w.store) },
    );
    const unexpected = report.differences
      .filter((d) => d.check === 'unexpected_deal')
      .map((d) => d.hubspotId);
    assert.deepEqual(unexpected.sort(), [foreign[2], foreign[3], foreign[4]].sort());
    for (const id of [foreign[1], clearedDeal, clearedLiveDeal])
      assert.ok(!report.differences.some((d) => d.hubspotId === id), `verify says nothing of ${id}`);
    assert.deepEqual(await snapshot(w, theirs), expected);
  });
});
