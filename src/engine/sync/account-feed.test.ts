import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChangeCursor, SfAccount } from '../../domain/salesforce.js';
import { DealbridgeError } from '../../errors/index.js';
import { openStore } from '../../store/index.js';
import { CURSOR_ACCOUNTS } from './account-feed.js';
import type { Touched } from './batch.js';
import { createRollupHook } from '../rollups/hook.js';
import { writeSetting } from '../user-settings.js';
import type { StateStore } from '../ports/store.js';
import { readStatus, formatStatus } from '../status/read-status.js';
import { SyncEngine } from './pass.js';
import { createHarness, MemoryStore, type Harness } from '../testing/fakes.js';

const stores: Record<string, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};

/** The stored account mirror row. */
async function mirrored(store: StateStore, id: string): Promise<SfAccount | undefined> {
  return (await store.getAccounts([id])).get(id);
}

for (const [kind, openState] of Object.entries(stores)) {
  interface World extends Harness {
    touched: Touched[];
    engine: SyncEngine;
    restart(): SyncEngine;
  }
  async function ready(): Promise<World> {
    const h = await createHarness({}, await openState());
    await h.enable();
    const touched: Touched[] = [];
    const hook = createRollupHook({ salesforce: h.sf, hubspot: h.hs, store: h.store });
    const make = () =>
      new SyncEngine({
        salesforce: h.sf,
        hubspot: h.hs,
        store: h.store,
        now: () => new Date(h.sf.clock),
        options: { lookbackSeconds: 5, accountFeedIntervalMs: 0 },
        onTouched: async (t) => {
          touched.push({ ...t, accountIds: new Set(t.accountIds) });
          await hook(t);
        },
      });
    const w = Object.assign(h, { touched, engine: make() }) as World;
    w.restart = () => (w.engine = make());
    return w;
  }

  /** An in-scope opportunity of `account`, synced. */
  async function dealOf(w: World, account: SfAccount, email = 'ann@example.com') {
    const c = w.sf.addContact({ Email: email, LastName: 'Ann' });
    w.hs.addContact(email);
    const opp = w.sf.addOpportunity({ AccountId: account.Id }, [c.Id]);
    await w.engine.runPass();
    const deal = w.hs.dealByOpportunity(opp.Id);
    assert.ok(deal);
    return { opp, deal };
  }

  describe(`account change feed (${kind} store)`, () => {
    test('a renamed linked account: mirror updated, rollups recomputed, no deal or company write', async () => {
      const w = await ready();
      const acc = w.sf.addAccount({ Name: 'Acme', Website: 'acme.example' });
      const { deal } = await dealOf(w, acc);
      const [companyId] = w.hs.associated(deal.id, 'companies');
      assert.ok(companyId);
      const company = w.hs.objects.companies.get(companyId);
      assert.equal(company?.properties.salesforce_num_associated_deals, '1');
      const before = new Map(w.hs.calls);
      w.touched.length = 0;

      w.sf.accounts.set(acc.Id, { ...acc, Name: 'Acme Holdings', SystemModstamp: w.sf.tick() });
      const r = await w.engine.runPass();
      assert.ok(r.touched.accountIds.has(acc.Id), 'the account is a rollup trigger');
      assert.ok(
        w.touched.some((t) => t.accountIds.has(acc.Id)),
        'the rollup hook got the account',
      );
      assert.equal((await mirrored(w.store, acc.Id))?.Name, 'Acme Holdings');
      // The company's name is HubSpot's (set once at creation); the rollups did not change.
      assert.equal(w.hs.objects.companies.get(companyId)?.properties.name, 'Acme');
      assert.equal(w.hs.calls.get('upsertDeals'), before.get('upsertDeals'));
      assert.equal(w.hs.calls.get('updateObjects:companies'), before.get('updateObjects:companies'));
      assert.equal(w.sf.calls.get('opportunitiesByIds') ?? 0, before.get('opportunitiesByIds') ?? 0);
      const cursor = await w.store.getCursor(CURSOR_ACCOUNTS);
      assert.deepEqual(cursor, { modstamp: w.sf.accounts.get(acc.Id)?.SystemModstamp, id: acc.Id });
      assert.deepEqual(r.cursors[CURSOR_ACCOUNTS], cursor);
      assert.equal(r.updated + r.created, 0);
    });

    test('an account without a company gets one when its new website matches; the deal is not rewritten', async () => {
      const w = await ready();
      await writeSetting(w.store, 'createCompanies', false);
      const acc = w.sf.addAccount({ Name: 'Initech', Website: null });
      const { opp, deal } = await dealOf(w, acc);
      assert.deepEqual(w.hs.associated(deal.id, 'companies'), []);
      const [warning] = await w.store.listErrors({ recordKeys: [`opportunity:${opp.Id}`] });
      assert.equal(warning?.code, 'COMPANY_MATCH_FAILED');
      const company = w.hs.addCompany({ name: 'Initech Inc', domain: 'initech.example' });
      // Another opportunity moves the opportunity cursor past the look-back, before the warning's
      // retry (1 min) is due: only the account feed can bring the company now.
      w.sf.clock += 20_000;
      await dealOf(w, w.sf.addAccount({ Name: 'Other' }), 'bob@example.com');
      const upserts = w.hs.calls.get('upsertDeals');

      w.sf.accounts.set(acc.Id, {
        ...acc,
        Website: 'https://www.initech.example/',
        SystemModstamp: w.sf.tick(),
      });
      const r = await w.engine.runPass();
      assert.deepEqual(w.hs.associated(deal.id, 'companies'), [company.id]);
      const props = w.hs.objects.companies.get(company.id)?.properties;
      assert.equal(props?.salesforce_account_id, acc.Id);
      assert.equal(props?.name, 'Initech Inc', 'a matched company keeps its own name');
      assert.equal(props?.salesforce_num_associated_deals, '1', 'company rollups written');
      assert.equal(w.hs.calls.get('upsertDeals'), upserts, 'hash skip: the deal itself is unchanged');
      assert.equal(r.updated, 1, 'the association changed');
      assert.deepEqual(await w.store.listErrors({ recordKeys: [`opportunity:${opp.Id}`] }), []);
      assert.equal((await mirrored(w.store, acc.Id))?.Website, 'https://www.initech.example/');

      // The look-back reads the same version again: nothing is re-synced.
      const reads = w.sf.calls.get('opportunitiesByIds');
      w.sf.clock += 2000;
      await w.engine.runPass();
      assert.equal(w.sf.calls.get('opportunitiesByIds'), reads);
    });

    test('accounts dealbridge has no use for are neither mirrored nor owed', async () => {
      const w = await ready();
      const acc = w.sf.addAccount({ Name: 'Stranger' });
      const r = await w.engine.runPass();
      assert.equal(r.touched.accountIds.size, 0);
      assert.equal(await mirrored(w.store, acc.Id), undefined);
      assert.deepEqual(await w.store.getCursor(CURSOR_ACCOUNTS), {
        modstamp: acc.SystemModstamp,
        id: acc.Id,
      });
    });

    test('by default the feed is read once a minute, counted from the stored cursor after a restart', async () => {
      const h = await createHarness({}, await openState());
      await h.enable();
      const reads = () => h.sf.calls.get('accountsChangedSince') ?? 0;
      await h.engine.runPass();
      assert.equal(reads(), 0, 'the cursor was set when sync was turned on, less than a minute ago');
      h.sf.clock += 60_000;
      h.sf.addAccount({ Name: 'Changed now' });
      await h.engine.runPass();
      assert.equal(reads(), 1);
      h.sf.clock += 30_000;
      await h.engine.runPass();
      assert.equal(reads(), 1);
      // A restart 30 s after the account the cursor holds: not read again before the minute.
      h.restart();
      await h.engine.runPass();
      assert.equal(reads(), 1);
      h.sf.clock += 30_000;
      await h.engine.runPass();
      assert.equal(reads(), 2);
    });

    test('the cursor is persisted, resumed after a restart, and not moved when the outcome fails', async () => {
      const w = await ready();
      await writeSetting(w.store, 'createCompanies', false);
      const acc = w.sf.addAccount({ Name: 'Hooli' });
      const { deal } = await dealOf(w, acc);
      const first = await w.store.getCursor(CURSOR_ACCOUNTS);
      assert.deepEqual(first, { modstamp: acc.SystemModstamp, id: acc.Id });

      // After a restart the feed reads from the stored cursor minus the look-back.
      const reads: ChangeCursor[] = [];
      const original = w.sf.accountsChangedSince.bind(w.sf);
      w.sf.accountsChangedSince = (c) => (reads.push(c), original(c));
      w.restart();
      w.sf.clock += 60_000;
      await w.engine.runPass();
      assert.deepEqual(reads.at(-1), {
        modstamp: new Date(Date.parse(first?.modstamp ?? '') - 5000).toISOString(),
        id: '',
      });

      // The re-sync an unlinked account calls for fails: the cursor stays, the next pass redoes it.
      w.hs.addCompany({ name: 'Hooli', domain: 'hooli.example' });
      w.sf.accounts.set(acc.Id, { ...acc, Website: 'hooli.example', SystemModstamp: w.sf.tick() });
      w.hs.faults.set('associate:companies', [new DealbridgeError('HUBSPOT_UNAVAILABLE', 'HubSpot 503')]);
      await assert.rejects(w.engine.runPass(), /HubSpot 503/);
      assert.deepEqual(await w.store.getCursor(CURSOR_ACCOUNTS), first);
      await w.engine.runPass();
      assert.equal(w.hs.associated(deal.id, 'companies').length, 1);
      const moved = await w.store.getCursor(CURSOR_ACCOUNTS);
      assert.deepEqual(moved, { modstamp: w.sf.accounts.get(acc.Id)?.SystemModstamp, id: acc.Id });

      const status = await readStatus(w.store, new Date(w.sf.clock));
      assert.deepEqual(status.cursors.find((c) => c.name === CURSOR_ACCOUNTS)?.cursor, moved);
      assert.match(formatStatus(status), new RegExp(`Cursor account: ${moved?.modstamp} ${acc.Id}`));
    });
  });
}
