import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HsPipeline } from '../../domain/hubspot.js';
import type { SfRecordType, SfStage } from '../../domain/salesforce.js';
import type { StoredStageMap } from '../mapping/sync-context.js';
import { DEFAULT_PIPELINE_LABEL, MASTER_PIPELINE_LABEL } from './plan.js';
import {
  needsWrite,
  reconcilePipelines,
  targetsAfter,
  wantedPipelines,
  type SalesforceMetadata,
} from './pipelines.js';

const stage = (
  ApiName: string,
  SortOrder: number,
  p: number,
  closed = false,
  won = false,
  active = true,
): SfStage => ({
  Id: `01J00000000000${SortOrder}`,
  ApiName,
  MasterLabel: ApiName,
  SortOrder,
  DefaultProbability: p,
  IsClosed: closed,
  IsWon: won,
  IsActive: active,
});
const STAGES = [
  stage('Prospecting', 1, 10),
  stage('Qualification', 2, 20),
  stage('Negotiation', 3, 90),
  stage('Closed Won', 4, 100, true, true),
  stage('Closed Lost', 5, 0, true),
  stage('Legacy', 6, 50, false, false, false),
];
const rt = (Id: string, Name: string, IsActive = true): SfRecordType => ({
  Id,
  Name,
  DeveloperName: Name.replace(/\W/g, '_'),
  IsActive,
});
const NEW = rt('012A', 'New Business');
const RENEWAL = rt('012B', 'Renewal');
const meta = (over: Partial<SalesforceMetadata> = {}): SalesforceMetadata => ({
  recordTypes: [RENEWAL, NEW],
  stages: STAGES,
  processes: new Map([
    ['012A', ['Prospecting', 'Qualification', 'Negotiation', 'Closed Won', 'Closed Lost']],
    ['012B', ['Negotiation', 'Closed Won', 'Closed Lost']],
  ]),
  ...over,
});
const hs = (id: string, label: string, probability: number, isClosed: boolean, displayOrder: number) => ({
  id,
  label,
  probability,
  isClosed,
  displayOrder,
});
/** What provision.ts would store after the pipelines existed as given. */
function storedAfter(m: SalesforceMetadata, pipelines: HsPipeline[], hasMaster = false): StoredStageMap {
  const changes = reconcilePipelines(m, wantedPipelines(m, { hasMaster }), pipelines, undefined);
  const map: StoredStageMap['map'] = {};
  for (const c of changes) {
    const p = pipelines.find((x) => x.id === c.pipelineId);
    if (p) map[c.key] = targetsAfter(c, p);
  }
  return { source: 'setup', map, stageIds: Object.fromEntries(m.stages.map((s) => [s.ApiName, s.Id])) };
}
const renewalPipeline: HsPipeline = {
  id: 'pR',
  label: 'Salesforce - Renewal',
  displayOrder: 1,
  stages: [
    hs('r3', 'Negotiation', 0.9, false, 3),
    hs('r4', 'Closed Won', 1, true, 4),
    hs('r5', 'Closed Lost', 0, true, 5),
  ],
};

void test('no record types: one default pipeline with every active stage', () => {
  for (const recordTypes of [[], [rt('012Z', 'Old', false)]]) {
    const wanted = wantedPipelines(meta({ recordTypes, processes: new Map() }), { hasMaster: true });
    assert.deepEqual(
      wanted.map((w) => [w.key, w.label, w.required]),
      [
        [
          'default',
          DEFAULT_PIPELINE_LABEL,
          ['Prospecting', 'Qualification', 'Negotiation', 'Closed Won', 'Closed Lost'],
        ],
      ],
    );
  }
});

void test("each record type's pipeline holds only its sales process's stages; Master only when needed", () => {
  const without = wantedPipelines(meta(), { hasMaster: false });
  assert.deepEqual(
    without.map((w) => [w.key, w.label, w.required.length]),
    [
      ['012A', 'Salesforce - New Business', 5],
      ['012B', 'Salesforce - Renewal', 3],
    ],
  );
  const changes = reconcilePipelines(meta(), without, [], undefined);
  assert.deepEqual(
    changes[1]?.stages.map((s) => [s.sfStage, s.probability, s.isClosed]),
    [
      ['Negotiation', 0.9, false],
      ['Closed Won', 1, true],
      ['Closed Lost', 0, true],
    ],
  );
  const withMaster = wantedPipelines(meta(), { hasMaster: true });
  assert.deepEqual(withMaster.at(-1)?.label, MASTER_PIPELINE_LABEL);
  assert.equal(withMaster.at(-1)?.required.length, 5);
  // A Master opportunity demanding a stage brings the Master pipeline without hasMaster.
  const demanded = wantedPipelines(meta(), {
    hasMaster: false,
    demand: new Map([['default', new Set(['Legacy'])]]),
  });
  assert.deepEqual(demanded.at(-1)?.extra, ['Legacy']);
});

