// The look-back's cost and its guarantee (issue #11): at a steady stream of changes each change is
// read about twice (once by its pass, once by the late-commit sweep), not once per pass for the
// whole window; and a commit that lands late, anywhere inside `lookbackSeconds`, is still synced.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CURSOR_CONTACT_ROLES, CURSOR_OPPORTUNITIES } from './change-feed.js';
import { CURSOR_OPPORTUNITY_SWEEP, sweepDue, settledBefore } from './late-commits.js';
import { createHarness, type Harness } from '../testing/fakes.js';

/** The engine's defaults for the windows (the harness otherwise shortens the look-back to 5 s). */
const DEFAULT_WINDOWS = { lookbackSeconds: 60 };
const PASS_MS = 5000;

async function steadyWorld(opportunities: number): Promise<{ h: Harness; ids: string[] }> {
  const h = await createHarness(DEFAULT_WINDOWS);
  await h.enable();
  const c = h.sf.addContact({ Email: 'steady@example.com', LastName: 'Steady' });
  h.hs.addContact('steady@example.com');
  const ids = Array.from({ length: opportunities }, () => h.sf.addOpportunity({}, [c.Id]).Id);
  await h.engine.runPass();
  assert.equal(h.hs.live('deals').length, opportunities);
  return { h, ids };
}

/** Moves the fake clock to `at` and runs a pass there. */
async function passAt(h: Harness, at: number): Promise<void> {
  h.sf.clock = Math.max(h.sf.clock, at);
  await h.engine.runPass();
}

