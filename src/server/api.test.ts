// The web UI's JSON API in-process (inject), over the engine's fakes: every page's data and
// action, the same engine state the CLI reads, and the security rules (session, CSRF, no secret
// in any response).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STAGE_MAP_SETTING, type StoredStageMap } from '../engine/mapping/sync-context.js';
import { readSettings } from '../engine/user-settings.js';
import { apiClient as client, TEST_SECRETS, type ApiClient as Client } from './testing.js';

/** An opportunity whose contact is in HubSpot (in scope). */
function inScope(c: Client, fields: Record<string, unknown> = {}, email = 'ann@example.com') {
  const contact = c.rt.sf.addContact({ Email: email, LastName: 'Ann' });
  if (!c.rt.hs.live('contacts').some((x) => x.properties.email === email)) c.rt.hs.addContact(email);
  return c.rt.sf.addOpportunity({ Name: 'Acme renewal', ...fields }, [contact.Id]);
}

function assertNoSecrets(body: string) {
  for (const s of Object.values(TEST_SECRETS)) assert.ok(!body.includes(s), `response leaks a secret: ${s}`);
}

describe('web API', () => {
  test('without a session every API route answers 401 and nothing else', async () => {
    const c = await client();
    for (const url of [
      '/api/settings',
      '/api/health',
      '/api/import',
      '/api/records?q=a',
      '/api/errors.csv',
      '/api/events',
    ]) {
      const r = await c.app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 401, url);
      assert.doesNotMatch(r.body, /Acme|opportunity|pipeline/i);
    }
    const w = await c.app.inject({
      method: 'PUT',
      url: '/api/settings/opportunitySync',
      payload: { value: 'on' },
    });
    assert.equal(w.statusCode, 401);
    assert.equal((await readSettings(c.rt.store)).opportunitySync, false);
  });

  test('settings: the Opportunity sync setting goes through writeSetting (cursor start), and back off', async () => {
    const c = await client();
    const view = (await c.get('/api/settings')).json();
    assert.equal(view.settings.opportunitySync, false);
    const on = await c.send('PUT', '/api/settings/opportunitySync', { value: 'on' });
    assert.equal(on.status, 200, on.body);
    assert.equal(on.json().changed, true);
    assert.equal(on.json().cursorStart, c.rt.sf.now());
    assert.equal((await readSettings(c.rt.store)).opportunitySync, true);
    const off = await c.send('PUT', '/api/settings/opportunitySync', { value: 'off' });
    assert.equal(off.json().value, false);
    assert.equal((await readSettings(c.rt.store)).opportunitySync, false);
    const bad = await c.send('PUT', '/api/settings/recentDealAmountRule', { value: 'newest' });
    assert.equal(bad.status, 400);
    assert.match(bad.json().message, /created or closed/);
    const unknown = await c.send('PUT', '/api/settings/nope', { value: 'x' });
    assert.equal(unknown.status, 404);
    const noCsrf = await c.app.inject({
      method: 'PUT',
      url: '/api/settings/lifecycleStage',
      payload: { value: 'off' },
    });
    assert.equal(noCsrf.statusCode, 401);
  });

  test('settings: stage map rows per record type with won/lost invariant problems, and a user mapping', async () => {
    const c = await client();
    let view = (await c.get('/api/settings')).json();
    assert.equal(view.stageMap.problems, 0);
    const rows = view.stageMap.recordTypes[0].rows;
    assert.deepEqual(
      rows.map((r: { apiName: string; kind: string }) => `${r.apiName}:${r.kind}`),
      ['Prospecting:open', 'Negotiation:open', 'Closed Won:won', 'Closed Lost:lost'],
    );
    // Won → a lost stage: the invariant is broken and the row says so.
    const put = await c.send('PUT', '/api/stage-map', {
      recordType: 'default',
      stage: 'Closed Won',
      pipelineId: 'p1',
      stageId: 'p1-lost',
    });
    assert.equal(put.status, 200, put.body);
    assert.equal(put.json().ok, false);
    view = (await c.get('/api/settings')).json();
    assert.equal(view.stageMap.source, 'user');
    const won = view.stageMap.recordTypes[0].rows.find(
      (r: { apiName: string }) => r.apiName === 'Closed Won',
    );
    assert.match(won.problem, /won stage "Closed Won" must map to a closed stage with probability 1.0/);
    const stored = await c.rt.store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
    assert.equal(stored?.map.default?.['Closed Won']?.stageId, 'p1-lost');
    const fixed = await c.send('PUT', '/api/stage-map', {
      recordType: 'default',
      stage: 'Closed Won',
      pipelineId: 'p1',
      stageId: 'p1-won',
    });
    assert.equal(fixed.json().ok, true);
    const wrong = await c.send('PUT', '/api/stage-map', {
      recordType: 'default',
      stage: 'Closed Won',
      pipelineId: 'p1',
      stageId: 'nope',
    });
    assert.equal(wrong.status, 400);
  });

  test('settings: a custom field mapping is type-checked before it is saved; default rules change', async () => {
    const c = await client();
    c.rt.sf.opportunityFields = async () => [
      { name: 'Name', label: 'Name', type: 'string' },
      { name: 'NextStep', label: 'Next Step', type: 'string' },
      { name: 'Probability', label: 'Probability (%)', type: 'percent' },
    ];
    c.rt.hs.props.deals.push({
      name: 'next_step',
      label: 'Next step',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
    });
    const incompatible = await c.send('POST', '/api/field-mappings/check', {
      salesforceField: 'Probability',
      hubspotProperty: 'next_step',
    });
    assert.equal(incompatible.json().ok, false);
    assert.match(
      incompatible.json().problem,
      /percent field cannot be written to HubSpot deal property "next_step" of type string/,
    );
    const refused = await c.send('POST', '/api/field-mappings', {
      salesforceField: 'Probability',
      hubspotProperty: 'next_step',
      rule: 'two_way',
    });
    assert.equal(refused.status, 422);
    const saved = await c.send('POST', '/api/field-mappings', {
      salesforceField: 'NextStep',
      hubspotProperty: 'next_step',
      rule: 'prefer_salesforce_unless_blank',
    });
    assert.equal(saved.status, 200, saved.body);
    let view = (await c.get('/api/settings')).json();
    assert.deepEqual(view.fieldMappings.custom, [
      {
        salesforceField: 'NextStep',
        hubspotProperty: 'next_step',
        rule: 'prefer_salesforce_unless_blank',
        custom: true,
      },
    ]);
    const protectedOne = await c.send('POST', '/api/field-mappings', {
      salesforceField: 'NextStep',
      hubspotProperty: 'dealname',
      rule: 'two_way',
    });
    assert.equal(protectedOne.status, 422);
    const rule = await c.send('PUT', '/api/field-mappings/default/description', { rule: 'dont_sync' });
    assert.equal(rule.status, 200);
    view = (await c.get('/api/settings')).json();
    const desc = view.fieldMappings.defaults.find(
      (d: { hubspotProperty: string }) => d.hubspotProperty === 'description',
    );
    assert.equal(desc.rule, 'dont_sync');
    assert.equal(
      (await c.send('PUT', '/api/field-mappings/default/dealname', { rule: 'dont_sync' })).status,
      400,
    );
    await c.send('DELETE', '/api/field-mappings/next_step');
    view = (await c.get('/api/settings')).json();
    assert.deepEqual(view.fieldMappings.custom, []);
  });

  test('settings: the Type value map is set as JSON, shown back, and refused with a message when malformed', async () => {
    const c = await client();
    const ok = await c.send('PUT', '/api/settings/typeValueMap', { value: '{"Legacy Deal":"newbusiness"}' });
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual((await c.get('/api/settings')).json().settings.typeValueMap, {
      'Legacy Deal': 'newbusiness',
    });
    const badJson = await c.send('PUT', '/api/settings/typeValueMap', { value: '{"Legacy Deal":' });
    assert.equal(badJson.status, 400);
    assert.match(badJson.body, /typeValueMap: expected a JSON object/);
    const badValue = await c.send('PUT', '/api/settings/typeValueMap', { value: '{"Legacy Deal":""}' });
    assert.equal(badValue.status, 400);
  });

  test('settings: the language of the property labels is en by default, set to de, refused otherwise', async () => {
    const c = await client();
    assert.equal((await c.get('/api/settings')).json().settings.language, 'en');
    const ok = await c.send('PUT', '/api/settings/language', { value: 'de' });
    assert.equal(ok.status, 200, ok.body);
    assert.equal((await c.get('/api/settings')).json().settings.language, 'de');
    const bad = await c.send('PUT', '/api/settings/language', { value: 'fr' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /language: expected en or de, got \\"fr\\"/);
  });

  test('settings: owners matched by email and the unmatched listed', async () => {
    const c = await client();
    c.rt.sf.userList.push({ Id: '005U2', Email: 'nobody@example.com', Name: 'No Body', IsActive: true });
    const view = (await c.get('/api/settings')).json();
    assert.deepEqual(
      view.owners.matched.map((m: { userId: string; ownerId: string }) => `${m.userId}→${m.ownerId}`),
      ['005U1→9001'],
    );
    assert.deepEqual(view.owners.unmatched, [
      { userId: '005U2', name: 'No Body', email: 'nobody@example.com' },
    ]);
    assertNoSecrets(JSON.stringify(view));
  });

  test('health: warning cards apart from error cards, with the fix, CSV export, resync selected clears a fixed record', async () => {
    const c = await client();
    await c.send('PUT', '/api/settings/opportunitySync', { value: 'on' });
    const good = inScope(c);
    const bad = inScope(c, { Name: 'Bad type', Type: 'Partner Referral' }, 'bob@example.com');
    await (await c.rt.engine()).runPass();
    let health = (await c.get('/api/health')).json();
    assert.equal(health.status.opportunitySync, true);
    // The deal synced without dealtype: a warning, not an error.
    assert.deepEqual(health.errorGroups, []);
    assert.equal(health.status.errors.total, 0);
    assert.deepEqual(health.status.warnings, { total: 1, byCode: { INVALID_PICKLIST: 1 } });
    assert.equal((await c.get('/api/overview')).json().warnings, 1);
    assert.equal(health.warningGroups.length, 1);
    const card = health.warningGroups[0];
    assert.equal(card.code, 'INVALID_PICKLIST');
    assert.equal(card.severity, 'warning');
    assert.equal(card.records[0].nextRetryAt, null);
    assert.equal(card.count, 1);
    assert.ok(card.fix.length > 10);
    assert.equal(card.records[0].recordKey, `opportunity:${bad.Id}`);
    assert.equal(card.records[0].name, 'Bad type');
    assert.ok(health.api.hubspot.hourly.length === 24);
    assert.ok(health.api.hubspot.total > 0);

    const csv = await c.get('/api/errors.csv');
    assert.equal(csv.status, 200);
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^record,name,severity,code,/);
    assert.match(lines[1] ?? '', new RegExp(`^opportunity:${bad.Id},Bad type,warning,INVALID_PICKLIST,`));

    // Still bad: resync keeps the warning.
    let r = await c.send('POST', '/api/resync', { recordKeys: [`opportunity:${bad.Id}`] });
    assert.deepEqual(r.json().stillFailing, []);
    assert.deepEqual(r.json().stillWarning, [`opportunity:${bad.Id}`]);
    c.rt.sf.updateOpportunity(bad.Id, { Type: 'New Business' });
    r = await c.send('POST', '/api/resync', { recordKeys: [`opportunity:${bad.Id}`] });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json().stillFailing, []);
    assert.equal(r.json().synced, 1);
    health = (await c.get('/api/health')).json();
    assert.equal(health.errorGroups.length, 0);
    assert.equal(health.warningGroups.length, 0);
    assert.equal(c.rt.hs.dealByOpportunity(bad.Id)?.properties.dealtype, 'newbusiness');
    assert.ok(c.rt.hs.dealByOpportunity(good.Id));
    assert.equal((await c.send('POST', '/api/resync', { recordKeys: [] })).status, 400);
  });

  test('records: find by name or id, the deal, associations and field-by-field history; resync now', async () => {
    const c = await client();
    await c.send('PUT', '/api/settings/opportunitySync', { value: 'on' });
    const opp = inScope(c, { Name: 'Globex expansion', Amount: '5000' });
    inScope(c, { Name: 'Initech pilot' }, 'ivy@example.com');
    await (await c.rt.engine()).runPass();
    c.rt.sf.updateOpportunity(opp.Id, { Amount: '7500.5' });
    await (await c.rt.engine()).runPass();

    const byName = (await c.get('/api/records?q=globex')).json();
    assert.deepEqual(
      byName.results.map((h: { id: string }) => h.id),
      [opp.Id],
    );
    const byId = (await c.get(`/api/records?q=${opp.Id}`)).json();
    assert.equal(byId.results[0].name, 'Globex expansion');
    const view = (await c.get(`/api/records/${opp.Id}`)).json();
    const deal = c.rt.hs.dealByOpportunity(opp.Id);
    assert.equal(view.deal.id, deal?.id);
    assert.equal(view.deal.current.amount, '7500.5');
    assert.equal(view.contacts.length, 1);
    assert.ok(view.contacts[0].hubspotId);
    const amounts = view.history.filter((h: { field: string }) => h.field === 'amount');
    assert.deepEqual(
      amounts.map((h: { oldValue: string | null; newValue: string }) => `${h.oldValue}→${h.newValue}`).sort(),
      ['5000→7500.5', 'null→5000'],
    );
    assert.deepEqual(view.conflicts, [], 'no conflict yet');
    // A two-way conflict kept by the HubSpot → Salesforce direction: the record page lists it.
    await c.rt.memory.appendAudit([
      {
        at: '2024-05-01T10:10:00.000Z',
        target: `opportunity:${opp.Id}`,
        sourceKey: `deal:${deal?.id}`,
        field: 'Amount',
        oldValue: '9000',
        newValue: '9500',
        reason: 'conflict',
        runId: null,
        salesforceAt: '2024-05-01T10:05:00.000Z',
        hubspotAt: '2024-05-01T10:06:00.000Z',
      },
    ]);
    const [conflict] = (await c.get(`/api/records/${opp.Id}`)).json().conflicts;
    assert.deepEqual(
      [conflict.field, conflict.newValue, conflict.oldValue, conflict.salesforceAt, conflict.hubspotAt],
      ['Amount', '9500', '9000', '2024-05-01T10:05:00.000Z', '2024-05-01T10:06:00.000Z'],
    );
    const resync = await c.send('POST', `/api/records/${opp.Id}/resync`);
    assert.equal(resync.json().synced, 1);
    assert.equal((await c.get('/api/records/006NOPE000000000')).status, 404);
    assert.equal((await c.get('/api/records/bad!')).status, 400);
  });

  test('import: preview (dry run) then start, the job reaches done and the run is stored', async () => {
    const c = await client();
    inScope(c, { Name: 'Old deal 1' });
    inScope(c, { Name: 'Old deal 2' }, 'zoe@example.com');
    c.rt.sf.addOpportunity({ Name: 'No roles' });
    const p = await c.send('POST', '/api/import/preview');
    assert.equal(p.status, 202);
    await c.ctx.imports.settle();
    let state = (await c.get('/api/import')).json();
    assert.equal(state.job.kind, 'preview');
    assert.equal(state.job.state, 'done', JSON.stringify(state.job.error));
    assert.equal(state.job.preview.create, 2);
    assert.equal(state.job.preview.skip, 1);
    assert.equal(c.rt.hs.live('deals').length, 0);
    const s = await c.send('POST', '/api/import/start');
    assert.equal(s.status, 202);
    if (c.ctx.imports.current?.state === 'running')
      assert.throws(() => c.ctx.imports.start('preview'), /already running/);
    await c.ctx.imports.settle();
    state = (await c.get('/api/import')).json();
    assert.equal(state.job.state, 'done', JSON.stringify(state.job.error));
    assert.equal(state.job.progress.phase, 'done');
    assert.equal(state.job.progress.created, 2);
    const real = state.runs.filter((r: { status: string }) => r.status !== 'dry-run');
    assert.equal(real[0].status, 'completed');
    assert.equal(c.rt.hs.live('deals').length, 2);
  });

  test('a remote error reaches the page with its code and without the secret it echoed', async () => {
    const c = await client();
    c.rt.hs.faults.set('dealPipelines', [
      Object.assign(new Error(`401 for token ${TEST_SECRETS.hubspotToken}`), { code: 'AUTH_FAILED' }),
    ]);
    const r = await c.get('/api/settings');
    assert.equal(r.status, 502);
    assert.equal(r.json().error, 'AUTH_FAILED');
    assertNoSecrets(r.body);
    assert.match(r.body, /\[redacted\]/);
  });

  test('live updates: the SSE stream is behind the session and carries import events', async () => {
    const c = await client();
    const seen: string[] = [];
    const unsubscribe = c.ctx.hub.subscribe((e) => seen.push(e.topic));
    await c.send('POST', '/api/import/preview');
    await c.ctx.imports.settle();
    unsubscribe();
    assert.ok(seen.includes('import'));
  });
});
