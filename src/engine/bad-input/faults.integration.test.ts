// The bad-input corpus's fault cases end to end (issue #17, docs/bad-input.md): for each, the fault
// injected through the emulators' fault API (or a record deleted while a write is held up), two
// good records made in the same batch, passes until nothing is left to do (records that failed are
// made due, as `dealbridge errors retry` does, instead of waiting out their backoff); then the
// outcome, what was seen on the way, no deal written twice, and the good records' values.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DealbridgeError, errorCatalogue } from '../../errors/index.js';
import { outcomeLabel, testName } from '../testing/bad-input/corpus.js';
import { faultCases } from '../testing/bad-input/fault-cases.js';
import { goodRecords } from '../testing/bad-input/goods.js';
import { closeCorpusWorld, openCorpusWorld, type CorpusWorld } from '../testing/bad-input/world.js';

describe('bad input: faults', { timeout: 120_000 }, () => {
  let w: CorpusWorld;
  before(async () => {
    w = await openCorpusWorld();
  });
  afterEach(async () => {
    await w.hsRest.call('DELETE', '/__emulator/faults');
    await w.sfEmu.admin.call('DELETE', 'faults');
  });
  after(async () => {
    if (w) await closeCorpusWorld(w);
  });

  for (const c of faultCases) {
    test(`${testName(c)}: ${outcomeLabel(c.outcome)}`, async () => {
      const made = await c.make(w);
      const goods = await goodRecords(w, 2, c.id);
      const opps = [made.oppId, ...goods.map((g) => g.made.oppId)];
      const keys = [
        ...opps.map((id) => `opportunity:${id}`),
        ...made.people.map((p) => `contact:${p.contactId}`),
      ];
      const seen: string[] = [];
      const stops: DealbridgeError[] = [];
      let goodsInFirstPass = false;
      for (let i = 0; i < 6; i++) {
        const beside = i === 0 ? c.during?.(w, made) : undefined;
        let quiet = false;
        try {
          const r = await w.engine.runPass();
          quiet = r.created + r.updated + r.archived + r.failed === 0;
        } catch (err) {
          if (!(err instanceof DealbridgeError)) throw err; // a crash, not a coded error
          stops.push(err);
          seen.push(err.code);
        }
        await beside;
        if (i === 0) {
          const found = await Promise.all(goods.map((g) => w.hsRest.dealOf(g.made.oppId)));
          goodsInFirstPass = found.every(Boolean);
        }
        const errors = await w.store.listErrors({ recordKeys: keys });
        seen.push(...errors.map((e) => e.code));
        const due = errors.filter((e) => e.severity === 'error').map((e) => e.recordKey);
        if (due.length > 0) await w.store.scheduleRetryNow(due, new Date().toISOString());
        // Done when a pass (not the first: a delete is read by the next) found nothing to do.
        if (quiet && errors.length === 0 && i > 0) break;
      }

      const faults = (await w.hsRest.call('GET', '/__emulator/faults')) as { results: { fired: number }[] };
      for (const f of faults.results)
        assert.ok(f.fired > 0, `HubSpot fault never fired: ${JSON.stringify(f)}`);
      const sfFaults = (await w.sfEmu.admin.call('GET', 'faults')).body as { faults: unknown[] };
      assert.deepEqual(sfFaults.faults, [], 'every Salesforce fault spent');

      for (const e of stops) {
        assert.ok(errorCatalogue[e.code].fix.length > 0);
        assert.match(e.message, /HubSpot|Salesforce/, e.message);
      }
      const o = c.outcome;
      assert.deepEqual(await w.store.listErrors({ recordKeys: keys }), [], 'nothing left failing');
      if (o.kind === 'retried') {
        if (o.code === null) assert.deepEqual(seen, [], 'absorbed by the retries of the call');
        else
          assert.ok(
            seen.includes(o.code),
            `seen ${o.code}: ${seen.join(', ')} ${stops.map((s) => s.message).join(' | ')}`,
          );
      } else assert.deepEqual(seen, [], stops.map((s) => s.message).join(' | '));
      if (!seen.some((code) => errorCatalogue[code as keyof typeof errorCatalogue]?.scope === 'pass'))
        assert.ok(goodsInFirstPass, 'the good records synced in the first pass');

      const deal = await w.hsRest.dealOf(made.oppId, Object.keys(c.deal ?? {}));
      if (o.kind === 'removed') assert.equal(deal, undefined, 'no live deal');
      else {
        assert.ok(deal, `a deal for ${made.oppId}`);
        const props = typeof c.deal === 'function' ? c.deal(made) : (c.deal ?? {});
        for (const [k, v] of Object.entries(props)) assert.equal(deal.properties[k] ?? null, v, k);
      }
      for (const g of goods) {
        const d = await w.hsRest.dealOf(g.made.oppId, Object.keys(g.deal));
        assert.ok(d, `good ${g.made.oppId}`);
        for (const [k, v] of Object.entries(g.deal)) assert.equal(d.properties[k] ?? null, v, k);
      }
      const all = await w.hsRest.allDeals();
      for (const id of opps)
        assert.ok(
          all.filter((d) => d.properties.salesforce_opportunity_id === id).length <= 1,
          `one deal for ${id}`,
        );
      await c.check?.(w, made);
    });
  }
});
