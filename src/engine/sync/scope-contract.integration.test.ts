// The scope contract (docs/sync.md "Which opportunities sync", scope-rule.ts), one test per edge,
// through both emulators' public APIs with plain creates. T is the moment `opportunitySync` is
// turned on; "before T" records are made with both emulators' clocks set back (Salesforce stamps
// SystemModstamp, HubSpot createdate), either a few seconds (inside the change feeds' look-back,
// which reads them again) or an hour (older than any look-back).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { openStore, type Store } from '../../store/index.js';
import { previewImport } from '../import/preview.js';
import { runImport } from '../import/run.js';
import { createRollupHook } from '../rollups/hook.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';
import { readSyncStartedAt, writeSetting } from '../user-settings.js';
import { SyncEngine } from './pass.js';

interface World extends EmulatorWorld {
  store: Store;
  engine: SyncEngine;
}

const worlds: World[] = [];

async function world(): Promise<World> {
  const store = await openStore(':memory:');
  const w = await connectEmulators({ store });
  const engine = new SyncEngine({
    salesforce: w.sf,
    hubspot: w.hs,
    store,
    // Every pass re-reads 30 s (the short window as long as the full one: no sweep), so that rows
    // changed shortly before T are read again by the passes after it, and must not sync.
    options: { lookbackSeconds: 30, shortLookbackSeconds: 30, rescopeIntervalMs: 0 },
    onTouched: createRollupHook({ salesforce: w.sf, hubspot: w.hs, store }),
  });
  const out = { ...w, store, engine };
  worlds.push(out);
  return out;
}

/** Runs `fn` with both emulators' clocks `ms` in the past, then puts them back on real time. */
async function before<T>(w: World, ms: number, fn: () => Promise<T>): Promise<T> {
  const past = Date.now() - ms;
  await w.sfEmu.admin.call('POST', '/__emulator/clock', { set: past });
  await w.hsRest.call('POST', '/__emulator/clock', { set: past });
  try {
    return await fn();
  } finally {
    await w.sfEmu.admin.call('POST', '/__emulator/clock', { set: Date.now() });
    await w.hsRest.call('POST', '/__emulator/clock', { set: Date.now() });
  }
}
const SECONDS = 10_000;
const HOUR = 3600_000;

async function turnOn(w: World): Promise<void> {
  await writeSetting(w.store, 'opportunitySync', true, { salesforce: w.sf });
}

async function contact(w: World, email: string): Promise<string> {
  return w.sfRest.create('Contact', { LastName: email.split('@')[0] ?? 'X', Email: email });
}

async function opportunity(w: World, name: string, contactIds: string[], stage = 'Prospecting') {
  const id = await w.sfRest.create('Opportunity', { Name: name, StageName: stage, CloseDate: '2024-10-31' });
  for (const c of contactIds)
    await w.sfRest.create('OpportunityContactRole', { OpportunityId: id, ContactId: c });
  return id;
}

async function rollupsOf(w: World, hsContactId: string) {
  const c = await w.hsRest.get('contacts', hsContactId, [
    'salesforce_num_associated_deals',
    'lifecyclestage',
  ]);
  return { deals: c?.properties.salesforce_num_associated_deals, stage: c?.properties.lifecyclestage };
}