void test('an existing pipeline whose stages match by label: nothing to write', () => {
  const changes = reconcilePipelines(
    meta(),
    wantedPipelines(meta(), { hasMaster: false }),
    [renewalPipeline],
    undefined,
  );
  const renewal = changes.find((c) => c.key === '012B')!;
  assert.equal(renewal.pipelineId, 'pR');
  assert.equal(needsWrite(renewal, [renewalPipeline]), false);
  assert.deepEqual(targetsAfter(renewal, renewalPipeline)['Closed Won'], { pipelineId: 'pR', stageId: 'r4' });
});

void test('a stage renamed in Salesforce (label) renames its HubSpot stage, no second one', () => {
  const previous = storedAfter(meta(), [renewalPipeline]);
  const renamed = meta({
    stages: STAGES.map((s) => (s.ApiName === 'Negotiation' ? { ...s, MasterLabel: 'Negotiating' } : s)),
  });
  const change = reconcilePipelines(
    renamed,
    wantedPipelines(renamed, { hasMaster: false, previous }),
    [renewalPipeline],
    previous,
  ).find((c) => c.key === '012B')!;
  assert.deepEqual(change.added, []);
  assert.deepEqual(change.renamed, ['Negotiation → Negotiating']);
  assert.equal(change.stages.find((s) => s.sfStage === 'Negotiation')?.hubspotId, 'r3');
  assert.equal(needsWrite(change, [renewalPipeline]), true);
});

void test("a stage's API name edited in Salesforce (same row) keeps its HubSpot stage under both names", () => {
  const previous = storedAfter(meta(), [renewalPipeline]);
  const edited = meta({
    stages: STAGES.map((s) =>
      s.ApiName === 'Negotiation'
        ? { ...s, ApiName: 'Negotiation_Review', MasterLabel: 'Negotiation/Review' }
        : s,
    ),
    processes: new Map([['012B', ['Negotiation_Review', 'Closed Won', 'Closed Lost']]]),
  });
  const change = reconcilePipelines(
    edited,
    wantedPipelines(edited, { hasMaster: false, previous }),
    [renewalPipeline],
    previous,
  ).find((c) => c.key === '012B')!;
  assert.deepEqual(change.added, []);
  const plan = change.stages.find((s) => s.sfStage === 'Negotiation_Review');
  assert.equal(plan?.hubspotId, 'r3');
  assert.deepEqual(plan?.aliases, ['Negotiation']);
  const after = targetsAfter(change, renewalPipeline);
  assert.deepEqual(after.Negotiation, after.Negotiation_Review);
});

void test('a stage deactivated, or dropped from the sales process, keeps its HubSpot stage', () => {
  const previous = storedAfter(meta(), [renewalPipeline]);
  const changed = meta({
    stages: STAGES.map((s) => (s.ApiName === 'Closed Lost' ? { ...s, IsActive: false } : s)),
    processes: new Map([['012B', ['Closed Won']]]),
  });
  const change = reconcilePipelines(
    changed,
    wantedPipelines(changed, { hasMaster: false, previous }),
    [renewalPipeline],
    previous,
  ).find((c) => c.key === '012B')!;
  assert.deepEqual(change.required, ['Closed Won']);
  assert.deepEqual(Object.keys(targetsAfter(change, renewalPipeline)).sort(), [
    'Closed Lost',
    'Closed Won',
    'Negotiation',
  ]);
  assert.equal(needsWrite(change, [renewalPipeline]), false);
});

void test('an added stage is created in the pipelines whose process holds it; a renamed record type renames its pipeline', () => {
  const previous = storedAfter(meta(), [renewalPipeline]);
  const added = meta({
    recordTypes: [{ ...RENEWAL, Name: 'Renewals' }, NEW],
    stages: [...STAGES, stage('Contract Sent', 35, 95)],
    processes: new Map([['012B', ['Negotiation', 'Contract Sent', 'Closed Won', 'Closed Lost']]]),
  });
  const change = reconcilePipelines(
    added,
    wantedPipelines(added, { hasMaster: false, previous }),
    [renewalPipeline],
    previous,
  ).find((c) => c.key === '012B')!;
  assert.equal(change.pipelineId, 'pR');
  assert.equal(change.label, 'Salesforce - Renewals');
  assert.deepEqual(change.added, ['Contract Sent']);
  assert.deepEqual(
    change.stages.map((s) => s.sfStage),
    ['Negotiation', 'Closed Won', 'Closed Lost', 'Contract Sent'],
  );
});
