// The Salesforce adapter against the Salesforce emulator: both OAuth flows, a full change-feed
// read, the import stream in pages, multi-currency orgs, an expiring token and a spent budget.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../emulators/salesforce/index.js';
import { isDealbridgeError } from '../errors/index.js';
import { createSalesforceAdapter, type SalesforceAdapter } from './adapter.js';

const fast = { maxAttempts: 3, baseMs: 1, capMs: 10, maxWaitMs: 1000 };
const EPOCH = { modstamp: '2000-01-01T00:00:00.000Z', id: '' };

async function all<T>(it: AsyncIterable<T[]>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const p of it) pages.push(p);
  return pages;
}

describe('Salesforce adapter (emulator, demo org)', () => {
  let emu: SalesforceEmulator;
  let sf: SalesforceAdapter;
  before(async () => {
    emu = await createSalesforceEmulator({ seed: 'demo' });
    sf = await createSalesforceAdapter({
      loginUrl: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      apiVersion: '62.0',
      budgetPercent: 80,
      retryPolicy: fast,
    });
  });
  after(async () => {
    sf.close();
    await emu.close();
  });

  it('org metadata: org info, users, stages, record types, fields', async () => {
    const org = await sf.orgInfo();
    assert.match(org.organizationId, /^00D/);
    assert.equal(org.multiCurrency, false);
    assert.match(org.corporateCurrency, /^[A-Z]{3}$/);
    const users = await sf.users();
    assert.ok(users.length > 0 && users.every((u) => u.Id.startsWith('005')));
    const stages = await sf.opportunityStages();
    assert.ok(stages.some((s) => s.IsWon && s.IsClosed));
    assert.ok(stages.every((s, i) => i === 0 || stages[i - 1]!.SortOrder <= s.SortOrder));
    await sf.opportunityRecordTypes();
    const fields = await sf.opportunityFields();
    assert.ok(fields.some((f) => f.name === 'StageName' && (f.picklistValues?.length ?? 0) > 0));
    assert.deepEqual(await sf.currencyRates(), []);
    assert.match(await sf.serverTime(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("a record type's sales process from the UI API; whether Master opportunities exist", async () => {
    const renewal = (await sf.opportunityRecordTypes()).find((r) => r.Name === 'Renewal');
    assert.ok(renewal);
    assert.deepEqual(await sf.salesProcessStages(renewal.Id), [
      'Qualification',
      'Proposal/Price Quote',
      'Negotiation/Review',
      'Closed Won',
      'Closed Lost',
    ]);
    assert.ok((await sf.opportunityStages()).every((s) => s.Id.startsWith('01J')));
    // The demo org's opportunities all have a record type: no Master ones.
    assert.equal(await sf.hasMasterOpportunities(), false);
  });

  it('change feed from the start: every opportunity once, ordered by (SystemModstamp, Id), with roles', async () => {
    const opps = (await all(sf.opportunitiesChangedSince(EPOCH, { extraFields: [] }))).flat();
    assert.ok(opps.length > 0);
    assert.equal(new Set(opps.map((o) => o.Id)).size, opps.length);
    for (let i = 1; i < opps.length; i++) {
      const a = opps[i - 1]!;
      const b = opps[i]!;
      assert.ok(
        a.SystemModstamp < b.SystemModstamp || (a.SystemModstamp === b.SystemModstamp && a.Id < b.Id),
        'order',
      );
    }
    for (const o of opps) {
      if (o.Amount !== null) assert.match(o.Amount, /^-?\d+(\.\d+)?$/);
      assert.match(o.SystemModstamp, /Z$/);
      for (const r of o.contactRoles) assert.equal(r.OpportunityId, o.Id);
    }
    assert.ok(opps.some((o) => o.contactRoles.length > 0));
    // a cursor in the middle returns exactly the tail
    const midAt = Math.floor(opps.length / 2);
    const mid = opps[midAt]!;
    const tail = (
      await all(
        sf.opportunitiesChangedSince({ modstamp: mid.SystemModstamp, id: mid.Id }, { extraFields: [] }),
      )
    ).flat();
    assert.deepEqual(
      tail.map((o) => o.Id),
      opps.slice(midAt + 1).map((o) => o.Id),
      'the rows after the cursor, the cursor row itself not again',
    );

    const byId = await sf.opportunitiesByIds([opps[0]!.Id, opps[1]!.Id, '006000000000000AAA'], {
      extraFields: ['NextStep'],
    });
    assert.deepEqual(byId.map((o) => o.Id).sort(), [opps[0]!.Id, opps[1]!.Id].sort());
    assert.ok(byId.every((o) => 'NextStep' in o.extra));

    const roles = (await all(sf.contactRolesChangedSince(EPOCH))).flat();
    const contactIds = [...new Set(roles.map((r) => r.ContactId))];
    const contacts = await sf.contactsByIds(contactIds);
    assert.equal(contacts.length, contactIds.length);
    const accountIds = [...new Set(opps.map((o) => o.AccountId).filter((a): a is string => a !== null))];
    assert.equal((await sf.accountsByIds(accountIds)).length, accountIds.length);
    assert.ok((await all(sf.accountsChangedSince(EPOCH))).flat().length >= accountIds.length);
  });

  it('the import stream in pages, resumable by Id', async () => {
    const small = await createSalesforceAdapter({
      loginUrl: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      apiVersion: '62.0',
      budgetPercent: 80,
      batchSize: 200,
    });
    const pages = await all(small.allOpportunities(null, { extraFields: [] }));
    const ids = pages.flat().map((o) => o.Id);
    assert.deepEqual([...ids].sort(), ids);
    const resumed = (await all(small.allOpportunities(ids[2]!, { extraFields: [] }))).flat();
    assert.deepEqual(
      resumed.map((o) => o.Id),
      ids.slice(3),
    );
  });

  it('countOpportunities: the live opportunities the import streams (deleted ones not counted)', async () => {
    const live = (await all(sf.allOpportunities(null, { extraFields: [] }))).flat();
    assert.ok(live.length > 0);
    assert.equal(await sf.countOpportunities(), live.length);
    // A deleted opportunity leaves the count, as it leaves the import's stream.
    const victim = live[live.length - 1]!;
    const del = await fetch(`${emu.url}/services/data/v62.0/sobjects/Opportunity/${victim.Id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sf.client.conn.accessToken}` },
    });
    assert.equal(del.status, 204);
    assert.equal(await sf.countOpportunities(), live.length - 1);
  });

  it('getDeleted window', async () => {
    const now = await sf.serverTime();
    const start = new Date(Date.parse(now) - 86_400_000).toISOString();
    const d = await sf.deletedOpportunities(start, now);
    assert.ok(Array.isArray(d.deleted));
    assert.match(d.latestDateCovered, /Z$/);
  });

  it('every live opportunity Id in pages, ordered; deleted ones left out (the full comparison)', async () => {
    const small = await createSalesforceAdapter({
      loginUrl: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      apiVersion: '62.0',
      budgetPercent: 80,
      batchSize: 200,
    });
    const live = (await all(small.allOpportunities(null, { extraFields: [] }))).flat().map((o) => o.Id);
    assert.ok(live.length > 200, 'the demo org needs more than one page');
    const deleted = live[1]!;
    const t = await emu.admin.issueTokens();
    const res = await fetch(`${t.instanceUrl}/services/data/v62.0/sobjects/Opportunity/${deleted}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${t.accessToken}` },
    });
    assert.equal(res.status, 204);
    const pages = await all(small.allOpportunityIds());
    assert.ok(pages.length > 1);
    assert.deepEqual(
      pages.flat(),
      live.filter((id) => id !== deleted),
    );
  });
});

