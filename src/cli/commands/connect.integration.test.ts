// `dealbridge connect salesforce` through the real binary against the emulator: it prints the
// authorize URL, takes the callback on its own port, stores the connection; doctor then says the
// stored connection is the one in use. A forged callback ends it with exit 3 (OAUTH_STATE_MISMATCH).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import { signIn } from '../../connect/testing/browser-login.js';
import { DEALBRIDGE_BIN, runCli } from '../testing/run-cli.js';
import { createHubspotEmulator } from '../../../emulators/hubspot/index.js';
import { NEEDED_SCOPES } from '../../hubspot/scopes.js';

const dir = mkdtempSync(join(tmpdir(), 'dealbridge-connect-cli-'));
let emu: SalesforceEmulator;
let env: NodeJS.ProcessEnv;
before(async () => {
  emu = await createSalesforceEmulator({ seed: 'demo', host: '127.0.0.1' });
  env = { PATH: process.env.PATH, HOME: dir, DEALBRIDGE_DATABASE_URL: join(dir, 'state.db') };
});
after(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `connect salesforce`, resolves the authorize URL it prints, and its exit. */
function startConnect(): {
  url: Promise<string>;
  exit: Promise<{ code: number | null; out: string; err: string }>;
} {
  const args = [
    'connect',
    'salesforce',
    '--login-url',
    emu.url,
    '--client-id',
    emu.clientId,
    '--client-secret',
    emu.clientSecret,
    '--port',
    '0',
  ];
  const child = spawn(process.execPath, [DEALBRIDGE_BIN, ...args], { env, cwd: dir });
  let out = '';
  let err = '';
  let found: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => (found = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /^(http\S+\/services\/oauth2\/authorize\S+)$/m.exec(out);
    if (m) found(m[1]!);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
  return { url, exit };
}

const local = (u: URL) => u.toString().replace('//localhost:', '//127.0.0.1:');
const username = () => String(emu.admin.state.store.get('User', emu.admin.state.store.apiUserId)?.Username);

test('connect salesforce: the URL printed, the callback taken, the connection stored and used by doctor', async () => {
  const run = startConnect();
  const url = await run.url;
  const back = await signIn(url, { username: username(), password: emu.password });
  assert.equal(back.pathname, '/connect/salesforce/callback');
  const page = await fetch(local(back));
  assert.equal(page.status, 200);
  const r = await run.exit;
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`Connected as .*\\(${username().replace('.', '\\.')}\\), org 00D`));
  assert.match(r.err, /Callback URL must be http:\/\/localhost:\d+\/connect\/salesforce\/callback/);

  const doctor = await runCli(['doctor', '--json'], env, dir);
  const checks = (
    JSON.parse(doctor.out) as { checks: { name: string; ok: boolean; detail: Record<string, unknown> }[] }
  ).checks;
  const sf = checks.find((c) => c.name === 'salesforce');
  assert.equal(sf?.ok, true, JSON.stringify(sf));
  assert.match(String(sf?.detail.credentials), /^stored connection "default"/);
  assert.ok(!doctor.out.includes(emu.clientSecret));

  // The environment wins over the stored connection, and doctor says so.
  const withEnv = await runCli(
    ['doctor', '--json'],
    {
      ...env,
      SALESFORCE_LOGIN_URL: emu.url,
      SALESFORCE_CLIENT_ID: emu.clientId,
      SALESFORCE_CLIENT_SECRET: emu.clientSecret,
    },
    dir,
  );
  const sfEnv = (
    JSON.parse(withEnv.out) as { checks: { name: string; detail: Record<string, unknown> }[] }
  ).checks.find((c) => c.name === 'salesforce');
  assert.match(String(sfEnv?.detail.credentials), /^configuration/);
});

test('connect salesforce: a callback with another state is refused, exit 3', async () => {
  const run = startConnect();
  const back = await signIn(await run.url, { username: username(), password: emu.password });
  back.searchParams.set('state', 'forged');
  const page = await fetch(local(back));
  assert.equal(page.status, 400);
  const r = await run.exit;
  assert.equal(r.code, 3);
  assert.match(r.err, /OAUTH_STATE_MISMATCH/);
});

test('connect hubspot without --token says the OAuth flow is not built, exit 2', async () => {
  const r = await runCli(['connect', 'hubspot'], env, dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /--token/);
});

test('connect hubspot --token names the missing scopes with the fix, in text and --json', async () => {
  const hs = await createHubspotEmulator({
    host: '127.0.0.1',
    scopes: NEEDED_SCOPES.filter((s) => s !== 'crm.objects.owners.read'),
  });
  try {
    const hsEnv = { ...env, HUBSPOT_BASE_URL: hs.url, DEALBRIDGE_DATABASE_URL: join(dir, 'hs-scopes.db') };
    const text = await runCli(['connect', 'hubspot', '--token', hs.accessToken], hsEnv, dir);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /Missing scopes: crm\.objects\.owners\.read\n/);
    assert.match(text.out, /Fix: In HubSpot, Settings › Integrations › Private apps/);
    const json = await runCli(['connect', 'hubspot', '--token', hs.accessToken, '--json'], hsEnv, dir);
    assert.equal(json.code, 0, json.err);
    const status = JSON.parse(json.out) as { missingScopes: string[]; scopes: string[] };
    assert.deepEqual(status.missingScopes, ['crm.objects.owners.read']);
    assert.equal(status.scopes.length, NEEDED_SCOPES.length - 1);
  } finally {
    await hs.close();
  }
});