describe('the scope contract', () => {
  afterEach(async () => {
    for (const w of worlds.splice(0)) {
      w.sf.close();
      await w.store.close();
      await w.sfEmu.close();
      await w.hsEmu.close();
    }
  });

  test('turning opportunitySync on records T, Salesforce time, once', async () => {
    const w = await world();
    assert.equal(await readSyncStartedAt(w.store), null);
    const { cursorStart } = await writeSetting(w.store, 'opportunitySync', true, { salesforce: w.sf });
    assert.ok(cursorStart);
    assert.equal(await readSyncStartedAt(w.store), cursorStart);
    await w.engine.runPass();
    assert.equal(await readSyncStartedAt(w.store), cursorStart, 'passes do not move T');
  });

  test('an opportunity created after T with a contact that was in HubSpot before T syncs', async () => {
    const w = await world();
    const c = await before(w, HOUR, async () => {
      await w.hsRest.createContact('ann@example.com');
      return contact(w, 'ann@example.com');
    });
    await turnOn(w);
    const opp = await opportunity(w, 'New after T', [c]);
    await w.engine.runPass();
    assert.ok(await w.hsRest.dealOf(opp));
  });

  test('older opportunities of a contact in HubSpot before T wait for the import when a new one shares it; rollups and lifecycle count the synced deal only; the preview counts the rest', async () => {
    const w = await world();
    // Changed a few seconds before T: the look-back reads them again, and must not sync them.
    const { c, hsId, won, open } = await before(w, SECONDS, async () => {
      const hsId = await w.hsRest.createContact('bea@example.com');
      const c = await contact(w, 'bea@example.com');
      const won = await opportunity(w, 'Old win', [c], 'Closed Won');
      const open = await opportunity(w, 'Old open', [c]);
      return { c, hsId, won, open };
    });
    await turnOn(w);
    const fresh = await opportunity(w, 'New after T', [c]);
    const r = await w.engine.runPass();
    assert.ok(await w.hsRest.dealOf(fresh), 'the new opportunity syncs');
    assert.equal(await w.hsRest.dealOf(won), undefined, 'the older won one waits for the import');
    assert.equal(await w.hsRest.dealOf(open), undefined, 'the older open one waits for the import');
    assert.equal(r.skippedByReason.waits_for_import, 2);
    assert.deepEqual(await rollupsOf(w, hsId), { deals: '1', stage: 'opportunity' });
    await w.engine.runPass();
    assert.equal(await w.hsRest.dealOf(won), undefined, 'nor does a later pass bring it');

    const preview = await previewImport({ salesforce: w.sf, hubspot: w.hs, store: w.store });
    assert.equal(preview.create, 2, JSON.stringify(preview.samples.create));
    assert.deepEqual(preview.samples.create.map((s) => s.opportunityId).sort(), [open, won].sort());
    assert.equal(preview.unchanged, 1);

    const imported = await runImport({ salesforce: w.sf, hubspot: w.hs, store: w.store });
    assert.equal(imported.run.created, 2);
    assert.deepEqual(await rollupsOf(w, hsId), { deals: '3', stage: 'customer' });
  });

  test('a contact in HubSpot before T that gets its email after T brings no older opportunity', async () => {
    const w = await world();
    const { hsId, old } = await before(w, SECONDS, async () => {
      const hs = (await w.hsRest.call('POST', '/crm/v3/objects/contacts', {
        properties: { firstname: 'Cem' },
      })) as { id: string };
      const c = await contact(w, 'cem@example.com');
      return { hsId: hs.id, old: await opportunity(w, 'Old', [c]) };
    });
    await turnOn(w);
    await w.engine.runPass();
    await w.hsRest.call('PATCH', `/crm/v3/objects/contacts/${hsId}`, {
      properties: { email: 'cem@example.com' },
    });
    await w.engine.runPass();
    await w.engine.runPass();
    assert.equal(await w.hsRest.dealOf(old), undefined);
    const preview = await previewImport({ salesforce: w.sf, hubspot: w.hs, store: w.store });
    assert.deepEqual(
      preview.samples.create.map((s) => s.opportunityId),
      [old],
    );
  });

  test('an opportunity unchanged since before T syncs when its contact is created in HubSpot after T', async () => {
    const w = await world();
    const { old, second } = await before(w, HOUR, async () => {
      const c = await contact(w, 'dan@example.com');
      return { old: await opportunity(w, 'Old', [c]), second: await opportunity(w, 'Old too', [c]) };
    });
    await turnOn(w);
    await w.engine.runPass();
    assert.equal(await w.hsRest.dealOf(old), undefined);
    const hsId = await w.hsRest.createContact('Dan@Example.com');
    const r = await w.engine.runPass();
    assert.equal(r.created, 2, JSON.stringify(r));
    const deal = await w.hsRest.dealOf(old);
    assert.ok(deal);
    assert.ok(await w.hsRest.dealOf(second));
    assert.deepEqual(await w.hsRest.associated(deal.id, 'contacts'), [hsId]);
    assert.deepEqual(await rollupsOf(w, hsId), { deals: '2', stage: 'opportunity' });
  });

  test('an opportunity changed after T whose contact is created in HubSpot later syncs, with the older ones of that contact', async () => {
    const w = await world();
    const { c, old } = await before(w, HOUR, async () => {
      const c = await contact(w, 'eve@example.com');
      return { c, old: await opportunity(w, 'Old', [c]) };
    });
    await turnOn(w);
    const fresh = await opportunity(w, 'New', [c]);
    const r1 = await w.engine.runPass();
    assert.equal(r1.skippedByReason.no_contact_in_hubspot, 1);
    await w.hsRest.createContact('eve@example.com');
    await w.engine.runPass();
    assert.ok(await w.hsRest.dealOf(fresh));
    assert.ok(await w.hsRest.dealOf(old));
  });

  test('a contact role added after T to an opportunity unchanged since before T syncs it', async () => {
    const w = await world();
    const { c, old } = await before(w, HOUR, async () => {
      await w.hsRest.createContact('fay@example.com');
      return { c: await contact(w, 'fay@example.com'), old: await opportunity(w, 'Old', []) };
    });
    await turnOn(w);
    await w.engine.runPass();
    assert.equal(await w.hsRest.dealOf(old), undefined);
    await w.sfRest.create('OpportunityContactRole', { OpportunityId: old, ContactId: c });
    await w.engine.runPass();
    assert.ok(await w.hsRest.dealOf(old));
  });

  test('a contact role removed after T from an opportunity unchanged since before T syncs it', async () => {
    const w = await world();
    const { hsKept, old, role } = await before(w, HOUR, async () => {
      const hsKept = await w.hsRest.createContact('gus@example.com');
      const kept = await contact(w, 'gus@example.com');
      const gone = await contact(w, 'hal@example.com');
      const old = await opportunity(w, 'Old', [kept]);
      const role = await w.sfRest.create('OpportunityContactRole', { OpportunityId: old, ContactId: gone });
      return { hsKept, old, role };
    });
    await turnOn(w);
    await w.engine.runPass();
    assert.equal(await w.hsRest.dealOf(old), undefined);
    await w.sfRest.delete('OpportunityContactRole', role);
    await w.engine.runPass();
    const deal = await w.hsRest.dealOf(old);
    assert.ok(deal);
    assert.deepEqual(await w.hsRest.associated(deal.id, 'contacts'), [hsKept]);
  });
});
