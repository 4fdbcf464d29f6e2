// Warnings in a sync pass: a missing or removed owner and a Type value outside dealtype are
// warnings (the deal syncs, nothing is retried by itself), counted apart from errors (issue #11).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatStatus, readStatus } from '../status/read-status.js';
import { writeSetting } from '../user-settings.js';
import { OWNER_MAP_SETTING } from '../mapping/sync-context.js';
import { passHarness, passStores } from '../testing/pass-harness.js';

for (const [kind, openState] of Object.entries(passStores)) {
  const { ready, linkedContact } = passHarness(openState);

  describe(`sync pass warnings (${kind} store)`, () => {
    test('mapping errors are recorded per record; a missing owner is a warning and the deal syncs', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const bad = h.sf.addOpportunity({ StageName: 'Unknown stage' }, [c.Id]);
      const noOwner = h.sf.addOpportunity({ OwnerId: '005NOBODY' }, [c.Id]);
      const r = await h.engine.runPass();
      assert.equal(r.failed, 1);
      assert.equal(r.created, 1);
      const errors = new Map((await h.store.listErrors()).map((e) => [e.recordKey, e]));
      assert.equal(errors.get(`opportunity:${bad.Id}`)?.code, 'STAGE_NOT_MAPPED');
      assert.equal(errors.get(`opportunity:${noOwner.Id}`)?.code, 'OWNER_NOT_FOUND');
      assert.ok(h.hs.dealByOpportunity(noOwner.Id));
      assert.equal(h.hs.dealByOpportunity(bad.Id), undefined);
    });

    test('a record whose only issue is a warning is stored as one and never retried by itself', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const noOwner = h.sf.addOpportunity({ OwnerId: '005NOBODY', Type: 'Legacy Deal' }, [c.Id]);
      const failing = h.sf.addOpportunity({ StageName: 'Unknown stage' }, [c.Id]);
      await h.engine.runPass();
      const key = `opportunity:${noOwner.Id}`;
      const first = (await h.store.listErrors()).find((e) => e.recordKey === key);
      assert.equal(first?.severity, 'warning');
      assert.equal(first?.code, 'INVALID_PICKLIST', 'the first warning names it');
      assert.match(first?.message ?? '', /005NOBODY/, 'both warnings are in the message');
      assert.equal(first?.nextRetryAt, null);
      assert.equal(
        (await h.store.listErrors()).find((e) => e.recordKey === `opportunity:${failing.Id}`)?.severity,
        'error',
      );
      const writes = () => (h.hs.calls.get('upsertDeals') ?? 0) + (h.hs.calls.get('createDeals') ?? 0);
      const before = writes();
      // Inside the look-back, after the first backoff, and after the longest one: never again.
      for (const step of [1_000, 61_000, 7 * 3600_000]) {
        h.sf.clock += step;
        await h.engine.runPass();
        const now = (await h.store.listErrors()).find((e) => e.recordKey === key);
        assert.equal(now?.attempts, 1, `retried after +${step} ms`);
        assert.equal(now?.severity, 'warning');
      }
      assert.equal(writes(), before, 'the warned deal is not written again');
      // The failing one is retried (and still fails): errors keep their backoff.
      assert.ok(
        ((await h.store.listErrors()).find((e) => e.recordKey === `opportunity:${failing.Id}`)?.attempts ??
          0) > 1,
      );
      // Its next change syncs it again, and the warning goes once the cause is gone.
      h.sf.updateOpportunity(noOwner.Id, { OwnerId: h.sf.userList[0]?.Id ?? '', Type: 'New Business' });
      h.sf.clock += 1_000;
      await h.engine.runPass();
      assert.equal(
        (await h.store.listErrors()).find((e) => e.recordKey === key),
        undefined,
      );
    });

    test('an owner removed in HubSpot: the owner map is read again, the deal written without it, with a warning', async () => {
      const h = await ready();
      h.hs.rejectUnknownOwners = true;
      const { c } = linkedContact(h);
      const owned = h.sf.addOpportunity({ Name: 'Owned' }, [c.Id]);
      const earlier = h.sf.addOpportunity({ Name: 'Earlier', OwnerId: '005U2' }, [c.Id]);
      await h.engine.runPass();
      assert.equal(h.hs.dealByOpportunity(owned.Id)?.properties.hubspot_owner_id, '9001');
      // Olga's HubSpot owner is removed; a second user has an owner of their own.
      h.hs.ownerList = [
        { id: '9001', email: 'OWNER@example.com', archived: true },
        { id: '9002', email: 'other@example.com', archived: false },
      ];
      h.sf.userList.push({ Id: '005U2', Email: 'other@example.com', Name: 'Otto', IsActive: true });
      h.sf.clock += 1_000;
      h.sf.updateOpportunity(owned.Id, { Amount: '99' });
      const others = Array.from({ length: 5 }, (_, i) => h.sf.addOpportunity({ Name: `Other ${i}` }, [c.Id]));
      const ownersBefore = h.hs.calls.get('owners') ?? 0;
      const r = await h.engine.runPass();
      assert.equal(r.failed, 0);
      assert.equal(r.created, 5);
      assert.equal(r.updated, 2, 'the refused deal, and the earlier one re-synced with its new owner');
      assert.equal(h.hs.dealByOpportunity(owned.Id)?.properties.amount, '99');
      assert.equal(h.hs.dealByOpportunity(owned.Id)?.properties.hubspot_owner_id, '');
      assert.equal(h.hs.dealByOpportunity(others[1]!.Id)?.properties.hubspot_owner_id ?? '', '');
      // A deal the old map had no owner for, stored earlier with a warning, is made due again
      // (the refreshed map knows its user now) and gets its owner in the same pass.
      assert.equal(h.hs.dealByOpportunity(earlier.Id)?.properties.hubspot_owner_id, '9002');
      assert.equal((h.hs.calls.get('owners') ?? 0) - ownersBefore, 1, 'owners read once');
      const warned = await h.store.listErrors({ recordKeys: [`opportunity:${owned.Id}`] });
      assert.equal(warned[0]?.code, 'OWNER_NOT_FOUND');
      assert.equal(warned[0]?.severity, 'warning');
      assert.match(warned[0]?.message ?? '', /refused owner 9001/);
      assert.deepEqual(await h.store.errorCountsByCode('error'), {});
      assert.deepEqual(
        await h.store.getSetting(OWNER_MAP_SETTING),
        { '005U2': '9002' },
        'the refreshed map is saved',
      );
    });

    test('an owner removed in HubSpot: the fallback owner is used when set, and dropped when refused too', async () => {
      const h = await ready();
      h.hs.rejectUnknownOwners = true;
      const { c } = linkedContact(h);
      await writeSetting(h.store, 'fallbackOwnerId', '9100');
      h.hs.ownerList = [{ id: '9100', email: 'fallback@example.com', archived: false }];
      const a = h.sf.addOpportunity({ Name: 'A' }, [c.Id]);
      await h.engine.runPass();
      assert.equal(h.hs.dealByOpportunity(a.Id)?.properties.hubspot_owner_id, '9100');
      h.hs.ownerList = [];
      const b = h.sf.addOpportunity({ Name: 'B' }, [c.Id]);
      h.sf.clock += 1_000;
      const r = await h.engine.runPass();
      assert.equal(r.failed, 0);
      assert.equal(h.hs.dealByOpportunity(b.Id)?.properties.hubspot_owner_id ?? '', '');
      assert.equal(
        (await h.store.listErrors({ recordKeys: [`opportunity:${b.Id}`] }))[0]?.severity,
        'warning',
      );
    });

    test('status counts warnings apart from errors', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      h.sf.addOpportunity({ OwnerId: '005NOBODY' }, [c.Id]);
      h.sf.addOpportunity({ Type: 'Legacy Deal' }, [c.Id]);
      h.sf.addOpportunity({ StageName: 'Unknown stage' }, [c.Id]);
      await h.engine.runPass();
      const s = await readStatus(h.store, new Date(h.sf.clock));
      assert.deepEqual(s.errors.byCode, { STAGE_NOT_MAPPED: 1 });
      assert.equal(s.errors.total, 1);
      assert.deepEqual(s.warnings, { total: 2, byCode: { INVALID_PICKLIST: 1, OWNER_NOT_FOUND: 1 } });
      assert.match(formatStatus(s), /^Warnings: 2 \(INVALID_PICKLIST 1, OWNER_NOT_FOUND 1;/m);
    });
  });
}
