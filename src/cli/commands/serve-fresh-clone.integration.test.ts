// Issue #10 §4: after a plain `npm install` in a fresh clone, `dealbridge serve` serves the web UI
// (before, the UI was built only by `npm start` and `npm test`, and serve answered 404 after
// login). A fresh clone has no `web/dist` (it is git-ignored); `npm install` in a checkout runs the
// package's `prepare` script (npm's lifecycle: "prepare" runs on a local `npm install` without
// arguments). A full `npm install` from the registry does not fit in test time, so the clone gets
// this checkout's node_modules and runs exactly what npm install runs last: `npm run prepare`.
// Then serve starts from the clone against both emulators, and the UI pages answer after login.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHubspotEmulator, type HubspotEmulator } from '../../../emulators/hubspot/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/salesforce/index.js';

const repo = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'dealbridge-fresh-clone-'));
const clone = join(dir, 'dealbridge');
const token = 'fresh-clone-admin-token-0123456789';

function startServe(configFile: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [join(clone, 'bin', 'dealbridge.js'), 'serve', '--port', '0'], {
    cwd: clone,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      DEALBRIDGE_CONFIG: configFile,
      DEALBRIDGE_DATABASE_URL: join(dir, 'state.db'),
    },
  });
  let out = '';
  let err = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dealbridge web UI: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}${out}`)));
  });
  return { child, url };
}

describe('serve from a fresh clone after npm install', { timeout: 300_000 }, () => {
  let sfEmu: SalesforceEmulator;
  let hsEmu: HubspotEmulator;
  let serve: ChildProcess | undefined;
  before(async () => {
    [sfEmu, hsEmu] = await Promise.all([
      createSalesforceEmulator({ seed: 'empty' }),
      createHubspotEmulator({ seed: 'empty' }),
    ]);
  });
  after(async () => {
    serve?.kill('SIGTERM');
    await Promise.allSettled([sfEmu.close(), hsEmu.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the clone has no UI bundle; npm install’s prepare builds it; serve answers the UI pages after login', async () => {
    const cloned = spawnSync('git', ['clone', '--quiet', repo, clone], { encoding: 'utf8' });
    assert.equal(cloned.status, 0, cloned.stderr);
    assert.equal(existsSync(join(clone, 'web', 'dist')), false, 'a fresh clone has no web/dist');

    const pkg = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // `prepare` is what npm install runs in a checkout; it must build the UI, not only `start`.
    assert.equal(pkg.scripts.prepare, 'node scripts/prepare.mjs');
    assert.match(
      readFileSync(join(clone, 'scripts', 'prepare.mjs'), 'utf8'),
      /'build',\s*'--config',\s*'web\/vite\.config\.ts'/,
    );
    symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const prepared = spawnSync(npm, ['run', 'prepare'], { cwd: clone, encoding: 'utf8', timeout: 240_000 });
    assert.equal(prepared.status, 0, `${prepared.stdout}${prepared.stderr}`);
    assert.ok(existsSync(join(clone, 'web', 'dist', 'index.html')), 'prepare built web/dist');

    const config = join(dir, 'dealbridge.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        adminToken: token,
        salesforce: { loginUrl: sfEmu.url, clientId: sfEmu.clientId, clientSecret: sfEmu.clientSecret },
        hubspot: { baseUrl: hsEmu.url, accessToken: hsEmu.accessToken },
      }),
    );
    const started = startServe(config);
    serve = started.child;
    const url = await started.url;
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    assert.equal(login.status, 200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.ok(cookie, 'a session cookie');
    for (const page of ['/', '/health', '/import']) {
      const r = await fetch(`${url}${page}`, { headers: { cookie } });
      const body = await r.text();
      assert.equal(r.status, 200, `${page}: ${body.slice(0, 200)}`);
      assert.match(r.headers.get('content-type') ?? '', /text\/html/);
      assert.match(body, /<script[^>]+src="\/assets\//, `${page} is the built UI`);
    }
  });
});