describe('Salesforce adapter (emulator, other orgs)', () => {
  it('multi-currency org: CurrencyIsoCode selected, rates read', async () => {
    const emu = await createSalesforceEmulator({ seed: 'demo', seedOptions: { multiCurrency: true } });
    try {
      const sf = await createSalesforceAdapter({
        loginUrl: emu.url,
        clientId: emu.clientId,
        clientSecret: emu.clientSecret,
        apiVersion: '62.0',
        budgetPercent: 80,
      });
      const org = await sf.orgInfo();
      assert.equal(org.multiCurrency, true);
      const opps = (await all(sf.opportunitiesChangedSince(EPOCH, { extraFields: [] }))).flat();
      assert.ok(opps.every((o) => o.CurrencyIsoCode !== null));
      const rates = await sf.currencyRates();
      assert.ok(rates.length > 0);
      assert.ok(rates.every((r) => /^\d+(\.\d+)?$/.test(r.ConversionRate)));
      if (org.datedRates) assert.ok(rates.every((r) => r.StartDate !== null));
    } finally {
      await emu.close();
    }
  });

  it('refresh-token flow survives an expired access token; a spent budget stops requests', async () => {
    const emu = await createSalesforceEmulator({ seed: 'demo', tokenTtlSeconds: 1, dailyApiAllocation: 40 });
    try {
      const tokens = await emu.admin.issueTokens();
      const sf = await createSalesforceAdapter({
        loginUrl: emu.url,
        clientId: emu.clientId,
        clientSecret: emu.clientSecret,
        refreshToken: tokens.refreshToken,
        apiVersion: '62.0',
        budgetPercent: 50,
      });
      await sf.users();
      await new Promise((r) => setTimeout(r, 1300));
      assert.ok((await sf.users()).length > 0, 'refreshed and replayed');
      let stopped: unknown;
      for (let i = 0; i < 40 && !stopped; i++) {
        try {
          await sf.users();
        } catch (e) {
          stopped = e;
        }
      }
      assert.ok(isDealbridgeError(stopped) && stopped.code === 'SALESFORCE_LIMIT_REACHED', String(stopped));
      const u = sf.usage()!;
      assert.ok(u.used >= 20 && u.used <= 22, `stopped at ${u.used}/${u.max}`);
    } finally {
      await emu.close();
    }
  });
});

