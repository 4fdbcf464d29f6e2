// `dealbridge mappings list|set` (issue #13) through the real binary, on a SQLite state file with no
// reachable remote: the rules are the store's, so neither command needs Salesforce or HubSpot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dealbridge-mappings-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: dir,
  DEALBRIDGE_DATABASE_URL: join(dir, 'state.db'),
};

const run = (...args: string[]) => runCli(args, env, dir);

type Row = { hubspotProperty: string; rule: string; editable: boolean };
const ruleOf = (rows: Row[], p: string) => rows.find((r) => r.hubspotProperty === p)?.rule;

test(
  'mappings list and set: the rule is stored, listed, and refused where it is fixed',
  { timeout: 60_000 },
  async () => {
    const first = await run('mappings', 'list', '--json');
    assert.equal(first.code, 0, first.err);
    const rows = JSON.parse(first.out) as Row[];
    assert.equal(rows.length, 11);
    assert.ok(rows.every((r) => r.rule === 'always-salesforce'));

    const set = await run('mappings', 'set', 'description', 'none');
    assert.equal(set.code, 0, set.err);
    assert.equal(set.out.trim(), 'description: none');
    const pref = await run('mappings', 'set', 'amount', 'prefer-salesforce', '--json');
    assert.equal(pref.code, 0, pref.err);
    const after = JSON.parse((await run('mappings', 'list', '--json')).out) as Row[];
    assert.equal(ruleOf(after, 'description'), 'none');
    assert.equal(ruleOf(after, 'amount'), 'prefer-salesforce');
    const text = await run('mappings', 'list');
    assert.match(text.out, /description\s+← Description\s+none/);
    assert.match(text.out, /pipeline\s+← RecordTypeId\s+always-salesforce\s+\(fixed\)/);

    const fixed = await run('mappings', 'set', 'pipeline', 'two-way');
    assert.equal(fixed.code, 2);
    assert.match(fixed.err, /"pipeline" is written by the default mapping with a fixed rule/);
    const bad = await run('mappings', 'set', 'amount', 'sometimes');
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /unknown rule "sometimes": use one of prefer-salesforce, always-salesforce, two-way, none/,
    );
  },
);
