// The layering rule of eslint.config.js fails a planted import across a wall (docs/design.md §3.1):
// the engine importing the store, an emulator importing src/, src/ importing an emulator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = new URL('..', import.meta.url).pathname;

async function restricted(filePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(source, { filePath: root + filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test(
  'the engine may not import the store, an adapter or the configuration',
  { timeout: 60_000 },
  async () => {
    const bad = await restricted(
      'src/engine/sync/loop.ts',
      "import { openStore } from '../../store/index.js';\nvoid openStore;\n",
    );
    assert.equal(bad.length, 1);
    assert.match(bad[0] ?? '', /ports only/);
    const ok = await restricted(
      'src/engine/sync/loop.ts',
      "import { chunk } from '../../lib/chunk.js';\nimport type { StateStore } from '../ports/store.js';\nvoid chunk;\nexport type S = StateStore;\n",
    );
    assert.deepEqual(ok, []);
  },
);

test('emulators and src share no code', { timeout: 60_000 }, async () => {
  assert.equal(
    (
      await restricted(
        'emulators/salesforce/clock.ts',
        "import { chunk } from '../../src/lib/chunk.js';\nvoid chunk;\n",
      )
    ).length,
    1,
  );
  assert.equal(
    (
      await restricted(
        'src/server/app.ts',
        "import { createSalesforceEmulator } from '../../emulators/salesforce/index.js';\nvoid createSalesforceEmulator;\n",
      )
    ).length,
    1,
  );
});
