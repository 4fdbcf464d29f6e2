import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DealbridgeError } from '../../errors/index.js';
import { openStore } from '../../store/index.js';
import type { StateStore } from '../ports/store.js';
import { createHarness, MemoryStore, type Harness } from '../testing/fakes.js';
import { IMPORT_LEASE_SETTING, ImportRunningError } from './lease.js';
import { previewImport } from './preview.js';
import { formatDuration, progressLine, rateAndEta } from './progress.js';
import { runImport, type ImportDeps } from './run.js';

const stores: Record<string, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};

const won = { StageName: 'Closed Won', IsClosed: true, IsWon: true };

/** n opportunities over n/2 contacts (all in HubSpot but every fifth), two roles each, 3 accounts. */
function org(h: Harness, n: number) {
  const contacts = Array.from({ length: Math.ceil(n / 2) }, (_, i) => {
    const c = h.sf.addContact({ Email: `c${i}@example.com`, LastName: `C${i}` });
    const hs = i % 5 === 4 ? null : h.hs.addContact(`c${i}@example.com`, { lifecyclestage: 'lead' });
    return { c, hs };
  });
  const accounts = [0, 1, 2].map((i) =>
    h.sf.addAccount({ Name: `Acc ${i}`, Website: `https://a${i}.example` }),
  );
  const opps = Array.from({ length: n }, (_, i) => {
    const roles =
      i % 7 === 6 ? [] : [contacts[i % contacts.length]!.c.Id, contacts[(i + 1) % contacts.length]!.c.Id];
    return h.sf.addOpportunity(
      { Name: `Opp ${i}`, Amount: String(100 + i), AccountId: accounts[i % 3]!.Id, ...(i % 2 ? won : {}) },
      roles,
    );
  });
  return { contacts, accounts, opps };
}

const deps = (h: Harness): ImportDeps => ({
  salesforce: h.sf,
  hubspot: h.hs,
  store: h.store,
  now: () => new Date(h.sf.clock),
});

const writes = (h: Harness) =>
  [...h.hs.calls]
    .filter(([k]) => /^(upsert|create|update|associate|dissociate|archive)/.test(k))
    .reduce((a, [, v]) => a + v, 0);

