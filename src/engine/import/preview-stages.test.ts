// The import preview counts what the import will do: an opportunity in a stage added in Salesforce
// after setup is created by the import (its stage provisioned, autoProvision on), so the preview
// says create, not STAGE_NOT_MAPPED; with autoProvision off it is skipped with that code, as the
// import then skips it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHarness, type Harness } from '../testing/fakes.js';
import { previewImport } from './preview.js';
import { runImport, type ImportDeps } from './run.js';

const deps = (h: Harness): ImportDeps => ({
  salesforce: h.sf,
  hubspot: h.hs,
  store: h.store,
  now: () => new Date(h.sf.clock),
});

async function orgWithNewStage(): Promise<Harness> {
  const h = await createHarness();
  h.sf.stages.push({
    Id: '01J9',
    ApiName: 'Proposal',
    MasterLabel: 'Proposal',
    SortOrder: 2.5,
    DefaultProbability: 60,
    IsClosed: false,
    IsWon: false,
    IsActive: true,
  });
  const c = h.sf.addContact({ Email: 'olaf@preview.example', LastName: 'Olaf' });
  h.hs.addContact('olaf@preview.example');
  h.sf.addOpportunity({ Name: 'In the new stage', StageName: 'Proposal' }, [c.Id]);
  h.sf.addOpportunity({ Name: 'In a mapped stage' }, [c.Id]);
  return h;
}

test('a stage added after setup: the preview says create, and the import creates it', async () => {
  const h = await orgWithNewStage();
  const preview = await previewImport(deps(h));
  assert.deepEqual([preview.create, preview.skip], [2, 0], JSON.stringify(preview.skippedByReason));
  const row = preview.samples.create.find((r) => r.name === 'In the new stage');
  assert.equal(row?.provisions, 'stage "Proposal" is added to its pipeline by the import');
  assert.equal(
    h.hs.pipelines[0]?.stages.some((s) => s.label === 'Proposal'),
    false,
    'the preview wrote nothing',
  );
  const r = await runImport(deps(h));
  assert.equal(r.run.created, 2, r.run.message ?? '');
});

test('with autoProvision off the preview skips it with STAGE_NOT_MAPPED, as the import does', async () => {
  const h = await orgWithNewStage();
  await h.store.setSetting('autoProvision', false);
  const preview = await previewImport(deps(h));
  assert.deepEqual([preview.create, preview.skippedByReason.STAGE_NOT_MAPPED], [1, 1]);
  const r = await runImport(deps(h));
  assert.equal(r.run.created, 1);
});
