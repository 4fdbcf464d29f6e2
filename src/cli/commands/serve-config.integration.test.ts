// `dealbridge serve` takes its admin token from the validated configuration: the config file's
// `adminToken` works without DEALBRIDGE_ADMIN_TOKEN (before, serve read only the environment and
// refused to start), and a token that breaks the config's rule is a configuration error (exit 2).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const bin = new URL('../../../bin/dealbridge.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'dealbridge-serve-config-'));
const token = 'from-the-config-file-0123456789';

function start(configFile: string): {
  child: ChildProcess;
  output: Promise<{ code: number | null; out: string; err: string; url?: string }>;
} {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-sync'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      DEALBRIDGE_CONFIG: configFile,
      DEALBRIDGE_DATABASE_URL: join(dir, 'state.db'),
    },
  });
  let out = '';
  let err = '';
  const output = new Promise<{ code: number | null; out: string; err: string; url?: string }>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dealbridge web UI: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve({ code: null, out, err, url: m[1]! });
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
  return { child, output };
}

describe('serve reads the admin token from the configuration', { timeout: 60_000 }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the config file's adminToken logs in; no environment variable needed", async () => {
    const file = join(dir, 'dealbridge.config.json');
    writeFileSync(file, JSON.stringify({ adminToken: token }));
    const { child, output } = start(file);
    try {
      const r = await output;
      assert.ok(r.url, `serve did not start: ${r.err}`);
      const ok = await fetch(`${r.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      assert.equal(ok.status, 200);
      const bad = await fetch(`${r.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'not-the-token-0123456789' }),
      });
      assert.equal(bad.status, 401);
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('a token shorter than the rule: exit 2, naming the key', async () => {
    const file = join(dir, 'short.config.json');
    writeFileSync(file, JSON.stringify({ adminToken: 'short' }));
    const r = await start(file).output;
    assert.equal(r.code, 2);
    assert.match(r.err, /adminToken/);
    assert.doesNotMatch(r.err, /short"/);
  });

  test('a low-entropy token (aaaaaaaaaaaaaaaa): exit 2 with the reason, not the token', async () => {
    const file = join(dir, 'weak.config.json');
    writeFileSync(file, JSON.stringify({ adminToken: 'aaaaaaaaaaaaaaaa' }));
    const r = await start(file).output;
    assert.equal(r.code, 2);
    assert.match(r.err, /adminToken: is too easy to guess/);
    assert.doesNotMatch(r.err, /aaaaaaaaaaaaaaaa/);
  });

  test('server.secureCookies from the config file; SIGHUP with a new token ends every session', async () => {
    const file = join(dir, 'rotate.config.json');
    writeFileSync(file, JSON.stringify({ adminToken: token, server: { secureCookies: true } }));
    const { child, output } = start(file);
    try {
      const r = await output;
      assert.ok(r.url, `serve did not start: ${r.err}`);
      const login = await fetch(`${r.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      const setCookie = login.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /; Secure/);
      const cookie = setCookie.split(';')[0] ?? '';
      const before = await fetch(`${r.url}/api/session`, { headers: { cookie } });
      assert.equal(before.status, 200);
      const next = 'the-rotated-token-9876543210';
      writeFileSync(file, JSON.stringify({ adminToken: next, server: { secureCookies: true } }));
      const rotated = new Promise<void>((resolve) =>
        child.stdout?.on('data', (d: Buffer) => {
          if (d.toString().includes('admin token rotated')) resolve();
        }),
      );
      child.kill('SIGHUP');
      await rotated;
      const after = await fetch(`${r.url}/api/session`, { headers: { cookie } });
      assert.equal(after.status, 401, 'the old session ended');
      const fresh = await fetch(`${r.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: next }),
      });
      assert.equal(fresh.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