for (const [kind, openState] of Object.entries(stores)) {
  async function harness(): Promise<Harness> {
    const h = await createHarness({}, await openState());
    h.sf.pageSize = 40;
    return h;
  }

  describe(`import (${kind} store)`, () => {
    test('imports in-scope opportunities with rollups; a second import creates nothing', async () => {
      const h = await harness();
      const { opps, contacts } = org(h, 120);
      const progress: number[] = [];
      const r = await runImport(deps(h), { batchSize: 25, onProgress: (p) => progress.push(p.processed) });
      assert.equal(r.run.status, 'completed', r.run.message ?? '');
      assert.equal(r.run.processed, 120);
      const noRole = opps.filter((_, i) => i % 7 === 6).length;
      assert.equal(r.skippedByReason.no_contact_role, noRole);
      assert.equal(r.run.created, h.hs.live('deals').length);
      assert.equal(r.run.created + r.run.skipped, 120);
      assert.ok(progress.includes(25) && progress.includes(120));
      // Rollups: every HubSpot contact with roles has its count.
      const c0 = contacts[0]!;
      assert.ok(c0.hs);
      const p = h.hs.objects.contacts.get(c0.hs.id)?.properties ?? {};
      assert.ok(Number(p.salesforce_num_associated_deals) > 0);
      assert.equal(p.lifecyclestage, 'customer');
      assert.ok(r.rollups && r.rollups.contacts.updated > 0 && r.rollups.companies.updated === 3);
      const audit = await h.store.auditFor(`deal:${h.hs.dealByOpportunity(opps[0]!.Id)?.id}`, 10);
      assert.ok(audit.length > 0 && audit.every((a) => a.reason === 'import' && a.runId === r.run.id));

      h.hs.calls.clear();
      const again = await runImport(deps(h));
      assert.equal(again.resumed, false);
      assert.equal(again.run.created, 0);
      assert.equal(again.run.updated, 0);
      assert.equal(again.run.unchanged, r.run.created);
      assert.equal(writes(h), 0, JSON.stringify([...h.hs.calls]));
    });

    test('stopped halfway (Ctrl-C), resumed after the checkpoint: same result, no duplicates', async () => {
      const h = await harness();
      const { contacts } = org(h, 100);
      const ac = new AbortController();
      const first = await runImport(deps(h), {
        batchSize: 20,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.processed >= 40) ac.abort();
        },
      });
      assert.equal(first.run.status, 'paused');
      assert.equal(first.run.processed, 40);
      const checkpoint = first.run.checkpointId;
      assert.ok(checkpoint);
      const dealsBefore = h.hs.live('deals').length;

      const second = await runImport(deps(h), { batchSize: 20 });
      assert.equal(second.resumed, true);
      assert.equal(second.run.id, first.run.id);
      assert.equal(second.run.status, 'completed');
      assert.equal(second.run.processed, 100);
      assert.equal(second.run.created, h.hs.live('deals').length);
      assert.ok(h.hs.live('deals').length > dealsBefore);
      const ids = h.hs.live('deals').map((d) => d.properties.salesforce_opportunity_id);
      assert.equal(new Set(ids).size, ids.length, 'one deal per opportunity');
      // Contacts of the first half got their rollups too (pending ids survived the stop).
      const firstHalf = contacts[0]!;
      assert.ok(firstHalf.hs);
      assert.ok(
        Number(h.hs.objects.contacts.get(firstHalf.hs.id)?.properties.salesforce_num_associated_deals) > 0,
      );
    });

    test('a crash mid-batch leaves the run resumable from the last stored checkpoint', async () => {
      const h = await harness();
      org(h, 60);
      // Two good batches, then a bug-class error: the run fails, its checkpoint is the 2nd batch.
      let calls = 0;
      const orig = h.hs.createDeals.bind(h.hs);
      h.hs.createDeals = async (inputs) => {
        if (++calls === 3) throw new TypeError('socket hang up');
        return orig(inputs);
      };
      await assert.rejects(runImport(deps(h), { batchSize: 10 }), /socket hang up/);
      const [run] = await h.store.listImportRuns(1);
      assert.equal(run?.status, 'failed');
      assert.equal(run?.processed, 20);
      h.hs.createDeals = orig;
      const r = await runImport(deps(h), { batchSize: 10 });
      assert.equal(r.resumed, true);
      assert.equal(r.run.processed, 60);
      const ids = h.hs.live('deals').map((d) => d.properties.salesforce_opportunity_id);
      assert.equal(new Set(ids).size, ids.length);
    });

    test('a spent Salesforce budget pauses the run; it resumes when there is room', async () => {
      const h = await harness();
      org(h, 100);
      h.sf.apiMax = 1000;
      h.sf.apiUsed = 0;
      // Budget 80 % of 1000: let the import reach it after the first page.
      const orig = h.sf.allOpportunities.bind(h.sf);
      h.sf.allOpportunities = async function* (afterId: string | null) {
        for await (const page of orig(afterId)) {
          h.sf.apiUsed = 900;
          yield page;
        }
      };
      const first = await runImport(deps(h), { batchSize: 20 });
      assert.equal(first.run.status, 'paused');
      assert.match(first.run.message ?? '', /SALESFORCE_LIMIT_REACHED/);
      assert.equal(first.run.processed, 40);
      await assert.rejects(
        runImport(deps(h)),
        (e: unknown) => e instanceof DealbridgeError && e.code === 'SALESFORCE_LIMIT_REACHED',
      );
      h.sf.allOpportunities = orig;
      h.sf.apiUsed = 10;
      const second = await runImport(deps(h), { batchSize: 20 });
      assert.equal(second.run.status, 'completed');
      assert.equal(second.run.processed, 100);
    });

    test('one import at a time; a dead holder is taken over', async () => {
      const h = await harness();
      org(h, 10);
      const fresh = new Date(h.sf.clock).toISOString();
      await h.store.setSetting(IMPORT_LEASE_SETTING, { holder: 'other:1', runId: 'x', renewedAt: fresh });
      await assert.rejects(runImport(deps(h)), ImportRunningError);
      const stale = new Date(h.sf.clock - 120_000).toISOString();
      await h.store.setSetting(IMPORT_LEASE_SETTING, { holder: 'other:1', runId: 'x', renewedAt: stale });
      const r = await runImport(deps(h));
      assert.equal(r.run.status, 'completed');
      assert.equal(await h.store.getSetting(IMPORT_LEASE_SETTING), null);
    });

    test('a row the sync already stored in a newer version is left alone', async () => {
      const h = await harness();
      const { opps } = org(h, 4);
      const target = opps[0]!;
      await h.store.saveOpportunities([
        {
          id: target.Id,
          name: 'newer',
          accountId: null,
          amount: '1',
          currencyIsoCode: null,
          closeDate: null,
          createdDate: target.CreatedDate,
          isClosed: false,
          isWon: false,
          isDeleted: false,
          inScope: true,
          systemModstamp: new Date(Date.parse(target.SystemModstamp) + 60_000).toISOString(),
        },
      ]);
      const r = await runImport(deps(h));
      assert.equal(h.hs.dealByOpportunity(target.Id), undefined);
      assert.equal(r.run.unchanged, 1);
    });

    test('dry run: counts and samples, no write to HubSpot or the ID map', async () => {
      const h = await harness();
      const { opps } = org(h, 70);
      // One opportunity whose stage maps nowhere: skipped with the mapping's error code.
      h.sf.updateOpportunity(opps[0]!.Id, { StageName: 'Nowhere' });
      const preview = await previewImport(deps(h), { samples: 3 });
      assert.equal(preview.processed, 70);
      assert.equal(writes(h), 0);
      assert.equal((await h.store.getDealLinks(opps.map((o) => o.Id))).size, 0);
      assert.equal(preview.skippedByReason.no_contact_role, opps.filter((_, i) => i % 7 === 6).length);
      assert.equal(preview.skippedByReason.STAGE_NOT_MAPPED, 1);
      assert.equal(preview.create + preview.skip, 70);
      assert.equal(preview.samples.create.length, 3);
      assert.ok(preview.samples.create[0]?.properties?.dealname);
      const [run] = await h.store.listImportRuns(1);
      assert.equal(run?.status, 'dry-run');

      // After a real import the same preview says unchanged; a changed amount says update.
      await runImport(deps(h));
      h.sf.updateOpportunity(opps[1]!.Id, { Amount: '5' });
      const after = await previewImport(deps(h));
      assert.equal(after.create, 0);
      assert.equal(after.update, 1);
      assert.equal(after.samples.update[0]?.opportunityId, opps[1]!.Id);
    });
  });
}

