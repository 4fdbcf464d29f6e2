// The bad-input corpus's record cases end to end (issue #17, docs/bad-input.md): every case's record
// made beside good records, all in one batch, through both emulators with the real adapters; passes
// until nothing is left to do; then each case's outcome, code, message and values, and the good
// records' values.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCatalogue, isErrorCode } from '../../errors/index.js';
import { outcomeLabel, testName, type BadInputCase } from '../testing/bad-input/corpus.js';
import { goodRecords, type Good } from '../testing/bad-input/goods.js';
import { recordCases } from '../testing/bad-input/record-cases.js';
import {
  closeCorpusWorld,
  errorOf,
  openCorpusWorld,
  passes,
  type CorpusWorld,
  type Made,
} from '../testing/bad-input/world.js';

const dealProps = (c: BadInputCase, made: Made) =>
  typeof c.deal === 'function' ? c.deal(made) : (c.deal ?? {});

describe('bad input: records', { timeout: 120_000 }, () => {
  let w: CorpusWorld;
  let goods: Good[];
  const made = new Map<string, Made>();

  before(async () => {
    w = await openCorpusWorld();
    goods = await goodRecords(w, 3, 'Before');
    for (const c of recordCases) made.set(c.id, await c.make(w));
    goods.push(...(await goodRecords(w, 3, 'After')));
    await passes(w);
    for (const c of recordCases) await c.later?.(w, made.get(c.id)!);
    await passes(w);
  });
  after(async () => {
    if (w) await closeCorpusWorld(w);
  });

  test('the good records of the batch synced with their values', async () => {
    for (const g of goods) {
      const deal = await w.hsRest.dealOf(g.made.oppId, Object.keys(g.deal));
      assert.ok(deal, `good ${g.made.oppId}`);
      for (const [k, v] of Object.entries(g.deal))
        assert.equal(deal.properties[k] ?? null, v, `${g.made.oppId} ${k}`);
      assert.equal(await errorOf(w, `opportunity:${g.made.oppId}`), undefined);
    }
  });

  for (const c of recordCases) {
    test(`${testName(c)}: ${outcomeLabel(c.outcome)}`, async () => {
      const m = made.get(c.id)!;
      const o = c.outcome;
      if (o.kind === 'refused') {
        assert.equal(m.refused, o.salesforceCode);
        return;
      }
      const key = `opportunity:${m.oppId}`;
      const props = dealProps(c, m);
      const deal = await w.hsRest.dealOf(m.oppId, Object.keys(props));
      const stored = await errorOf(w, key);
      if (o.kind === 'removed') {
        assert.equal(deal, undefined, 'no live deal');
        assert.equal(stored, undefined, JSON.stringify(stored));
        return;
      }
      if (o.kind === 'failed' && o.on !== 'contact') {
        assert.equal(deal, undefined, 'not written');
      } else {
        assert.ok(deal, `a deal for ${m.oppId}: ${JSON.stringify(stored)}`);
        for (const [k, v] of Object.entries(props)) assert.equal(deal.properties[k] ?? null, v, k);
      }
      if (o.kind === 'synced' || o.kind === 'retried' || (o.kind === 'failed' && o.on === 'contact')) {
        assert.equal(stored, undefined, JSON.stringify(stored));
      }
      if (o.kind === 'warning' || o.kind === 'failed') {
        const at = o.kind === 'failed' && o.on === 'contact' ? `contact:${m.people[0]!.contactId}` : key;
        const e = await errorOf(w, at);
        assert.ok(e, `an error for ${at}`);
        assert.equal(e.code, o.code, e.message);
        assert.equal(e.severity, o.kind === 'warning' ? 'warning' : 'error');
        assert.equal(e.nextRetryAt === null, o.kind === 'warning', 'errors are retried, warnings not');
        assert.ok(e.message.includes(m.oppId), `the message names the opportunity: ${e.message}`);
        assert.ok(c.field && e.message.includes(c.field), `the message names ${c.field}: ${e.message}`);
        assert.equal(e.field, c.field);
        assert.ok(isErrorCode(e.code) && errorCatalogue[e.code].fix.length > 0);
      }
      await c.check?.(w, m);
    });
  }
});
