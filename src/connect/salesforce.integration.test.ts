// Connecting Salesforce against the emulator's sign-in pages (issue #16): connect and read the
// identity, the refresh token stored sealed and used by the runtime, a wrong state, a replayed
// code, a PKCE mismatch, Deny, an expired sign-in and expired access tokens, revoked access,
// Disconnect (revoke + forget, the app's credentials kept) and Reconnect; each refusal with its code.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../emulators/salesforce/index.js';
import { fromAppConfig } from '../composition/runtime-config.js';
import { openRuntime, type Runtime } from '../composition/runtime.js';
import { DealbridgeError, type ErrorCode } from '../errors/index.js';
import { FLOW_TTL_MS, SalesforceConnect } from './salesforce.js';
import { callbackQuery, signIn } from './testing/browser-login.js';

const REDIRECT = 'http://127.0.0.1:9/connect/salesforce/callback';
const dir = mkdtempSync(join(tmpdir(), 'dealbridge-connect-'));
let emu: SalesforceEmulator;
let rt: Runtime;
let username: string;

const coded = (code: ErrorCode) => (err: unknown) => {
  assert.ok(err instanceof DealbridgeError, String(err));
  assert.equal(err.code, code, err.message);
  assert.ok(err.message.length > 20);
  return true;
};

before(async () => {
  emu = await createSalesforceEmulator({ seed: 'demo', host: '127.0.0.1' });
  username = String(emu.admin.state.store.get('User', emu.admin.state.store.apiUserId)?.Username);
  rt = await openRuntime(
    fromAppConfig({
      databaseUrl: join(dir, 'state.db'),
      salesforce: { apiVersion: '62.0' },
      hubspot: { baseUrl: 'http://127.0.0.1:9' },
    }),
  );
});
after(async () => {
  await rt?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const app = () => ({ loginUrl: emu.url, clientId: emu.clientId, clientSecret: emu.clientSecret });
const login = (url: string, decision?: 'allow' | 'deny') =>
  signIn(url, { username, password: emu.password, ...(decision ? { decision } : {}) });

describe('Salesforce connect (web-server flow with PKCE) against the emulator', () => {
  test('connect: the identity is read, the refresh token stored sealed, and the runtime uses it', async () => {
    const c = rt.salesforceConnect;
    assert.equal((await c.status()).source, 'none');
    const { authorizeUrl, state } = await c.start(REDIRECT, app());
    const u = new URL(authorizeUrl);
    assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
    assert.match(u.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const back = await login(authorizeUrl);
    assert.equal(back.searchParams.get('state'), state);
    const status = await c.finish(callbackQuery(back));
    assert.equal(status.connected, true);
    assert.equal(status.source, 'stored');
    assert.equal(status.organizationId, emu.admin.state.store.orgId);
    assert.equal(status.username, username);
    assert.equal(status.instanceUrl, emu.url);
    assert.ok(status.lastSuccessAt);
    const stored = readFileSync(join(dir, 'state.db')).toString('latin1');
    assert.ok(!stored.includes(emu.clientSecret), 'the client secret is sealed');
    assert.ok(!stored.includes('5Aep'), 'no refresh token in plain text');
    const org = await (await rt.salesforce()).orgInfo();
    assert.equal(org.organizationId, emu.admin.state.store.orgId);
  });

  test('a wrong state, a replayed code, a PKCE mismatch and Deny are refused with their codes', async () => {
    const c = rt.salesforceConnect;
    const first = await c.start(REDIRECT);
    const answer = callbackQuery(await login(first.authorizeUrl));
    await assert.rejects(c.finish({ ...answer, state: 'forged-state' }), coded('OAUTH_STATE_MISMATCH'));
    await c.finish(answer);
    // The same answer again: its state is used up.
    await assert.rejects(c.finish(answer), coded('OAUTH_STATE_MISMATCH'));
    // Its code under a new sign-in's state: Salesforce refuses the code (used once).
    const second = await c.start(REDIRECT);
    await assert.rejects(c.finish({ ...answer, state: second.state }), coded('OAUTH_CODE_REJECTED'));
    // A fresh code of one sign-in finished with another's state (and so its verifier).
    const a = await c.start(REDIRECT);
    const b = await c.start(REDIRECT);
    const codeOfA = callbackQuery(await login(a.authorizeUrl));
    await assert.rejects(c.finish({ ...codeOfA, state: b.state }), coded('OAUTH_PKCE_MISMATCH'));
    const denied = await c.start(REDIRECT);
    await assert.rejects(
      c.finish(callbackQuery(await login(denied.authorizeUrl, 'deny'))),
      coded('OAUTH_ACCESS_DENIED'),
    );
    assert.equal((await c.status()).connected, true, 'a refused sign-in leaves the connection as it was');
  });

  test('a sign-in older than 10 minutes is refused; expired access tokens are refreshed', async () => {
    let now = Date.now();
    const c = new SalesforceConnect(rt.vault, { configured: false, now: () => now });
    const late = await c.start(REDIRECT);
    const answer = callbackQuery(await login(late.authorizeUrl));
    now += FLOW_TTL_MS + 1;
    await assert.rejects(c.finish(answer), coded('OAUTH_STATE_MISMATCH'));
    await emu.admin.call('POST', 'tokens/expire');
    const checked = await rt.salesforceConnect.check();
    assert.equal(checked.connected, true);
    rt.resetSalesforce();
    assert.ok((await (await rt.salesforce()).orgInfo()).organizationId);
  });

  test('revoked access is CONNECTION_REVOKED; Disconnect revokes and forgets; Reconnect needs no app credentials', async () => {
    const c = rt.salesforceConnect;
    await emu.admin.call('POST', 'tokens/revoke');
    await assert.rejects(c.check(), coded('CONNECTION_REVOKED'));
    rt.resetSalesforce();
    await assert.rejects(rt.salesforce(), coded('CONNECTION_REVOKED'));

    const again = await c.start(REDIRECT);
    await c.finish(callbackQuery(await login(again.authorizeUrl)));
    const before = emu.admin.state.tokens.activeAccessTokens;
    const off = await c.disconnect();
    assert.equal(off.revoked, true);
    assert.equal(off.status.connected, false);
    assert.equal(off.status.clientId, emu.clientId, 'the app credentials stay for Reconnect');
    assert.equal(off.status.hasClientSecret, true);
    assert.ok(emu.admin.state.tokens.activeAccessTokens < before, 'its access tokens went with it');

    const reconnect = await c.start(REDIRECT);
    const status = await c.finish(callbackQuery(await login(reconnect.authorizeUrl)));
    assert.equal(status.connected, true);
    assert.equal(status.username, username);
  });
});