describe('import progress', () => {
  const cases: [number, number, number, number | null, number, number | null][] = [
    [500, 0, 1000, 1000, 500, 1],
    [600, 100, 1000, 1100, 500, 1],
    [0, 0, 0, 10, 0, null],
    [100, 0, 1000, null, 100, null],
  ];
  for (const [now, start, ms, total, rate, eta] of cases) {
    test(`rate/ETA ${now}-${start} in ${ms}ms of ${total}`, () => {
      const r = rateAndEta(now, start, ms, total);
      assert.equal(r.ratePerSecond, rate);
      assert.equal(r.etaSeconds, eta);
    });
  }
  test('durations and the terminal line', () => {
    assert.equal(formatDuration(5), '5s');
    assert.equal(formatDuration(125), '2m05s');
    assert.equal(formatDuration(7260), '2h01m');
    const line = progressLine(
      {
        runId: 'r',
        phase: 'deals',
        processed: 4100,
        total: 10000,
        created: 120,
        updated: 3,
        unchanged: 9,
        skipped: 2,
        failed: 0,
        elapsedMs: 8000,
        ratePerSecond: 512.4,
        etaSeconds: 11.5,
      },
      10,
    );
    assert.equal(
      line,
      '[####......]  41% 4,100/10,000 · 120 new 3 upd 9 same 2 skip 0 err · 512/s · ETA 12s',
    );
  });
});
