// Secrets at rest (issue #16) on both SQL backends: sealed rows hold no secret in plain text (the
// SQLite file and its WAL read byte by byte; on Postgres, the table's contents as text), a wrong or
// missing key is SECRET_KEY_WRONG (exit 2) with nothing overwritten, the key file is created 0600
// on first use, and rotation re-seals every row under a new key or changes nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { DealbridgeError } from '../errors/index.js';
import { describeEachSqlDialect, POSTGRES_TEST_URL } from '../store/testing/dialects.js';
import type { Store } from '../store/index.js';
import { newSecretKey } from './cipher.js';
import { rotateSecrets } from './rotate.js';
import { SecretVault } from './vault.js';

const SECRETS = {
  refreshToken: '5Aep861TSESvWeug_xvFHRBTTbf_refresh_SCAN',
  accessToken: '00D000000000001!AQ4AQ_access_SCAN',
  clientSecret: 'client-secret-0F3A9C_SCAN',
  privateAppToken: 'pat-na1-11111111-2222-3333_SCAN',
};
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'dealbridge-vault-'));
  dirs.push(d);
  return d;
};

function wrongKey(err: unknown): boolean {
  return err instanceof DealbridgeError && err.code === 'SECRET_KEY_WRONG' && err.exitCode === 2;
}

/** Every byte the store holds: the SQLite file and its WAL, or the Postgres table as text. */
async function storedText(store: Store, url: string): Promise<string> {
  if (store.dialect === 'sqlite') {
    const file = url.replace(/^sqlite:/, '');
    return [file, `${file}-wal`]
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
  }
  const schema = new URL(url).searchParams.get('schema')!;
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    const r = await client.query<{ t: string }>(`select c::text as t from "${schema}".connections c`);
    return r.rows.map((row) => row.t).join('\n');
  } finally {
    await client.end();
  }
}

describeEachSqlDialect('secrets at rest (migration 0008)', (h) => {
  test('sealed rows open with their key and no secret is stored in plain text', async () => {
    const url = await h.freshUrl();
    const store = await h.openUrl(url);
    const keyFile = join(tempDir(), 'state', 'secret.key');
    const vault = new SecretVault(store, { key: undefined, keyFile });
    await vault.save(
      'default',
      'salesforce',
      { username: 'admin@acme.example' },
      {
        refreshToken: SECRETS.refreshToken,
        accessToken: SECRETS.accessToken,
        clientSecret: SECRETS.clientSecret,
      },
    );
    await vault.save('default', 'hubspot', { portalId: 62515 }, { privateAppToken: SECRETS.privateAppToken });
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the key file is created 0600');
    const back = await new SecretVault(store, { key: undefined, keyFile }).read<
      { username: string },
      { refreshToken: string }
    >('default', 'salesforce');
    assert.equal(back?.secrets.refreshToken, SECRETS.refreshToken);
    assert.equal(back?.details.username, 'admin@acme.example', 'details stay readable');

    const text = await storedText(store, url);
    assert.match(text, /admin@acme\.example/, 'the scan reads the rows it should');
    for (const secret of Object.values(SECRETS)) {
      assert.ok(!text.includes(secret), `${secret} is stored in plain text`);
      assert.ok(!text.includes(secret.slice(0, 12)), `a part of ${secret} is stored in plain text`);
    }
  });

  test('a wrong or missing key is SECRET_KEY_WRONG (exit 2), and nothing is overwritten', async () => {
    const store = await h.open();
    const right = newSecretKey();
    await new SecretVault(store, { key: right, keyFile: '/nonexistent/k' }).save(
      'default',
      'hubspot',
      {},
      {
        privateAppToken: SECRETS.privateAppToken,
      },
    );
    const before = await store.listConnectionRows();
    const wrong = new SecretVault(store, { key: newSecretKey(), keyFile: '/nonexistent/k' });
    await assert.rejects(wrong.read('default', 'hubspot'), wrongKey);
    await assert.rejects(wrong.save('default', 'hubspot', {}, { privateAppToken: 'other' }), wrongKey);
    await assert.rejects(wrong.save('default', 'salesforce', {}, { refreshToken: 'x' }), wrongKey);
    const dir = tempDir();
    const missing = new SecretVault(store, { key: undefined, keyFile: join(dir, 'secret.key') });
    await assert.rejects(missing.save('default', 'salesforce', {}, { refreshToken: 'x' }), (err) => {
      assert.ok(wrongKey(err));
      assert.match((err as Error).message, /does not exist/);
      return true;
    });
    assert.ok(!existsSync(join(dir, 'secret.key')), 'no new key file is made while sealed rows exist');
    assert.deepEqual(await store.listConnectionRows(), before);
    const ok = await new SecretVault(store, { key: right, keyFile: '/nonexistent/k' }).read<
      object,
      { privateAppToken: string }
    >('default', 'hubspot');
    assert.equal(ok?.secrets.privateAppToken, SECRETS.privateAppToken);
  });

  test('rotation re-seals every row under a new key file; with a wrong key it changes nothing', async () => {
    const store = await h.open();
    const keyFile = join(tempDir(), 'secret.key');
    await new SecretVault(store, { key: undefined, keyFile }).save(
      'default',
      'salesforce',
      {},
      {
        refreshToken: SECRETS.refreshToken,
      },
    );
    const oldKey = readFileSync(keyFile, 'utf8');
    const result = await rotateSecrets(store, { key: undefined, keyFile }, undefined);
    assert.equal(result.rows, 1);
    assert.notEqual(result.newKeyId, result.oldKeyId);
    assert.notEqual(readFileSync(keyFile, 'utf8'), oldKey);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.ok(!existsSync(`${keyFile}.new`));
    const opened = await new SecretVault(store, { key: undefined, keyFile }).read<
      object,
      { refreshToken: string }
    >('default', 'salesforce');
    assert.equal(opened?.secrets.refreshToken, SECRETS.refreshToken);
    await assert.rejects(
      new SecretVault(store, { key: oldKey, keyFile }).read('default', 'salesforce'),
      wrongKey,
    );

    const rows = await store.listConnectionRows();
    const keyNow = readFileSync(keyFile, 'utf8');
    await assert.rejects(rotateSecrets(store, { key: newSecretKey(), keyFile }, newSecretKey()), wrongKey);
    assert.deepEqual(await store.listConnectionRows(), rows, 'rows unchanged');
    assert.equal(readFileSync(keyFile, 'utf8'), keyNow, 'key file unchanged');
  });

  test('with DEALBRIDGE_SECRET_KEY, rotation takes the new key from DEALBRIDGE_NEW_SECRET_KEY', async () => {
    const store = await h.open();
    const key = newSecretKey();
    const keys = { key, keyFile: '/nonexistent/k' };
    await new SecretVault(store, keys).save('default', 'hubspot', {}, { privateAppToken: 'p' });
    await assert.rejects(rotateSecrets(store, keys, undefined), /DEALBRIDGE_NEW_SECRET_KEY/);
    const next = newSecretKey();
    await rotateSecrets(store, keys, next);
    const opened = await new SecretVault(store, { key: next, keyFile: '/nonexistent/k' }).read<
      object,
      { privateAppToken: string }
    >('default', 'hubspot');
    assert.equal(opened?.secrets.privateAppToken, 'p');
  });
});