describe('Salesforce adapter: answers that cannot be read (emulator faults)', () => {
  let emu: SalesforceEmulator;
  let sf: SalesforceAdapter;
  const fault = (spec: Record<string, unknown>) =>
    emu.admin.call('POST', 'faults', { route: 'query', ...spec });
  const rejectsWith = (p: Promise<unknown>, code: string, message?: RegExp) =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(isDealbridgeError(e) && e.code === code, String(e));
      if (message) assert.match(e.message, message);
      return true;
    });
  before(async () => {
    emu = await createSalesforceEmulator({ seed: 'demo' });
    sf = await createSalesforceAdapter({
      loginUrl: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      apiVersion: '62.0',
      budgetPercent: 80,
      retryPolicy: fast,
      bodyTimeoutMs: 200,
    });
  });
  after(async () => {
    sf.close();
    await emu.close();
  });

  it('a 200 that is not JSON (cut off, a maintenance page) is retried; lasting, SALESFORCE_BAD_RESPONSE', async () => {
    await fault({ rawBody: '{"totalSize":3,"done":tr', times: 1 });
    await fault({ rawBody: '<html>Down for maintenance</html>', contentType: 'text/html', times: 1 });
    assert.ok((await sf.users()).length > 0);
    await fault({ rawBody: '{"totalSize":3,"done":tr', times: 3 });
    await rejectsWith(
      sf.users(),
      'SALESFORCE_BAD_RESPONSE',
      /^Salesforce answered GET \/services\/data\/v62\.0\/query with HTTP 200 and a body that is not JSON, 3 times: "\{\\"totalSize/,
    );
  });

  it('an answer broken off while read is retried, without waiting for the connection to time out', async () => {
    await fault({ truncateAfter: 20, times: 1 });
    const t = Date.now();
    assert.ok((await sf.users()).length > 0);
    assert.ok(Date.now() - t < 5000, `${Date.now() - t} ms`);
    await fault({ truncateAfter: 20, times: 3 });
    await rejectsWith(sf.users(), 'SALESFORCE_BAD_RESPONSE', /broke off while it was read/);
  });

  it('JSON that is not what the API documents is SALESFORCE_BAD_RESPONSE naming the call and the field', async () => {
    await fault({
      rawBody: JSON.stringify({
        totalSize: 1,
        done: true,
        records: [{ Id: 'not-an-id', Email: 'x@y.example' }],
      }),
      times: 1,
    });
    await rejectsWith(
      sf.users(),
      'SALESFORCE_BAD_RESPONSE',
      /^Salesforce users: Salesforce's answer is not what its API documents at Id: /,
    );
    await fault({ rawBody: '{"totalSize":1}', times: 1 });
    await rejectsWith(sf.users(), 'SALESFORCE_BAD_RESPONSE', /at done: /);
  });
});
