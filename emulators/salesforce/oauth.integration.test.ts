// Point 1: OAuth 2.0 grants, token expiry and jsforce's refresh after a 401.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import jsforce from 'jsforce';
import { API, rawFetch, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: 'demo', tokenTtlSeconds: 600 });
});
after(() => org.close());

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const token = (body: Record<string, string>) =>
  rawFetch(`${org.emu.url}/services/oauth2/token`, 'POST', form(body), {
    'Content-Type': 'application/x-www-form-urlencoded',
  });

test('client_credentials answers like Salesforce: token, instance_url, id URL ending in /ORGID/USERID', async () => {
  const r = await token({
    grant_type: 'client_credentials',
    client_id: org.emu.clientId,
    client_secret: org.emu.clientSecret,
  });
  assert.equal(r.status, 200);
  const b = r.body as Record<string, string>;
  assert.equal(b.token_type, 'Bearer');
  assert.equal(b.instance_url, org.emu.url);
  assert.match(b.access_token!, /^00D\w{12}!/);
  assert.match(b.issued_at!, /^\d{13}$/);
  assert.ok(b.signature && !('refresh_token' in b));
  const state = (await org.admin('GET', 'state')).body as { orgId: string; apiUserId: string };
  assert.equal(b.id, `${org.emu.url}/id/${state.orgId}/${state.apiUserId}`);
  const q = await rawFetch(`${org.emu.url}${API}/limits`, 'GET', undefined, {
    Authorization: `Bearer ${b.access_token!}`,
  });
  assert.equal(q.status, 200);
});

test('password grant with a user name and the configured password (security token appended is fine)', async () => {
  const users = (await org.conn.query<{ Username: string }>('SELECT Username FROM User')).records;
  const username = users[1]!.Username;
  const ok = await token({
    grant_type: 'password',
    client_id: org.emu.clientId,
    client_secret: org.emu.clientSecret,
    username,
    password: `${org.emu.password}SECTOKEN`,
  });
  assert.equal(ok.status, 200);
  assert.match((ok.body as { id: string }).id, /\/id\/00D\w{15}\/005\w{15}$/);
  const bad = await token({
    grant_type: 'password',
    client_id: org.emu.clientId,
    client_secret: org.emu.clientSecret,
    username,
    password: 'wrong',
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body, { error: 'invalid_grant', error_description: 'authentication failure' });
});

test('bad grants get Salesforce-shaped errors', async () => {
  const wrongClient = await token({
    grant_type: 'client_credentials',
    client_id: 'nope',
    client_secret: 'x',
  });
  assert.equal(wrongClient.status, 400);
  assert.equal((wrongClient.body as { error: string }).error, 'invalid_client_id');
  const wrongSecret = await token({
    grant_type: 'client_credentials',
    client_id: org.emu.clientId,
    client_secret: 'x',
  });
  assert.equal((wrongSecret.body as { error: string }).error, 'invalid_client');
  const badRefresh = await token({
    grant_type: 'refresh_token',
    client_id: org.emu.clientId,
    client_secret: org.emu.clientSecret,
    refresh_token: 'nope',
  });
  assert.deepEqual(badRefresh.body, {
    error: 'invalid_grant',
    error_description: 'expired access/refresh token',
  });
  const unsupported = await token({ grant_type: 'magic', client_id: org.emu.clientId });
  assert.equal((unsupported.body as { error: string }).error, 'unsupported_grant_type');
});

test('refresh_token grant issues a new access token and no new refresh token', async () => {
  const r = await token({
    grant_type: 'refresh_token',
    client_id: org.emu.clientId,
    client_secret: org.emu.clientSecret,
    refresh_token: org.refreshToken,
  });
  assert.equal(r.status, 200);
  const b = r.body as Record<string, string>;
  assert.ok(b.access_token && b.access_token !== org.accessToken);
  assert.equal(b.refresh_token, undefined);
});

const formPost = (path: string, body: Record<string, string>) =>
  rawFetch(`${org.emu.url}${path}`, 'POST', form(body), {
    'Content-Type': 'application/x-www-form-urlencoded',
  });

/** Logs in through the authorize pages and answers the consent page; the redirect's query. */
async function authorize(opts: { challenge?: string; decision?: 'allow' | 'deny'; redirect: string }) {
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: org.emu.clientId,
    redirect_uri: opts.redirect,
    state: 'st-123',
    ...(opts.challenge ? { code_challenge: opts.challenge, code_challenge_method: 'S256' } : {}),
  };
  const login = await rawFetch(
    `${org.emu.url}/services/oauth2/authorize?${new URLSearchParams(params).toString()}`,
    'GET',
  );
  assert.equal(login.status, 200);
  assert.match(login.text, /<form method="post" action="\/services\/oauth2\/authorize">/);
  const users = (await org.conn.query<{ Username: string }>('SELECT Username FROM User')).records;
  const wrong = await formPost('/services/oauth2/authorize', {
    ...params,
    step: 'login',
    username: users[0]!.Username,
    password: 'wrong',
  });
  assert.match(wrong.text, /Please check your username and password/);
  const consent = await formPost('/services/oauth2/authorize', {
    ...params,
    step: 'login',
    username: users[0]!.Username,
    password: org.emu.password,
  });
  assert.match(consent.text, /Allow Access\?/);
  const request = /name="request" value="([^"]+)"/.exec(consent.text)![1]!;
  const done = await formPost('/services/oauth2/authorize', {
    step: 'consent',
    request,
    decision: opts.decision ?? 'allow',
  });
  assert.equal(done.status, 302);
  return new URL(done.headers.get('location')!).searchParams;
}

