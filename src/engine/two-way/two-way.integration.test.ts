// Issue #13, the HubSpot → Salesforce direction through both emulators: HubSpot users' edits of
// linked deals reach the opportunity under Two-way (amount exact to the cent, stage through the
// stage map), settle with no echo (writes counted by the emulators' own stats), conflicts go to
// the later change with the loser kept in the audit log, and refused records fail alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HubspotEmulator } from '../../../emulators/hubspot/index.js';
import type { SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import { openStore, type Store } from '../../store/index.js';
import { CUSTOM_MAPPINGS_SETTING } from '../mapping/sync-context.js';
import { withRule } from '../mapping/rules.js';
import type { FieldMapping } from '../mapping/types.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine, type PassResult } from '../sync/pass.js';
import { HubspotToSalesforce, opportunityWriteKey } from './step.js';

const WRITE = /^(POST|PATCH|PUT|DELETE)\b/;
/** Requests that change data, by route, since the last reset (reads and searches are POSTs too). */
function hubspotWrites(hsEmu: HubspotEmulator): number {
  const routes = hsEmu.admin.stats.toJSON().routes as Record<string, Record<string, number>>;
  return Object.entries(routes)
    .filter(([r]) => WRITE.test(r) && !/search|batch\/read|oauth/.test(r))
    .reduce((n, [, s]) => n + Object.values(s).reduce((a, b) => a + b, 0), 0);
}
/** The Salesforce emulator names its routes by resource and action (`composite.update`, `sobject.create`). */
function salesforceWrites(sfEmu: SalesforceEmulator): number {
  const routes = sfEmu.admin.state.stats.toJSON().routes;
  return Object.entries(routes)
    .filter(([r]) => /\.(create|update|upsert|delete)$/.test(r))
    .reduce((n, [, s]) => n + Object.values(s).reduce((a, b) => a + b, 0), 0);
}

describe('HubSpot → Salesforce: changes of linked deals', { timeout: 180_000 }, () => {
  let w: EmulatorWorld;
  let store: Store;
  let engine: SyncEngine;
  let n = 0;

  /** Both emulators' clocks move together, and the engine's with them. */
  const later = (seconds = 2) => {
    w.sfEmu.admin.state.clock.advance(seconds * 1000);
    w.hsEmu.admin.clock.advance(seconds * 1000);
  };
  const now = () => new Date(w.sfEmu.admin.state.clock.now());

  before(async () => {
    store = await openStore(':memory:');
    w = await connectEmulators({ store });
    await writeSetting(store, 'opportunitySync', true, { salesforce: w.sf });
    let mappings: FieldMapping[] = [];
    for (const p of ['amount', 'description', 'dealstage', 'closedate']) {
      const next = withRule(mappings, p, 'two_way');
      assert.ok(next.ok);
      mappings = next.mappings;
    }
    await store.setSetting(CUSTOM_MAPPINGS_SETTING, mappings);
    engine = new SyncEngine({
      salesforce: w.sf,
      hubspot: w.hs,
      store,
      now,
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
      twoWay: new HubspotToSalesforce({ salesforce: w.sf, hubspot: w.hs, store, now }),
    });
  });
  after(async () => {
    w?.sf.close();
    await store?.close();
    await w?.sfEmu.close();
    await w?.hsEmu.close();
  });

  async function pass(): Promise<PassResult> {
    const r = await engine.runPass();
    assert.equal(r.failed, 0, JSON.stringify(await store.listErrors()));
    return r;
  }

  /** A synced opportunity (one contact role of a HubSpot contact) and its deal. */
  async function linked(
    name: string,
    fields: Record<string, unknown> = {},
  ): Promise<{ oppId: string; dealId: string }> {
    n++;
    const email = `twoway.${n}@two-way.example`;
    const contactId = await w.sfRest.create('Contact', { LastName: name, Email: email });
    await w.hsRest.createContact(email);
    const oppId = await w.sfRest.create('Opportunity', {
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2026-06-30',
      Amount: 1000,
      ...fields,
    });
    await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
    later();
    await pass();
    const deal = await w.hsRest.dealOf(oppId);
    assert.ok(deal, 'the deal was created');
    later();
    await pass(); // the process's first pass catches up (rewrites); from here on hashes count
    return { oppId, dealId: deal.id };
  }

  const editDeal = (dealId: string, properties: Record<string, string>) =>
    w.hsRest.call('PATCH', `/crm/v3/objects/deals/${dealId}`, { properties });

  async function opportunity(oppId: string) {
    const [row] = await w.sfRest.query<Record<string, unknown>>(
      `SELECT Amount, Description, StageName, CloseDate, LastModifiedById FROM Opportunity WHERE Id = '${oppId}'`,
    );
    assert.ok(row);
    return row;
  }

  test('a HubSpot edit reaches Salesforce exact to the cent and settles: 0 further writes on either side', async () => {
    const { oppId, dealId } = await linked('Settle');
    later();
    await editDeal(dealId, { amount: '1234.56', description: 'Edited in HubSpot' });
    later();
    w.hsEmu.admin.stats.reset();
    w.sfEmu.admin.state.stats.reset();
    const first = await pass();
    assert.equal(first.twoWay?.written, 1);
    const opp = await opportunity(oppId);
    assert.equal(String(opp.Amount), '1234.56');
    assert.equal(opp.Description, 'Edited in HubSpot');
    assert.equal(salesforceWrites(w.sfEmu), 1, 'one collection write');
    assert.equal(hubspotWrites(w.hsEmu), 0, 'no echo back to HubSpot');
    later();
    await pass();
    later();
    w.hsEmu.admin.stats.reset();
    w.sfEmu.admin.state.stats.reset();
    const third = await pass();
    assert.equal(third.twoWay?.written ?? 0, 0);
    assert.equal(salesforceWrites(w.sfEmu), 0, 'settled: no Salesforce write');
    assert.equal(hubspotWrites(w.hsEmu), 0, 'settled: no HubSpot write');
    const deal = await w.hsRest.dealOf(oppId, ['amount', 'description']);
    assert.equal(Number(deal?.properties.amount), 1234.56);
    const audit = await store.auditFor(`opportunity:${oppId}`, 10);
    assert.ok(audit.some((e) => e.reason === 'hubspot' && e.field === 'Amount' && e.newValue === '1234.56'));
  });

  test('a stage moved in HubSpot goes back through the stage map', async () => {
    const { oppId, dealId } = await linked('Stage');
    const pipelines = (await w.hsRest.call('GET', '/crm/v3/pipelines/deals')) as {
      results: { id: string; stages: { id: string; label: string }[] }[];
    };
    const deal = await w.hsRest.dealOf(oppId, ['pipeline']);
    const pipeline = pipelines.results.find((p) => p.id === deal?.properties.pipeline);
    const target = pipeline?.stages.find((s) => s.label === 'Negotiation/Review');
    assert.ok(target, JSON.stringify(pipeline?.stages.map((s) => s.label)));
    later();
    await editDeal(dealId, { dealstage: target.id });
    later();
    await pass();
    assert.equal((await opportunity(oppId)).StageName, 'Negotiation/Review');
  });

  test('both sides changed: the later change wins, the loser is kept in the audit log with both times', async () => {
    const hubspotLater = await linked('Conflict H');
    const salesforceLater = await linked('Conflict S');
    later();
    await w.sfRest.update('Opportunity', hubspotLater.oppId, { Amount: 2000 });
    await editDeal(salesforceLater.dealId, { amount: '3000' });
    later(5);
    await editDeal(hubspotLater.dealId, { amount: '2500' });
    await w.sfRest.update('Opportunity', salesforceLater.oppId, { Amount: 3500 });
    later();
    const r = await pass();
    assert.equal(r.twoWay?.conflicts, 2);
    assert.equal(String((await opportunity(hubspotLater.oppId)).Amount), '2500');
    assert.equal(String((await opportunity(salesforceLater.oppId)).Amount), '3500');
    // Salesforce's winner reaches the deal through the other direction, in the same pass.
    const deal = await w.hsRest.dealOf(salesforceLater.oppId, ['amount']);
    assert.equal(Number(deal?.properties.amount), 3500);
    const [lostH] = (await store.auditFor(`opportunity:${hubspotLater.oppId}`, 20)).filter(
      (e) => e.reason === 'conflict',
    );
    assert.equal(lostH?.oldValue, '2000');
    assert.equal(lostH?.newValue, '2500');
    assert.ok(lostH?.salesforceAt && lostH.hubspotAt && lostH.hubspotAt > lostH.salesforceAt);
    const [lostS] = (await store.auditFor(`opportunity:${salesforceLater.oppId}`, 20)).filter(
      (e) => e.reason === 'conflict',
    );
    assert.equal(lostS?.oldValue, '3000');
    assert.equal(Number(lostS?.newValue), 3500);
    later();
    w.hsEmu.admin.stats.reset();
    w.sfEmu.admin.state.stats.reset();
    await pass();
    later();
    await pass();
    assert.equal(salesforceWrites(w.sfEmu) + hubspotWrites(w.hsEmu), 0, 'settled after the conflict');
  });

  test('a stage with no Salesforce counterpart is STAGE_NOT_MAPPED; the other records are written', async () => {
    const bad = await linked('Unmapped stage');
    const good = await linked('Still written');
    const created = (await w.hsRest.call('POST', '/crm/v3/pipelines/deals', {
      label: 'Made in HubSpot',
      displayOrder: 9,
      stages: [{ label: 'Only here', displayOrder: 0, metadata: { probability: '0.5' } }],
    })) as { id: string; stages: { id: string }[] };
    later();
    await editDeal(bad.dealId, { pipeline: created.id, dealstage: created.stages[0]!.id });
    await editDeal(good.dealId, { amount: '42.10' });
    later();
    const r = await engine.runPass();
    assert.equal(r.twoWay?.failed, 1);
    assert.equal(r.twoWay?.written, 1);
    assert.equal(String((await opportunity(good.oppId)).Amount), '42.1');
    const [err] = await store.listErrors({ recordKeys: [opportunityWriteKey(bad.oppId)] });
    assert.equal(err?.code, 'STAGE_NOT_MAPPED');
    assert.match(err?.message ?? '', /no Salesforce stage/);
    assert.equal((await opportunity(bad.oppId)).StageName, 'Prospecting');
  });

  test('a validation-rule failure among 199 good records: 199 written, 1 stored error, collections of ≤ 200', async () => {
    const email = 'bulk@two-way.example';
    const contactId = await w.sfRest.create('Contact', { LastName: 'Bulk', Email: email });
    await w.hsRest.createContact(email);
    const oppIds: string[] = [];
    for (let i = 0; i < 200; i++) {
      const id = await w.sfRest.create('Opportunity', {
        Name: `Bulk ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2026-06-30',
        Amount: 1000,
      });
      await w.sfRest.create('OpportunityContactRole', { OpportunityId: id, ContactId: contactId });
      oppIds.push(id);
    }
    later();
    await pass();
    later();
    await pass();
    await w.sfEmu.admin.call('POST', '/__emulator/validation-rules', {
      name: 'No_Amount_666',
      sobject: 'Opportunity',
      field: 'Amount',
      condition: 'equals',
      value: 666,
      message: 'Amount 666 is not allowed',
      errorDisplayField: 'Amount',
    });
    const links = await store.getDealLinks(oppIds);
    later();
    for (const [i, id] of oppIds.entries())
      await editDeal(links.get(id)!.dealId!, { amount: i === 100 ? '666' : String(2000 + i) });
    later();
    w.sfEmu.admin.state.stats.reset();
    const r = await engine.runPass();
    assert.equal(r.twoWay?.written, 199);
    const bulkErrors = await store.listErrors({ recordKeys: oppIds.map(opportunityWriteKey) });
    assert.deepEqual(
      bulkErrors.map((e) => e.recordKey),
      [opportunityWriteKey(oppIds[100]!)],
    );
    // Collections take 200 records a call; the poll's search pages (200) need not align with the
    // 200 edited deals (other deals of this file changed within the look-back too): 2 calls at most.
    const calls = w.sfEmu.admin.state.stats.toJSON().routes['composite.update']?.['200'] ?? 0;
    assert.ok(calls >= 1 && calls <= 2, `collection writes: ${calls}`);
    const rows = await w.sfRest.query<{ Id: string; Amount: number }>(
      `SELECT Id, Amount FROM Opportunity WHERE Name LIKE 'Bulk %'`,
    );
    const amountOf = new Map(rows.map((x) => [x.Id, Number(x.Amount)]));
    assert.equal(amountOf.get(oppIds[100]!), 1000, 'the refused one is as it was');
    assert.equal(oppIds.filter((id, i) => i !== 100 && amountOf.get(id) === 2000 + i).length, 199);
    const [err] = await store.listErrors({ recordKeys: [opportunityWriteKey(oppIds[100]!)] });
    assert.equal(err?.code, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    await w.sfEmu.admin.call('DELETE', '/__emulator/validation-rules/No_Amount_666');
  });

  test('a validation rule refuses one record with its code; the others are written', async () => {
    const refused = await linked('Validated');
    const fine = await linked('Not validated');
    // An admin's validation rule, set through the emulator's admin API (a field-level condition).
    await w.sfEmu.admin.call('POST', '/__emulator/validation-rules', {
      name: 'No_Huge_Amounts',
      sobject: 'Opportunity',
      field: 'Amount',
      condition: 'greater-than',
      value: 1_000_000,
      message: 'Amount too large',
      errorDisplayField: 'Amount',
    });
    later();
    await editDeal(refused.dealId, { amount: '5000000' });
    await editDeal(fine.dealId, { amount: '77.70' });
    later();
    await engine.runPass();
    assert.equal(String((await opportunity(fine.oppId)).Amount), '77.7');
    const [err] = await store.listErrors({ recordKeys: [opportunityWriteKey(refused.oppId)] });
    assert.equal(err?.code, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    assert.match(err?.message ?? '', /Amount too large/);
  });
});