describe('look-back windows', () => {
  test('20 changes/s with 5-s passes: at most 2 Salesforce rows read per row changed, all synced', async () => {
    const { h, ids } = await steadyWorld(3000);
    h.sf.tickMs = 50; // 20 changes per second of the fake server clock
    const read = () =>
      (h.sf.rowsRead.get('opportunitiesChangedSince') ?? 0) +
      (h.sf.rowsRead.get('contactRolesChangedSince') ?? 0);
    // Warm up past the full window and a sweep, so that the measure is the steady state.
    let next = 0;
    const changeFor = async (ms: number) => {
      const end = h.sf.clock + ms;
      while (h.sf.clock + h.sf.tickMs <= end) {
        const id = ids[next++ % ids.length]!;
        h.sf.updateOpportunity(id, { Description: `change ${next}` });
      }
      await passAt(h, end);
    };
    for (let t = 0; t < 95_000; t += PASS_MS) await changeFor(PASS_MS);
    const read0 = read();
    const changed0 = next;
    for (let t = 0; t < 150_000; t += PASS_MS) await changeFor(PASS_MS);
    const ratio = (read() - read0) / (next - changed0);
    // Twice per change (its pass, then the sweep); the cursor's own row is not read again. The
    // whole window every pass read 13 per change. (The margin: the measure's ends cut sweeps.)
    assert.ok(ratio <= 2.005, `rows read per row changed: ${ratio.toFixed(3)}`);
    assert.ok(ratio >= 1, `every change is read at least once: ${ratio.toFixed(2)}`);
    for (const id of ids.slice(0, 20)) {
      const deal = h.hs.dealByOpportunity(id);
      assert.equal(deal?.properties.description, h.sf.opps.get(id)?.Description);
    }
  });

  test('an opportunity change that lands late, older than the cursor, inside the window, is synced by the sweep', async () => {
    const { h, ids } = await steadyWorld(3);
    const [lateId, otherId] = ids as [string, string];
    h.sf.clock += 50_000; // the late stamps below stay after the sync start
    h.sf.updateOpportunity(otherId, { Description: 'moves the cursor' });
    await passAt(h, h.sf.clock + 1000);
    const cursor = await h.store.getCursor(CURSOR_OPPORTUNITIES);
    assert.ok(cursor);
    // A transaction that wrote 40 s before the cursor commits only now: the row becomes visible
    // with its old SystemModstamp, behind every cursor and short window.
    const late = h.sf.updateOpportunity(lateId, { Description: 'committed late' });
    late.SystemModstamp = new Date(Date.parse(cursor.modstamp) - 40_000).toISOString();
    await passAt(h, h.sf.clock + PASS_MS);
    assert.notEqual(
      h.hs.dealByOpportunity(lateId)?.properties.description,
      'committed late',
      'not by the pass (its short window does not reach 40 s back)',
    );
    // The sweep reads the range once it has settled: at most window + sweep interval + a pass on.
    for (let t = 0; t < 100_000; t += PASS_MS) await passAt(h, h.sf.clock + PASS_MS);
    assert.equal(h.hs.dealByOpportunity(lateId)?.properties.description, 'committed late');
    const after = await h.store.getCursor(CURSOR_OPPORTUNITIES);
    assert.deepEqual(after, await h.store.getCursor(CURSOR_OPPORTUNITIES));
    assert.ok((after?.modstamp ?? '') >= cursor.modstamp, 'the feed cursor never moves back');
  });

  test('an edit in the second of the last read keeps its stamp: the pass does not see it, the sweep syncs it', async () => {
    const { h, ids } = await steadyWorld(1);
    const [id] = ids as [string];
    h.sf.clock += 50_000;
    h.sf.updateOpportunity(id, { Description: 'first edit' });
    await h.engine.runPass();
    assert.equal(h.hs.dealByOpportunity(id)?.properties.description, 'first edit');
    // Salesforce stamps to the second: a second edit within it carries the same SystemModstamp.
    h.sf.tickMs = 0;
    h.sf.updateOpportunity(id, { Description: 'second edit, same second' });
    h.sf.tickMs = 1000;
    await h.engine.runPass();
    assert.equal(h.hs.dealByOpportunity(id)?.properties.description, 'first edit', 'behind the cursor');
    for (let t = 0; t < 100_000; t += PASS_MS) await passAt(h, h.sf.clock + PASS_MS);
    assert.equal(h.hs.dealByOpportunity(id)?.properties.description, 'second edit, same second');
  });

  test('a contact role added late is synced by the sweep of the contact-role feed', async () => {
    const { h, ids } = await steadyWorld(2);
    const [oppId, otherId] = ids as [string, string];
    const c2 = h.sf.addContact({ Email: 'second@example.com', LastName: 'Second' });
    const second = h.hs.addContact('second@example.com');
    h.sf.clock += 50_000; // the late stamps below stay after the sync start
    h.sf.updateOpportunity(otherId, { Description: 'moves the cursors' });
    h.sf.addRole(otherId, c2.Id);
    await passAt(h, h.sf.clock + 1000);
    const roleCursor = await h.store.getCursor(CURSOR_CONTACT_ROLES);
    assert.ok(roleCursor);
    const role = h.sf.addRole(oppId, c2.Id);
    role.SystemModstamp = new Date(Date.parse(roleCursor.modstamp) - 30_000).toISOString();
    const deal = h.hs.dealByOpportunity(oppId);
    assert.ok(deal);
    await passAt(h, h.sf.clock + PASS_MS);
    assert.ok(!h.hs.associated(deal.id, 'contacts').includes(second.id));
    for (let t = 0; t < 100_000; t += PASS_MS) await passAt(h, h.sf.clock + PASS_MS);
    assert.ok(h.hs.associated(deal.id, 'contacts').includes(second.id));
  });

  test('a restart resumes the sweep from its stored mark', async () => {
    const { h, ids } = await steadyWorld(2);
    const [lateId] = ids as [string];
    h.sf.clock += 50_000; // the late stamps below stay after the sync start
    h.sf.updateOpportunity(ids[1]!, { Description: 'moves the cursor' });
    await passAt(h, h.sf.clock + 1000);
    const cursor = await h.store.getCursor(CURSOR_OPPORTUNITIES);
    const late = h.sf.updateOpportunity(lateId, { Description: 'late, across a restart' });
    late.SystemModstamp = new Date(Date.parse(cursor?.modstamp ?? '') - 20_000).toISOString();
    const mark = await h.store.getCursor(CURSOR_OPPORTUNITY_SWEEP);
    assert.ok(mark && mark.modstamp <= late.SystemModstamp, 'the mark is behind the late row');
    h.restart();
    for (let t = 0; t < 100_000; t += PASS_MS) await passAt(h, h.sf.clock + PASS_MS);
    assert.equal(h.hs.dealByOpportunity(lateId)?.properties.description, 'late, across a restart');
  });

  test('the sweep is due once the settled range is an interval long; its bound is server time minus the window', () => {
    const w = { lookbackSeconds: 60, shortLookbackSeconds: 0, sweepIntervalMs: 30_000 };
    const mark = { modstamp: '2024-05-01T10:00:00.000Z', id: '' };
    const at = (s: number) => Date.parse('2024-05-01T10:00:00.000Z') + s * 1000;
    assert.equal(sweepDue(mark, at(89), w), false);
    assert.equal(sweepDue(mark, at(90), w), true);
    assert.equal(settledBefore('2024-05-01T10:01:30.000Z', 60), '2024-05-01T10:00:30.000Z');
  });
});
