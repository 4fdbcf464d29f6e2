// Point 4: data semantics — server-kept timestamps in Salesforce's format, stage derivations,
// recycle bin with cascades and undelete, multi-currency records and dated rates.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: 'demo', now: '2025-03-01T12:00:00Z' });
  await org.admin('POST', 'clock', { set: '2025-03-01T12:00:00Z', freeze: true });
});
after(() => org.close());

type Opp = Record<string, unknown> & { Id: string };
const SF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

async function newOpp(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await org.conn
    .sobject('Opportunity')
    .create({ Name: 'Sem', StageName: 'Prospecting', CloseDate: '2025-04-30', Amount: 1000, ...extra });
  return r.id!;
}
const get = async (id: string) => (await org.conn.sobject('Opportunity').retrieve(id)) as unknown as Opp;

test('CreatedDate, LastModifiedDate, SystemModstamp are kept by the server in Salesforce format', async () => {
  const id = await newOpp();
  const a = await get(id);
  assert.match(a.CreatedDate as string, SF_DATETIME);
  assert.equal(a.CreatedDate, '2025-03-01T12:00:00.000+0000');
  assert.equal(a.SystemModstamp, a.CreatedDate);
  assert.equal(a.CloseDate, '2025-04-30');
  await org.admin('POST', 'clock', { advance: '90s' });
  await org.conn.sobject('Opportunity').update({ Id: id, Description: 'later' });
  const b = await get(id);
  assert.equal(b.CreatedDate, a.CreatedDate);
  assert.equal(b.LastModifiedDate, '2025-03-01T12:01:30.000+0000');
  assert.equal(b.SystemModstamp, b.LastModifiedDate);
  const r = await org.raw('PATCH', `${API}/sobjects/Opportunity/${id}`, {
    CreatedDate: '2020-01-01T00:00:00Z',
  });
  assert.equal((r.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
});

test('IsClosed, IsWon, Probability and ForecastCategoryName follow StageName via OpportunityStage', async () => {
  const id = await newOpp();
  let o = await get(id);
  assert.deepEqual(
    [o.IsClosed, o.IsWon, o.Probability, o.ForecastCategoryName, o.ExpectedRevenue],
    [false, false, 10, 'Pipeline', 100],
  );
  await org.conn.sobject('Opportunity').update({ Id: id, StageName: 'Negotiation/Review' });
  o = await get(id);
  assert.deepEqual([o.IsClosed, o.IsWon, o.Probability], [false, false, 90]);
  await org.conn.sobject('Opportunity').update({
    Id: id,
    StageName: 'Proposal/Price Quote',
    Probability: 55,
    ForecastCategoryName: 'Best Case',
  });
  o = await get(id);
  assert.deepEqual(
    [o.Probability, o.ForecastCategoryName],
    [55, 'Best Case'],
    'explicit values in the same write win on open stages',
  );
  await org.conn
    .sobject('Opportunity')
    .update({ Id: id, StageName: 'Closed Won', ForecastCategoryName: 'Pipeline' });
  o = await get(id);
  assert.deepEqual([o.IsClosed, o.IsWon, o.Probability, o.ForecastCategoryName], [true, true, 100, 'Closed']);
  await org.conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Lost' });
  o = await get(id);
  assert.deepEqual([o.IsClosed, o.IsWon, o.Probability, o.ForecastCategoryName], [true, false, 0, 'Omitted']);
  const stages = await org.conn.query<{ MasterLabel: string; IsWon: boolean; DefaultProbability: number }>(
    'SELECT MasterLabel, IsWon, DefaultProbability FROM OpportunityStage WHERE IsClosed = true ORDER BY SortOrder',
  );
  assert.deepEqual(
    stages.records.map((s) => [s.MasterLabel, s.IsWon, s.DefaultProbability]),
    [
      ['Closed Won', true, 100],
      ['Closed Lost', false, 0],
    ],
  );
});

test('deleting an opportunity hides its contact roles; undelete restores both', async () => {
  const contact = (await org.conn.query<{ Id: string }>('SELECT Id FROM Contact LIMIT 1')).records[0]!.Id;
  const id = await newOpp();
  const role = await org.conn
    .sobject('OpportunityContactRole')
    .create({ OpportunityId: id, ContactId: contact, Role: 'Decision Maker', IsPrimary: true });
  assert.equal(role.success, true);
  await org.conn.sobject('Opportunity').destroy(id);
  const roleGet = await org.raw('GET', `${API}/sobjects/OpportunityContactRole/${role.id!}`);
  assert.equal(roleGet.status, 404);
  assert.equal((roleGet.body as { errorCode: string }[])[0]!.errorCode, 'ENTITY_IS_DELETED');
  const live = await org.conn.query(`SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '${id}'`);
  assert.equal(live.totalSize, 0);
  const all = await org.raw(
    'GET',
    `${API}/queryAll?q=${encodeURIComponent(`SELECT Id, IsDeleted FROM OpportunityContactRole WHERE OpportunityId = '${id}'`)}`,
  );
  assert.deepEqual(
    (all.body as { records: { IsDeleted: boolean }[] }).records.map((r) => r.IsDeleted),
    [true],
  );
  const undo = await org.admin('POST', 'undelete', { ids: [id] });
  assert.equal((undo.body as { results: { success: boolean }[] }).results[0]!.success, true);
  assert.equal((await get(id)).IsDeleted, false);
  const back = await org.conn.query(`SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '${id}'`);
  assert.equal(back.totalSize, 1);
  const twice = await org.admin('POST', 'undelete', { ids: [id] });
  assert.equal((twice.body as { results: { success: boolean }[] }).results[0]!.success, false);
});

test('deleting a contact keeps its contact roles (they may point at deleted contacts)', async () => {
  const c = await org.conn.sobject('Contact').create({ LastName: 'Gone' });
  const id = await newOpp();
  await org.conn
    .sobject('OpportunityContactRole')
    .create({ OpportunityId: id, ContactId: c.id!, Role: 'Evaluator' });
  await org.conn.sobject('Contact').destroy(c.id!);
  const roles = await org.conn.query(`SELECT Id FROM OpportunityContactRole WHERE ContactId = '${c.id!}'`);
  assert.equal(roles.totalSize, 1);
  const linkToDeleted = await org.raw('POST', `${API}/sobjects/OpportunityContactRole`, {
    OpportunityId: id,
    ContactId: c.id,
  });
  assert.equal((linkToDeleted.body as { errorCode: string }[])[0]!.errorCode, 'ENTITY_IS_DELETED');
});

test('deleting an account takes its contacts and opportunities (and their roles) to the recycle bin', async () => {
  const acc = await org.conn.sobject('Account').create({ Name: 'Doomed' });
  const con = await org.conn.sobject('Contact').create({ LastName: 'Doomed', AccountId: acc.id! });
  const opp = await newOpp({ AccountId: acc.id! });
  await org.conn.sobject('OpportunityContactRole').create({ OpportunityId: opp, ContactId: con.id! });
  await org.conn.sobject('Account').destroy(acc.id!);
  assert.equal((await org.conn.query(`SELECT Id FROM Opportunity WHERE Id = '${opp}'`)).totalSize, 0);
  assert.equal((await org.conn.query(`SELECT Id FROM Contact WHERE Id = '${con.id!}'`)).totalSize, 0);
  await org.admin('POST', 'undelete', { id: acc.id! });
  assert.equal(
    (await org.conn.query(`SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '${opp}'`)).totalSize,
    1,
  );
});

test('multi-currency orgs carry CurrencyIsoCode (restricted picklist) and dated conversion rates', async () => {
  const mc = await startOrg({ seed: 'demo', seedOptions: { multiCurrency: true } });
  try {
    const d = await mc.conn.sobject('Opportunity').describe();
    const cur = d.fields.find((f) => f.name === 'CurrencyIsoCode')!;
    assert.deepEqual(
      cur.picklistValues!.map((p) => p.value),
      ['USD', 'EUR', 'GBP', 'JPY'],
    );
    const opps = await mc.conn.query<{ CurrencyIsoCode: string }>(
      'SELECT Id, CurrencyIsoCode FROM Opportunity',
    );
    assert.ok(new Set(opps.records.map((o) => o.CurrencyIsoCode)).size > 1);
    const created = await mc.conn
      .sobject('Opportunity')
      .create({ Name: 'M', StageName: 'Prospecting', CloseDate: '2025-01-01' });
    const rec = (await mc.conn.sobject('Opportunity').retrieve(created.id!)) as unknown as Opp;
    assert.equal(rec.CurrencyIsoCode, 'USD', 'defaults to the corporate currency');
    const bad = await mc.raw('POST', `${API}/sobjects/Opportunity`, {
      Name: 'M',
      StageName: 'Prospecting',
      CloseDate: '2025-01-01',
      CurrencyIsoCode: 'XXX',
    });
    assert.equal(
      (bad.body as { errorCode: string }[])[0]!.errorCode,
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    );
    const types = await mc.conn.query<{ IsoCode: string; IsCorporate: boolean }>(
      'SELECT IsoCode, ConversionRate, IsCorporate FROM CurrencyType',
    );
    assert.deepEqual(
      types.records.filter((t) => t.IsCorporate).map((t) => t.IsoCode),
      ['USD'],
    );
    const rates = await mc.conn.query<{ StartDate: string; NextStartDate: string }>(
      "SELECT IsoCode, ConversionRate, StartDate, NextStartDate FROM DatedConversionRate WHERE IsoCode = 'EUR' ORDER BY StartDate",
    );
    assert.ok(rates.records.length >= 8, 'quarterly periods over two years');
    for (let i = 1; i < rates.records.length; i++)
      assert.equal(
        rates.records[i]!.StartDate,
        rates.records[i - 1]!.NextStartDate,
        'periods are contiguous',
      );
    assert.equal(rates.records.at(-1)!.NextStartDate, '9999-12-31');
  } finally {
    await mc.close();
  }
});
