// No configured secret ever appears in output, logs, API responses or the page (issue #17 §4): a
// full run through the real binary against both emulators (doctor, setup, sync, status, errors,
// verify, import preview, then `serve` with request logging, logins right and wrong and every page
// of the API), and the error paths of a wrong HubSpot token and a wrong Salesforce secret; every
// byte of stdout, stderr and every response is scanned for every secret. Issue #15: serve's JSON
// log (every request, every pass, at debug level too), /metrics with its bearer token, the probes,
// and a run on Postgres whose URL holds a password.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHubspotEmulator } from '../../emulators/hubspot/index.js';
import { createSalesforceEmulator } from '../../emulators/salesforce/index.js';

const bin = new URL('../../bin/dealbridge.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'dealbridge-secrets-'));
const ADMIN = 'scan-admin-token-Q9v3xZ7pL2';
const METRICS = 'scan-metrics-token-W4k8nB2qT6';
const PG_PASSWORD = 'scan-pg-password-J5m1cV8r';
const PG_SCHEMA = `secrets_scan_${process.pid}`;

describe('no secret in any output of a full run', { timeout: 240_000 }, () => {
  let sf: Awaited<ReturnType<typeof createSalesforceEmulator>>;
  let hs: Awaited<ReturnType<typeof createHubspotEmulator>>;
  let env: NodeJS.ProcessEnv;
  let secrets: string[];
  const transcript: string[] = [];

  before(async () => {
    sf = await createSalesforceEmulator({ seed: 'demo', host: '127.0.0.1' });
    hs = await createHubspotEmulator({ seed: 'demo', host: '127.0.0.1', tier: 'professional' });
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      DEALBRIDGE_DATABASE_URL: join(dir, 'state.db'),
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: sf.clientId,
      SALESFORCE_CLIENT_SECRET: sf.clientSecret,
      HUBSPOT_BASE_URL: hs.url,
      HUBSPOT_ACCESS_TOKEN: hs.accessToken,
      DEALBRIDGE_ADMIN_TOKEN: ADMIN,
      DEALBRIDGE_METRICS_TOKEN: METRICS,
    };
    secrets = [sf.clientSecret, hs.accessToken, ADMIN, METRICS, PG_PASSWORD];
  });

  after(async () => {
    const pg = new (await import('pg')).default.Client({
      connectionString: 'postgres://postgres@127.0.0.1:5432/test',
    });
    await pg
      .connect()
      .then(() => pg.query(`drop schema if exists "${PG_SCHEMA}" cascade`))
      .finally(() => pg.end())
      .catch(() => undefined);
    await Promise.allSettled([sf?.close(), hs?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  function run(args: string[], extra: NodeJS.ProcessEnv = {}) {
    return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { env: { ...env, ...extra }, cwd: dir });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => {
        transcript.push(`$ ${args.join(' ')}\n${out}\n${err}`);
        resolve({ code, out, err });
      });
    });
  }

  function assertClean(text: string, what: string, extra: string[] = []) {
    for (const s of [...secrets, ...extra])
      assert.ok(!text.includes(s), `${what} contains a secret (${s.slice(0, 4)}…)`);
  }

  test('the commands of a full run print no secret, on success or failure', async () => {
    for (const args of [
      ['doctor', '--json'],
      ['setup', '--json'],
      ['settings', 'set', 'opportunitySync', 'on'],
      ['sync', '--once', '--json'],
      ['status', '--json'],
      ['errors', 'list', '--json'],
      ['verify', '--json'],
      ['import', '--dry-run', '--json'],
    ]) {
      const r = await run(args);
      // 4: doctor before setup says setup is not current; 1: records failed or differences found.
      assert.ok([0, 1, 4].includes(r.code ?? -1), `${args.join(' ')} exited ${r.code}: ${r.err}`);
    }
    // With a log format configured, `sync` logs its pass too (JSON, with its pass id) on stderr;
    // without one its output is what it always was.
    const plain = await run(['sync', '--once']);
    assert.doesNotMatch(plain.err, /passId/);
    const logged = await run(['sync', '--once'], {
      DEALBRIDGE_LOG_FORMAT: 'json',
      DEALBRIDGE_LOG_LEVEL: 'debug',
    });
    // stdout keeps its pass line (a time, then the counts), as without the log.
    for (const r of [plain, logged]) assert.match(r.out, /^\d{4}-\d\d-\d\dT[\d:.]+Z /);
    const passLine = logged.err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'sync pass finished');
    assert.match(String(passLine?.passId), /^[0-9a-f-]{36}$/, logged.err);
    const wrongHubspot = 'pat-na1-wrong-0000-SECRET-token';
    const wrongSalesforce = 'wrong-salesforce-SECRET-value';
    for (const args of [
      ['doctor', '--json'],
      ['sync', '--once'],
    ]) {
      const a = await run(args, { HUBSPOT_ACCESS_TOKEN: wrongHubspot });
      assert.notEqual(a.code, 0);
      assertClean(a.out + a.err, args.join(' '), [wrongHubspot]);
      const b = await run(args, { SALESFORCE_CLIENT_SECRET: wrongSalesforce });
      assert.notEqual(b.code, 0);
      assertClean(b.out + b.err, args.join(' '), [wrongSalesforce]);
    }
    const weak = await run(['serve', '--port', '0'], { DEALBRIDGE_ADMIN_TOKEN: 'short-secret' });
    assert.equal(weak.code, 2);
    assertClean(weak.out + weak.err, 'serve with a bad token', ['short-secret']);
    assertClean(transcript.join('\n'), 'the commands');
  });

  /** Runs serve with `extra` env, drives every route, and returns its output and the answers. */
  async function serveRun(extra: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--interval', '1s'], {
      env: { ...env, ...extra },
      cwd: dir,
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /dealbridge web UI: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    const bodies: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const bad = await fetch(`${url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: `${ADMIN.slice(0, -1)}x` }),
        });
        bodies.push(await bad.text());
      }
      const login = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: ADMIN }),
      });
      assert.equal(login.status, 200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      await new Promise((r) => setTimeout(r, 1500)); // a pass or two of the loop
      for (const path of [
        '/',
        '/login',
        '/api/session',
        '/api/overview',
        '/api/settings',
        '/api/health',
        '/api/errors.csv',
        '/api/import',
        '/api/records?q=a',
      ]) {
        const res = await fetch(`${url}${path}`, {
          headers: { cookie, accept: 'text/html,application/json' },
        });
        bodies.push(`${path} ${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
      }
      const post = await fetch(`${url}/api/setup`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: '{}',
      });
      bodies.push(await post.text());
      // The operational routes: metrics with the token, without it and with a wrong one, the probes.
      for (const [path, headers] of [
        ['/metrics', { authorization: `Bearer ${METRICS}` }],
        ['/metrics', {}],
        ['/metrics', { authorization: `Bearer ${METRICS.slice(0, -1)}x`, cookie }],
        ['/healthz', {}],
        ['/readyz', {}],
      ] as const) {
        const res = await fetch(`${url}${path}`, { headers });
        bodies.push(`${path} ${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
      }
      assert.match(bodies.at(-5) ?? '', /^\/metrics 200 .*dealbridge_api_requests_total\{/s);
      assert.match(bodies.at(-4) ?? '', /^\/metrics 401 /);
      assert.match(bodies.at(-1) ?? '', /^\/readyz 200 /);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    return { out, err, bodies };
  }

  /** serve's log on stderr: JSON lines (stderr is not a terminal), with a request id on requests. */
  function logLines(err: string) {
    const lines = err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(
      lines.some((l) => typeof l.requestId === 'string' && l.req !== undefined),
      'requests are logged',
    );
    return lines;
  }

  test('serve: its log, every API answer and the page hold no secret', async () => {
    const { out, err, bodies } = await serveRun({});
    assert.match(err, /login failed for 127\.0\.0\.1/, 'failed logins are in the log');
    assert.match(err, /metrics refused for 127\.0\.0\.1: bearer token missing or wrong/);
    logLines(err);
    assertClean(bodies.join('\n'), 'an API answer');
    assertClean(out + err, "serve's output and log");
  });

  test('serve on Postgres, logging at debug: the database password is in no output either', async () => {
    const databaseUrl = `postgres://postgres:${PG_PASSWORD}@127.0.0.1:5432/test?schema=${PG_SCHEMA}`;
    const pgEnv = { DEALBRIDGE_DATABASE_URL: databaseUrl };
    for (const args of [
      ['doctor', '--json'],
      ['setup', '--json'],
      ['settings', 'set', 'opportunitySync', 'on'],
      ['status', '--json'],
    ]) {
      const r = await run(args, pgEnv);
      assert.ok([0, 1, 4].includes(r.code ?? -1), `${args.join(' ')} exited ${r.code}: ${r.err}`);
    }
    const { out, err, bodies } = await serveRun({
      ...pgEnv,
      DEALBRIDGE_LOG_FORMAT: 'json',
      DEALBRIDGE_LOG_LEVEL: 'debug',
    });
    const lines = logLines(err);
    assert.ok(
      lines.some((l) => l.msg === 'sync pass finished' && typeof l.passId === 'string'),
      'passes are logged, each with its id',
    );
    assertClean(bodies.join('\n'), 'an API answer');
    assertClean(out + err, "serve's output and log");
    assertClean(transcript.join('\n'), 'the commands');
  });
});
