// sync --dry-run end to end through both emulators' public APIs, the real adapters and a SQLite
// store: changes made in Salesforce, a dry pass that sends HubSpot reads only and leaves the store
// as it was while its plan names every create, update, archive and skip, then a real pass that
// does exactly what the plan said.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from '../../store/index.js';
import { createRollupHook } from '../rollups/hook.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from '../sync/pass.js';
import { PlanCollector } from './plan.js';
import { dryRunPass, type PlanEntry } from './run.js';

const OPTIONS = { lookbackSeconds: 30, rescopeIntervalMs: 0 };

interface World extends EmulatorWorld {
  store: Store;
}

/** A pass as `sync --once` runs it: a fresh engine (a new process), the rollup hook; its decisions. */
async function realPass(w: World) {
  const plan = new PlanCollector();
  const deps = { salesforce: w.sf, hubspot: w.hs, store: w.store };
  const result = await new SyncEngine({
    ...deps,
    options: OPTIONS,
    onTouched: createRollupHook(deps),
    onBatch: (o) => plan.add(o),
  }).runPass();
  return plan.report(result, [], w.store);
}

async function opportunity(w: World, name: string, fields: Record<string, unknown> = {}, inHubspot = true) {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`;
  const contactId = await w.sfRest.create('Contact', { LastName: name, Email: email });
  if (inHubspot) await w.hsRest.createContact(email);
  const oppId = await w.sfRest.create('Opportunity', {
    Name: name,
    StageName: 'Prospecting',
    CloseDate: '2024-10-31',
    Amount: 1000,
    ...fields,
  });
  await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  return oppId;
}

/** Every HubSpot call since the stats were reset that is not a read (GET, batch read, search). */
async function hubspotWrites(w: World): Promise<string[]> {
  const stats = (await w.hsRest.call('GET', '/__emulator/stats')) as { routes: Record<string, unknown> };
  return Object.keys(stats.routes).filter(
    (r) => !r.startsWith('GET ') && !/\/(batch\/read|search)$/.test(r) && !r.includes('/__emulator/'),
  );
}

/** HubSpot's deals as a user sees them, with the properties the sync writes. */
async function deals(w: World): Promise<unknown> {
  const props = ['dealname', 'amount', 'dealstage', 'closedate', 'salesforce_opportunity_id'];
  const out: unknown[] = [];
  for await (const page of w.hs.listObjects('deals', props)) out.push(...page);
  return out;
}

const decided = (e: PlanEntry) => ({ ...e, dealId: e.action === 'create' ? null : e.dealId });

describe('sync --dry-run through both emulators', () => {
  let w: World;
  before(async () => {
    const store = await openStore(':memory:');
    w = { ...(await connectEmulators({ store })), store };
    await writeSetting(store, 'opportunitySync', true, { salesforce: w.sf });
  });
  after(async () => {
    w.sf.close();
    await w.store.close();
    await w.sfEmu.close();
    await w.hsEmu.close();
  });

  test('reads both sides, writes nothing, and plans what the next real pass does', async () => {
    const account = await w.sfRest.create('Account', { Name: 'Initech', Website: 'https://initech.example' });
    const changed = await opportunity(w, 'Initech renewal', { AccountId: account });
    const deleted = await opportunity(w, 'Dropped deal');
    const same = await opportunity(w, 'Quiet deal');
    const first = await realPass(w);
    assert.equal(first.summary.created, 3, JSON.stringify(first.plan));
    const links = await w.store.getDealLinks([changed, deleted, same]);

    w.later(); // the user's edits come a second after the pass (EmulatorWorld.later)
    await w.sfRest.update('Opportunity', changed, {
      Amount: 2500,
      StageName: 'Closed Won',
      Description: 'Signed',
    });
    await w.sfRest.delete('Opportunity', deleted);
    const created = await opportunity(w, 'Brand new deal', { Amount: 777 });
    const skipped = await opportunity(w, 'Contact not in HubSpot', {}, false);

    const before = {
      deals: await deals(w),
      cursors: JSON.stringify([...(await w.store.listCursors())].map(([k, c]) => [k, c.modstamp, c.id])),
      links: await w.store.getDealLinks([changed, deleted, same, created, skipped]),
      errors: await w.store.listErrors(),
      audit: await w.store.auditFor(`deal:${links.get(changed)?.dealId}`, 100),
      lastPass: await w.store.lastPassSummary('sync'),
      mirror: await w.store.getOpportunities([changed, deleted, created, skipped]),
    };
    await w.hsRest.call('DELETE', '/__emulator/stats');

    const scratch = await w.store.scratchCopy();
    const dry = await dryRunPass({ salesforce: w.sf, hubspot: w.hs, scratch, options: OPTIONS });
    await scratch.close();

    assert.deepEqual(await hubspotWrites(w), [], 'the dry pass sent HubSpot reads only');
    assert.deepEqual(await deals(w), before.deals);
    assert.equal(
      JSON.stringify([...(await w.store.listCursors())].map(([k, c]) => [k, c.modstamp, c.id])),
      before.cursors,
      'no cursor moved',
    );
    assert.deepEqual(await w.store.getDealLinks([changed, deleted, same, created, skipped]), before.links);
    assert.deepEqual(await w.store.listErrors(), before.errors);
    assert.deepEqual(await w.store.auditFor(`deal:${links.get(changed)?.dealId}`, 100), before.audit);
    assert.deepEqual(await w.store.lastPassSummary('sync'), before.lastPass);
    assert.deepEqual(await w.store.getOpportunities([changed, deleted, created, skipped]), before.mirror);

    const plan = new Map(dry.plan.map((e) => [e.opportunityId, e]));
    const update = plan.get(changed);
    assert.equal(update?.action, 'update', JSON.stringify(dry.plan));
    assert.equal(update.dealId, links.get(changed)?.dealId);
    assert.deepEqual(update.changes.description, { old: '', new: 'Signed' });
    assert.equal(Number(update.changes.amount?.new), 2500);
    assert.ok(update.changes.dealstage, 'the stage changes');
    assert.equal(plan.get(deleted)?.action, 'archive');
    assert.equal(plan.get(deleted)?.dealId, links.get(deleted)?.dealId);
    const create = plan.get(created);
    assert.equal(create?.action, 'create');
    assert.equal(create.dealId, null);
    assert.deepEqual(create.changes.dealname, { old: null, new: 'Brand new deal' });
    assert.ok(create.changes['@contacts']?.new, 'its contact association is planned');
    assert.equal(plan.get(skipped)?.action, 'skip');
    assert.equal(plan.get(skipped)?.reason, 'no_contact_in_hubspot');
    assert.ok(
      dry.hubspot.records.some(
        (r) => r.objectType === 'companies' && 'salesforce_total_revenue' in r.changes,
      ),
      `the company's revenue rollup is planned: ${JSON.stringify(dry.hubspot.records)}`,
    );

    // The real pass that follows does what the plan said, to the field.
    const real = await realPass(w);
    assert.deepEqual(
      real.plan.map(decided).sort((a, b) => a.opportunityId.localeCompare(b.opportunityId)),
      dry.plan.map(decided).sort((a, b) => a.opportunityId.localeCompare(b.opportunityId)),
    );
    const { startedAt: _s, finishedAt: _f, ...realCounts } = real.summary;
    const { startedAt: _s2, finishedAt: _f2, ...dryCounts } = dry.summary;
    assert.deepEqual(realCounts, dryCounts);
    const deal = await w.hsRest.dealOf(changed, ['description']);
    assert.equal(deal?.properties.description, 'Signed');
    assert.equal(await w.hsRest.dealOf(deleted), undefined);
    assert.equal((await w.hsRest.dealOf(created))?.properties.dealname, 'Brand new deal');
    assert.equal(await w.hsRest.dealOf(skipped), undefined);
  });
});