test('web-server flow: login form, consent, a code with the state passed back, bought once with its PKCE verifier', async () => {
  const redirect = 'http://127.0.0.1:9/callback';
  const verifier = 'v'.repeat(20) + 'abcdefghijklmnopqrstuvwxyz';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = await authorize({ challenge, redirect });
  assert.equal(q.get('state'), 'st-123');
  const code = q.get('code')!;
  const params = {
    grant_type: 'authorization_code',
    code,
    client_id: org.emu.clientId,
    client_secret: org.emu.clientSecret,
    redirect_uri: redirect,
    code_verifier: verifier,
  };
  const first = await token(params);
  assert.equal(first.status, 200);
  const issued = first.body as { refresh_token?: string; access_token: string };
  assert.ok(issued.refresh_token);
  const again = await token(params);
  assert.deepEqual(again.body, { error: 'invalid_grant', error_description: 'invalid authorization code' });

  const info = await rawFetch(`${org.emu.url}/services/oauth2/userinfo`, 'GET', undefined, {
    Authorization: `Bearer ${issued.access_token}`,
  });
  const claims = info.body as Record<string, string>;
  assert.match(claims.organization_id!, /^00D/);
  assert.match(claims.user_id!, /^005/);
  assert.ok(
    claims.preferred_username && claims.sub!.endsWith(`/${claims.organization_id}/${claims.user_id}`),
  );

  // Revoking the refresh token revokes the access tokens issued from it.
  const revoked = await formPost('/services/oauth2/revoke', { token: issued.refresh_token! });
  assert.equal(revoked.status, 200);
  const after = await rawFetch(`${org.emu.url}${API}/limits`, 'GET', undefined, {
    Authorization: `Bearer ${issued.access_token}`,
  });
  assert.equal(after.status, 401);
  const refresh = await token({
    grant_type: 'refresh_token',
    refresh_token: issued.refresh_token!,
    client_id: org.emu.clientId,
  });
  assert.equal((refresh.body as { error: string }).error, 'invalid_grant');
});

