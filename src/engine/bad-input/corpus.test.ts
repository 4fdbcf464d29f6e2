// The bad-input corpus as data: ids unique, every group covered, at least 40 cases, every code it
// shows documented with a fix, and docs/bad-input.md's generated part the rendering of the corpus.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorCatalogue } from '../../errors/index.js';
import { CORPUS, GROUPS, TEST_FILES } from '../testing/bad-input/corpus.js';
import { DOC_PATH, generatedPart, renderCorpus } from '../testing/bad-input/render.js';

const root = new URL('../../../', import.meta.url);

void test('the corpus: at least 40 cases, ids unique and dotted, every group, both test files', () => {
  assert.ok(CORPUS.length >= 40, `${CORPUS.length} cases`);
  const ids = CORPUS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const id of ids) assert.match(id, /^[a-z0-9-]+\.[a-z0-9-]+$/);
  for (const g of GROUPS)
    assert.ok(
      CORPUS.some((c) => c.group === g),
      `no case in ${g}`,
    );
  for (const file of Object.values(TEST_FILES)) assert.ok(existsSync(new URL(file, root)), file);
});

void test('every code the corpus shows is in the catalogue with a fix and in docs/errors.md', () => {
  const errorsDoc = readFileSync(new URL('docs/errors.md', root), 'utf8');
  for (const c of CORPUS) {
    const code = 'code' in c.outcome ? c.outcome.code : null;
    if (code === null) continue;
    assert.ok(errorCatalogue[code].fix.length > 0, code);
    assert.match(errorsDoc, new RegExp(`^## ${code}$`, 'm'), code);
    if (c.outcome.kind === 'warning' || c.outcome.kind === 'failed')
      assert.ok(c.field, `${c.id} names its field`);
  }
});

void test('docs/bad-input.md lists every case as the corpus says (render.ts --write updates it)', () => {
  const page = readFileSync(DOC_PATH, 'utf8');
  const part = generatedPart(page);
  assert.ok(part, 'docs/bad-input.md has its generated part');
  assert.equal(part, renderCorpus(), 'run: node --import tsx src/engine/testing/bad-input/render.ts --write');
});
