// The engine's commands through the real binary: help, usage errors (exit 2), settings round
// trip, status and errors on a fresh store, without any remote credentials.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dealbridge-cli-'));
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: dir,
  DEALBRIDGE_DATABASE_URL: join(dir, 'state.db'),
};

const run = (...args: string[]) => runCli(args, env, dir);

describe('engine commands', { timeout: 120_000 }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every command has --help', async () => {
    const r = await run('--help');
    assert.equal(r.code, 0);
    for (const c of ['setup', 'settings', 'sync', 'status', 'errors'])
      assert.match(r.out, new RegExp(`\\b${c}\\b`));
  });

  test('usage errors exit 2 and name the problem', async () => {
    const unknown = await run('settings', 'set', 'noSuchSetting', 'on');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown setting "noSuchSetting"/);
    const bad = await run('settings', 'set', 'recentDealAmountRule', 'newest');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /created or closed/);
  });

  test('settings round trip, status and errors on a fresh store', async () => {
    const set = await run('settings', 'set', 'recentDealAmountRule', 'closed', '--json');
    assert.equal(set.code, 0, set.err);
    assert.deepEqual(JSON.parse(set.out), { key: 'recentDealAmountRule', value: 'closed', changed: true });
    const get = await run('settings', 'get', '--json');
    const all = JSON.parse(get.out) as Record<string, unknown>;
    assert.equal(all.recentDealAmountRule, 'closed');
    assert.equal(all.opportunitySync, false);
    // The property labels' language (issue #16): en by default, de set from the CLI, fr refused.
    assert.equal(all.language, 'en');
    const de = await run('settings', 'set', 'language', 'de', '--json');
    assert.deepEqual(JSON.parse(de.out), { key: 'language', value: 'de', changed: true });
    const fr = await run('settings', 'set', 'language', 'fr');
    assert.equal(fr.code, 2);
    assert.match(fr.err, /language: expected en or de, got "fr"/);
    const status = await run('status', '--json');
    assert.equal(status.code, 0, status.err);
    const s = JSON.parse(status.out) as { settings: { opportunitySync: boolean }; errors: { total: number } };
    assert.equal(s.settings.opportunitySync, false);
    assert.equal(s.errors.total, 0);
    // Turning the sync on needs Salesforce's clock: without credentials it is a configuration error.
    const on = await run('settings', 'set', 'opportunitySync', 'on');
    assert.equal(on.code, 2);
    assert.match(on.err, /CONFIG_INVALID/);
  });
});