test('web-server flow: a wrong or missing code verifier, another redirect URI, and Deny', async () => {
  const redirect = 'http://127.0.0.1:9/callback';
  const challenge = createHash('sha256')
    .update('the-right-verifier-0123456789-abcdefghij')
    .digest('base64url');
  const base = {
    grant_type: 'authorization_code',
    client_id: org.emu.clientId,
    client_secret: org.emu.clientSecret,
  };
  const wrong = await token({
    ...base,
    code: (await authorize({ challenge, redirect })).get('code')!,
    redirect_uri: redirect,
    code_verifier: 'another-verifier-0123456789-abcdefghijklmn',
  });
  assert.deepEqual(wrong.body, { error: 'invalid_grant', error_description: 'invalid code verifier' });
  const missing = await token({
    ...base,
    code: (await authorize({ challenge, redirect })).get('code')!,
    redirect_uri: redirect,
  });
  assert.equal((missing.body as { error_description: string }).error_description, 'invalid code verifier');
  const elsewhere = await token({
    ...base,
    code: (await authorize({ redirect })).get('code')!,
    redirect_uri: 'http://127.0.0.1:9/other',
  });
  assert.equal((elsewhere.body as { error: string }).error, 'invalid_grant');
  const denied = await authorize({ redirect, decision: 'deny' });
  assert.equal(denied.get('error'), 'access_denied');
  assert.equal(denied.get('state'), 'st-123');
  assert.equal(denied.get('code'), null);
});

test('unknown and expired tokens get 401 INVALID_SESSION_ID', async () => {
  const unknown = await org.raw('GET', `${API}/limits`, undefined, { Authorization: 'Bearer 00Dnope!nope' });
  assert.equal(unknown.status, 401);
  assert.deepEqual(unknown.body, [
    { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
  ]);
  const missing = await rawFetch(`${org.emu.url}${API}/sobjects`, 'GET');
  assert.equal(missing.status, 401);
  const fresh = (await org.emu.admin.issueTokens()).accessToken;
  const use = () =>
    rawFetch(`${org.emu.url}${API}/limits`, 'GET', undefined, { Authorization: `Bearer ${fresh}` });
  assert.equal((await use()).status, 200);
  await org.admin('POST', 'clock', { advance: '11m' });
  assert.equal((await use()).status, 401, 'a 600 s token is dead after 11 minutes');
  await org.admin('POST', 'clock', { advance: -11 * 60_000 });
});

test('jsforce refreshes with its refresh token after a 401 and retries the call', async () => {
  const t = await org.emu.admin.issueTokens();
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: org.emu.url, clientId: org.emu.clientId, clientSecret: org.emu.clientSecret },
    instanceUrl: t.instanceUrl,
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    version: '62.0',
  });
  let refreshed = 0;
  conn.on('refresh', () => refreshed++);
  assert.equal((await conn.query('SELECT COUNT() FROM Account')).totalSize, 60);
  const expired = await org.admin('POST', 'tokens/expire');
  assert.ok((expired.body as { expired: number }).expired >= 1);
  assert.equal((await conn.query('SELECT COUNT() FROM Account')).totalSize, 60);
  assert.equal(refreshed, 1);
  assert.notEqual(conn.accessToken, t.accessToken);
});

test('the identity URL describes the token user', async () => {
  const t = await org.emu.admin.issueTokens();
  const r = await rawFetch(t.id, 'GET', undefined, { Authorization: `Bearer ${t.accessToken}` });
  assert.equal(r.status, 200);
  const b = r.body as { user_id: string; email: string; organization_id: string };
  assert.equal(b.user_id, t.userId);
  assert.equal(b.email, 'alice.martin@northwind-sales.example');
});

test('jsforce login(username, password) uses the password grant when an OAuth2 client is configured', async () => {
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: org.emu.url, clientId: org.emu.clientId, clientSecret: org.emu.clientSecret },
    version: '62.0',
  });
  const info = await conn.login('grace.lee@northwind-sales.example', `${org.emu.password}SECURITYTOKEN`);
  assert.match(info.id, /^005\w{15}$/);
  assert.equal(conn.instanceUrl, org.emu.url);
  const me = await conn.identity();
  assert.equal(me.username, 'grace.lee@northwind-sales.example');
  const created = await conn.sobject('Account').create({ Name: 'Made by Grace' });
  const rec = (await conn.sobject('Account').retrieve(created.id!)) as unknown as {
    CreatedById: string;
    OwnerId: string;
  };
  assert.equal(rec.CreatedById, info.id);
  assert.equal(rec.OwnerId, info.id, 'owner defaults to the calling user');
});
