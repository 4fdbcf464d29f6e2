// `dealbridge secrets rotate` and doctor's secrets check through the real binary: a rotation
// replaces the key file and keeps every secret readable; a wrong key ends both with exit 2
// (SECRET_KEY_WRONG) and changes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { newSecretKey } from '../../secrets/cipher.js';
import { SecretVault } from '../../secrets/vault.js';
import { openStore } from '../../store/index.js';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dealbridge-rotate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const databaseUrl = join(dir, 'state.db');
const keyFile = join(dir, 'secret.key');
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, DEALBRIDGE_DATABASE_URL: databaseUrl };

async function readToken(): Promise<string | undefined> {
  const store = await openStore(databaseUrl);
  try {
    const c = await new SecretVault(store, { key: undefined, keyFile }).read<
      object,
      { refreshToken: string }
    >('default', 'salesforce');
    return c?.secrets.refreshToken;
  } finally {
    await store.close();
  }
}

test('secrets rotate: a new key file, the secrets still readable; a wrong key is exit 2 and changes nothing', async () => {
  const store = await openStore(databaseUrl);
  await new SecretVault(store, { key: undefined, keyFile }).save(
    'default',
    'salesforce',
    {},
    {
      refreshToken: 'refresh-ROTATE-1',
    },
  );
  await store.close();
  const first = readFileSync(keyFile, 'utf8');

  const ok = await runCli(['secrets', 'rotate', '--json'], env, dir);
  assert.equal(ok.code, 0, ok.err);
  const result = JSON.parse(ok.out) as { rows: number; newKeyAt: string };
  assert.equal(result.rows, 1);
  assert.equal(result.newKeyAt, keyFile);
  assert.notEqual(readFileSync(keyFile, 'utf8'), first);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.equal(await readToken(), 'refresh-ROTATE-1');

  const keyNow = readFileSync(keyFile, 'utf8');
  const wrongEnv = {
    ...env,
    DEALBRIDGE_SECRET_KEY: newSecretKey(),
    DEALBRIDGE_NEW_SECRET_KEY: newSecretKey(),
  };
  const bad = await runCli(['secrets', 'rotate'], wrongEnv, dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /SECRET_KEY_WRONG: .*nothing was changed/);
  assert.equal(readFileSync(keyFile, 'utf8'), keyNow);
  assert.equal(await readToken(), 'refresh-ROTATE-1');

  const doctor = await runCli(['doctor', '--json'], wrongEnv, dir);
  assert.equal(doctor.code, 2, doctor.out + doctor.err);
  const check = (
    JSON.parse(doctor.out) as { checks: { name: string; ok: boolean; problem?: string }[] }
  ).checks.find((c) => c.name === 'secrets');
  assert.equal(check?.ok, false);
  assert.match(check?.problem ?? '', /^SECRET_KEY_WRONG/);
  assert.ok(!doctor.out.includes(wrongEnv.DEALBRIDGE_SECRET_KEY), 'the key is never printed');
});
