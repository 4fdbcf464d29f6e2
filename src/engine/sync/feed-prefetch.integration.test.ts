// A pass reads the first pages of its change feeds (opportunities, contact roles, and accounts
// when their feed is due) in one composite call, through both emulators with the real adapters:
// a pass that finds nothing new costs ONE Salesforce call, a pass with changes syncs them from
// the pages that call read, and a feed whose subrequest failed reads its page itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore, type Store } from '../../store/index.js';
import { SyncEngine } from './pass.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';
import { writeSetting } from '../user-settings.js';

let w: EmulatorWorld & { store: Store; engine: SyncEngine };
let opp: string;
const HOUR = 3600_000;

before(async () => {
  const store = await openStore(':memory:');
  const world = await connectEmulators({ store });
  await writeSetting(store, 'opportunitySync', true, { salesforce: world.sf });
  const engine = new SyncEngine({
    salesforce: world.sf,
    hubspot: world.hs,
    store,
    now: () => new Date(world.sfEmu.admin.state.clock.now()),
    // Only the feeds: the periodic checks (sweeps, deletes, metadata, new contacts) are not due.
    options: {
      accountFeedIntervalMs: 0,
      lateCommitSweepMs: HOUR,
      rescopeIntervalMs: HOUR,
      deletedCheckAfterMs: HOUR,
      metadataCheckIntervalMs: HOUR,
      deletedDealsCheckIntervalMs: HOUR,
    },
  });
  w = { ...world, store, engine };
  const contact = await w.sfRest.create('Contact', { LastName: 'Ann', Email: 'ann@example.com' });
  await w.hsRest.createContact('ann@example.com');
  const account = await w.sfRest.create('Account', { Name: 'Acme', Website: 'acme.example' });
  opp = await w.sfRest.create('Opportunity', {
    Name: 'Prefetched',
    StageName: 'Prospecting',
    CloseDate: '2027-06-30',
    AccountId: account,
  });
  await w.sfRest.create('OpportunityContactRole', { OpportunityId: opp, ContactId: contact });
  w.later();
  await w.engine.runPass();
  w.later();
  await w.engine.runPass(); // the first pass's look-back re-read settles
  w.later();
});
after(async () => {
  w.sf.close();
  await w.store.close();
  await w.sfEmu.close();
  await w.hsEmu.close();
});

const routes = async () =>
  ((await w.sfEmu.admin.call('GET', 'stats')).body as { routes: Record<string, Record<string, number>> })
    .routes;

test('a pass that finds nothing new is one Salesforce call: the composite of its three feeds', async () => {
  await w.sfEmu.admin.call('DELETE', 'stats');
  const before = w.sf.requestCount();
  await w.engine.runPass();
  assert.equal(w.sf.requestCount() - before, 1);
  const r = await routes();
  assert.deepEqual(Object.keys(r), ['composite.composite']);
});

test('a change is synced from the page the composite call read; the pages read before its write are read again', async () => {
  w.later();
  await w.sfRest.update('Opportunity', opp, { Amount: 4321.5 });
  w.later();
  await w.sfEmu.admin.call('DELETE', 'stats');
  await w.engine.runPass();
  const r = await routes();
  assert.equal(r['composite.composite']?.['200'], 1);
  // The opportunity feed's page came from the composite call; after the deal was written, the
  // contact-role feed (queryAll) and the account feed (query) read theirs afresh.
  assert.equal(r['queryAll']?.['200'], 1, JSON.stringify(r));
  assert.equal(r['query']?.['200'], 1, JSON.stringify(r));
  const deal = (await w.store.getDealLinks([opp])).get(opp)?.dealId;
  assert.ok(deal);
  const read = await w.hsRest.get('deals', deal, ['amount']);
  assert.equal(read?.properties.amount, '4321.5');
});

test('with Change Data Capture live, a pass that writes keeps its pages: what changes after the read arrives as events', async () => {
  w.later();
  await w.sfRest.update('Opportunity', opp, { Amount: 12 });
  w.later();
  await w.sfEmu.admin.call('DELETE', 'stats');
  w.engine.eventsLive = () => true;
  try {
    await w.engine.runPass();
  } finally {
    w.engine.eventsLive = () => false;
  }
  assert.deepEqual(await routes(), { 'composite.composite': { '200': 1 } });
  const deal = (await w.store.getDealLinks([opp])).get(opp)?.dealId;
  const read = await w.hsRest.get('deals', deal!, ['amount']);
  assert.equal(read?.properties.amount, '12');
});

test('a feed whose subrequest failed reads its first page itself, and its change is synced', async () => {
  w.later();
  await w.sfRest.update('Opportunity', opp, { Amount: 99 });
  w.later();
  await w.sfEmu.admin.call('DELETE', 'stats');
  await w.sfEmu.admin.call('POST', 'faults', { route: 'queryAll', status: 503, times: 1 });
  const before = w.sf.requestCount();
  await w.engine.runPass();
  // The composite (its first queryAll answered 503), the opportunity feed's own read, and after
  // the write the contact-role and account feeds' fresh reads.
  assert.equal(w.sf.requestCount() - before, 4);
  const deal = (await w.store.getDealLinks([opp])).get(opp)?.dealId;
  const read = await w.hsRest.get('deals', deal!, ['amount']);
  assert.equal(read?.properties.amount, '99');
});

test('an instance that does not offer /composite: each feed reads its own first page from then on', async () => {
  w.later();
  await w.sfRest.update('Opportunity', opp, { Amount: 7 });
  w.later();
  const fault = (await w.sfEmu.admin.call('POST', 'faults', { route: 'composite.composite', status: 404 }))
    .body as { id: number };
  try {
    await w.sfEmu.admin.call('DELETE', 'stats');
    await w.engine.runPass();
    await w.engine.runPass();
    const r = await routes();
    assert.equal(r['composite.composite']?.['404'], 1, 'asked once, not every pass');
    assert.ok((r['queryAll']?.['200'] ?? 0) >= 4, JSON.stringify(r));
    const deal = (await w.store.getDealLinks([opp])).get(opp)?.dealId;
    const read = await w.hsRest.get('deals', deal!, ['amount']);
    assert.equal(read?.properties.amount, '7');
  } finally {
    await w.sfEmu.admin.call('DELETE', `faults/${fault.id}`);
  }
});
