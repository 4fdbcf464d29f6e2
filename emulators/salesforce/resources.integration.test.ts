// What the emulator answers for resources it does not serve, unknown sObject types and unknown ids
// (as Salesforce answers them), the version resource, and jsforce's identity() with a token only
// and after an OAuth login.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import { API, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
let oppId: string;
before(async () => {
  org = await startOrg({ seed: 'demo' });
  oppId = (await org.conn.query<{ Id: string }>('SELECT Id FROM Opportunity LIMIT 1')).records[0]!.Id;
});
after(() => org.close());

const NOT_FOUND = [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];

test('sub-resources the emulator does not serve answer NOT_FOUND, not an external-ID error', async () => {
  for (const path of [
    'sobjects/Opportunity/listviews',
    'sobjects/Opportunity/quickActions',
    'sobjects/Opportunity/defaultValues',
    'sobjects/Opportunity/describe/layouts',
    'sobjects/Opportunity/describe/compactLayouts',
    `sobjects/Opportunity/${oppId}/OpportunityContactRoles`,
    `sobjects/Opportunity/${oppId}/Account/extra`,
    'tooling/sobjects',
    'search',
    'composite/tree/Account',
  ]) {
    const r = await org.raw('GET', `${API}/${path}`);
    assert.equal(r.status, 404, path);
    assert.deepEqual(r.body, NOT_FOUND, path);
  }
});

test('an unknown sObject type: NOT_FOUND on REST resources, INVALID_TYPE in SOQL and per record in collections', async () => {
  for (const [method, path] of [
    ['GET', 'sobjects/Opportunityy'],
    ['GET', 'sobjects/Opportunityy/describe'],
    ['POST', 'sobjects/Opportunityy'],
    ['GET', `sobjects/Opportunityy/${oppId}`],
  ] as const) {
    const r = await org.raw(method, `${API}/${path}`, method === 'POST' ? { Name: 'x' } : undefined);
    assert.equal(r.status, 404, path);
    assert.deepEqual(r.body, NOT_FOUND, path);
  }
  const q = await org.raw('GET', `${API}/query?q=${encodeURIComponent('SELECT Id FROM Opportunityy')}`);
  assert.equal(q.status, 400);
  assert.equal((q.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_TYPE');
  const coll = await org.raw('POST', `${API}/composite/sobjects`, {
    records: [
      { attributes: { type: 'Opportunityy' }, Name: 'x' },
      { attributes: { type: 'Account' }, Name: 'Still saved' },
    ],
  });
  const [bad, good] = coll.body as { success: boolean; errors: { statusCode: string; message: string }[] }[];
  assert.deepEqual(bad!.errors, [
    { statusCode: 'INVALID_TYPE', message: "sObject type 'Opportunityy' is not supported.", fields: [] },
  ]);
  assert.equal(good!.success, true, 'the rest of the batch is saved');
});

test('unknown ids: a well-formed id that does not exist, a deleted one, a malformed one', async () => {
  const missing = oppId.slice(0, 9) + 'ZZZZZZ'; // 15 characters, right key prefix, no such record
  const r = await org.raw('GET', `${API}/sobjects/Opportunity/${missing}`);
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, NOT_FOUND);
  const p = await org.raw('PATCH', `${API}/sobjects/Opportunity/${missing}`, { Amount: 1 });
  assert.equal(p.status, 404);
  assert.deepEqual(p.body, NOT_FOUND);

  const made = await org.conn.sobject('Account').create({ Name: 'Short lived' });
  await org.conn.sobject('Account').destroy(made.id!);
  const gone = await org.raw('GET', `${API}/sobjects/Account/${made.id!}`);
  assert.equal(gone.status, 404);
  assert.equal((gone.body as { errorCode: string }[])[0]!.errorCode, 'ENTITY_IS_DELETED');

  // Salesforce reads a segment that is no id of the type as an external-ID field name.
  const odd = await org.raw('GET', `${API}/sobjects/Opportunity/not-an-id`);
  assert.equal(odd.status, 404);
  assert.deepEqual(odd.body, [
    {
      errorCode: 'NOT_FOUND',
      message: 'Provided external ID field does not exist or is not accessible: not-an-id',
    },
  ]);
});

test('the version resource lists the resources served, each of which answers, plus the identity URL', async () => {
  const r = await org.raw('GET', `${API}/`);
  assert.equal(r.status, 200);
  const body = r.body as Record<string, string>;
  assert.deepEqual(Object.keys(body).sort(), [
    'composite',
    'identity',
    'limits',
    'query',
    'queryAll',
    'sobjects',
    'tooling',
    'ui-api',
  ]);
  assert.equal(body.sobjects, `${API}/sobjects`);
  const state = (await org.admin('GET', 'state')).body as { orgId: string; apiUserId: string };
  assert.equal(body.identity, `${org.emu.url}/id/${state.orgId}/${state.apiUserId}`);
  for (const name of ['sobjects', 'limits'])
    assert.equal((await org.raw('GET', body[name]!)).status, 200, `${name} answers`);
});

test("jsforce identity() with an access token and instance URL only (it reads the version resource's identity)", async () => {
  const conn = new jsforce.Connection({
    instanceUrl: org.emu.url,
    accessToken: org.accessToken,
    version: '62.0',
  });
  const id = await conn.identity();
  const state = (await org.admin('GET', 'state')).body as { orgId: string; apiUserId: string };
  assert.equal(id.user_id, state.apiUserId);
  assert.equal(id.organization_id, state.orgId);
  assert.equal(typeof id.username, 'string');
});

test('jsforce identity() after an OAuth login uses the id URL from the token response', async () => {
  const users = (await org.conn.query<{ Username: string; Id: string }>('SELECT Id, Username FROM User'))
    .records;
  const user = users[1]!;
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: org.emu.url, clientId: org.emu.clientId, clientSecret: org.emu.clientSecret },
    loginUrl: org.emu.url,
    version: '62.0',
  });
  await conn.login(user.Username, org.emu.password);
  await org.admin('DELETE', 'stats');
  const id = await conn.identity();
  assert.equal(id.user_id, user.Id);
  assert.equal(id.username, user.Username);
  const stats = (await org.admin('GET', 'stats')).body as { routes: Record<string, unknown> };
  assert.equal(stats.routes.resources, undefined, 'no version-resource call needed');
  assert.ok(stats.routes['oauth.identity'], 'the id URL was called');
});

test('the identity URL takes the token as oauth_token, and refuses a request without one', async () => {
  const state = (await org.admin('GET', 'state')).body as { orgId: string; apiUserId: string };
  const url = `${org.emu.url}/id/${state.orgId}/${state.apiUserId}`;
  const withParam = await fetch(`${url}?format=json&oauth_token=${encodeURIComponent(org.accessToken)}`);
  assert.equal(withParam.status, 200);
  const without = await fetch(`${url}?format=json`);
  assert.equal(without.status, 401);
});
