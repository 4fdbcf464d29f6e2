// The 2-minute soak (issue #17 §1) as part of `npm test`: `npm run soak -- --minutes 2` must meet
// every goal (zero drift in verify, no lost or duplicate deals, 429s under 1 % of HubSpot requests,
// converged after the faults stop, no exit the soak did not cause) and exit 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('a 2-minute soak under faults and kills meets its goals', { timeout: 12 * 60_000 }, async () => {
  const { code, out, err } = await new Promise<{ code: number | null; out: string; err: string }>(
    (resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'bench/soak.ts', '--minutes', '2', '--seed', '17', '--converge-minutes', '6'],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (c) => resolve({ code: c, out, err }));
    },
  );
  const json = out.trim().split('\n').pop() ?? '';
  assert.equal(code, 0, `${out}\n${err.slice(-3000)}`);
  const result = JSON.parse(json) as {
    lost: number;
    duplicateDeals: number;
    kills: number;
    changesMade: number;
  };
  assert.equal(result.lost, 0);
  assert.equal(result.duplicateDeals, 0);
  assert.ok(result.kills >= 4, `${result.kills} kills`);
  assert.ok(result.changesMade > 0);
});
