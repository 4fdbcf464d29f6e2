import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HsOwner, HsPipeline } from '../../domain/hubspot.js';
import type { SfRecordType, SfStage, SfUser } from '../../domain/salesforce.js';
import type { StageMap } from '../mapping/index.js';
import {
  DEFAULT_PIPELINE_LABEL,
  MASTER_PIPELINE_LABEL,
  defaultTypeValueMap,
  matchOwners,
  pipelineLabelsOf,
  planPipelines,
  plannedStages,
  stageMapFromPipelines,
  validateStageMap,
} from './plan.js';

const stage = (
  ApiName: string,
  SortOrder: number,
  DefaultProbability: number,
  IsClosed = false,
  IsWon = false,
  IsActive = true,
): SfStage => ({
  ApiName,
  MasterLabel: ApiName,
  SortOrder,
  DefaultProbability,
  IsClosed,
  IsWon,
  IsActive,
});

// Salesforce's default stages (a few), out of order, one inactive; Closed Won with a 90 % default to prove it is forced to 1.0.
const STAGES: SfStage[] = [
  stage('Closed Won', 10, 90, true, true),
  stage('Prospecting', 1, 10),
  stage('Negotiation/Review', 7, 90),
  stage('Closed Lost', 11, 5, true, false),
  stage('Perception Analysis', 5, 70, false, false, false),
];

const rt = (Id: string, Name: string, IsActive = true): SfRecordType => ({
  Id,
  Name,
  DeveloperName: Name.replace(/\W/g, '_'),
  IsActive,
});

void test('stages: active ones in SortOrder, probability /100, won → closed 1.0, lost → closed 0.0', () => {
  assert.deepEqual(plannedStages(STAGES), [
    { sfStage: 'Prospecting', label: 'Prospecting', displayOrder: 1, probability: 0.1, isClosed: false },
    {
      sfStage: 'Negotiation/Review',
      label: 'Negotiation/Review',
      displayOrder: 7,
      probability: 0.9,
      isClosed: false,
    },
    { sfStage: 'Closed Won', label: 'Closed Won', displayOrder: 10, probability: 1, isClosed: true },
    { sfStage: 'Closed Lost', label: 'Closed Lost', displayOrder: 11, probability: 0, isClosed: true },
  ]);
});

void test('no record types (or none active): one default pipeline to create', () => {
  for (const types of [[], [rt('012A', 'Old', false)]]) {
    const plan = planPipelines(types, STAGES, []);
    assert.deepEqual(
      plan.create.map((c) => [c.recordTypeId, c.label, c.stages.length]),
      [[null, DEFAULT_PIPELINE_LABEL, 4]],
    );
    assert.deepEqual(plan.update, []);
    assert.equal(plan.stageMap.size, 0);
  }
});

void test('one pipeline per active record type, "Salesforce - <name>"', () => {
  const plan = planPipelines(
    [rt('012B', 'Renewal'), rt('012A', 'New Business'), rt('012C', 'Legacy', false)],
    STAGES,
    [],
  );
  assert.deepEqual(
    plan.create.map((c) => [c.recordTypeId, c.label]),
    [
      ['012A', 'Salesforce - New Business'],
      ['012B', 'Salesforce - Renewal'],
      [null, MASTER_PIPELINE_LABEL],
    ],
  );
});

void test('an org with record types also gets "Salesforce - Master" for opportunities without one', () => {
  // An opportunity created through the API by a user without a default record type, or one older
  // than the org's record types, has RecordTypeId null; before, it failed STAGE_NOT_MAPPED forever.
  const types = [rt('012A', 'New Business')];
  const master: HsPipeline = {
    id: 'pm',
    label: MASTER_PIPELINE_LABEL,
    displayOrder: 2,
    stages: [hsStage('m1', 'Prospecting', 0.1, false), hsStage('m2', 'Closed Won', 1, true)],
  };
  const map = stageMapFromPipelines(types, STAGES, [master]);
  assert.deepEqual(map.get('default')?.get('Prospecting'), { pipelineId: 'pm', stageId: 'm1' });
  assert.equal(planPipelines(types, STAGES, []).create.at(-1)?.stages.length, 4);
});

void test('a stage deactivated after setup keeps its HubSpot stage in the map', () => {
  const withOld: HsPipeline = {
    id: 'p1',
    label: DEFAULT_PIPELINE_LABEL,
    displayOrder: 1,
    stages: [hsStage('h1', 'Prospecting', 0.1, false), hsStage('h9', 'Perception Analysis', 0.7, false)],
  };
  // 'Perception Analysis' is inactive in STAGES: not created anew, but still mapped where it exists.
  const map = stageMapFromPipelines([], STAGES, [withOld]);
  assert.deepEqual(map.get('default')?.get('Perception Analysis'), { pipelineId: 'p1', stageId: 'h9' });
  assert.deepEqual(planPipelines([], STAGES, [withOld]).stageMap.get('default')?.get('Perception Analysis'), {
    pipelineId: 'p1',
    stageId: 'h9',
  });
});

const hsStage = (id: string, label: string, probability: number, isClosed: boolean, displayOrder = 0) => ({
  id,
  label,
  probability,
  isClosed,
  displayOrder,
});
const complete: HsPipeline = {
  id: 'p1',
  label: DEFAULT_PIPELINE_LABEL,
  displayOrder: 1,
  stages: [
    hsStage('h1', 'Prospecting', 0.1, false),
    hsStage('h2', 'negotiation/review', 0.9, false), // labels match case-insensitively
    hsStage('h3', 'Closed Won', 1, true),
    hsStage('h4', 'Closed Lost', 0, true),
    hsStage('h5', 'Added by a user', 0.5, false),
  ],
};

void test('an existing complete pipeline: nothing to create or update, stage map by label', () => {
  const plan = planPipelines([], STAGES, [complete]);
  assert.deepEqual(plan.create, []);
  assert.deepEqual(plan.update, []);
  assert.deepEqual(
    [...(plan.stageMap.get('default') ?? [])],
    [
      ['Prospecting', { pipelineId: 'p1', stageId: 'h1' }],
      ['Negotiation/Review', { pipelineId: 'p1', stageId: 'h2' }],
      ['Closed Won', { pipelineId: 'p1', stageId: 'h3' }],
      ['Closed Lost', { pipelineId: 'p1', stageId: 'h4' }],
    ],
  );
  assert.deepEqual(plan.stageMap, stageMapFromPipelines([], STAGES, [complete]));
});

void test('an existing pipeline missing a stage or with wrong metadata is updated', () => {
  const partial: HsPipeline = {
    ...complete,
    stages: [
      hsStage('h1', 'Prospecting', 0.2, false),
      hsStage('h3', 'Closed Won', 0.9, true),
      hsStage('h4', 'Closed Lost', 0, true),
    ],
  };
  const plan = planPipelines([], STAGES, [partial]);
  assert.equal(plan.create.length, 0);
  assert.equal(plan.update.length, 1);
  const u = plan.update[0];
  assert.equal(u?.pipelineId, 'p1');
  assert.deepEqual(u?.missing, ['Negotiation/Review']);
  assert.deepEqual(u?.changed, ['Prospecting', 'Closed Won']);
  assert.equal(u?.stages.length, 4);
  assert.equal(plan.stageMap.get('default')?.has('Negotiation/Review'), false);
});

void test('stageMapFromPipelines ignores pipelines that are not ours', () => {
  const other: HsPipeline = { ...complete, id: 'p9', label: 'Sales Pipeline' };
  assert.equal(stageMapFromPipelines([], STAGES, [other]).size, 0);
  const map = stageMapFromPipelines([rt('012A', 'Renewal')], STAGES, [
    other,
    { ...complete, id: 'p2', label: 'Salesforce - Renewal' },
  ]);
  assert.deepEqual([...map.keys()], ['012A']);
  assert.equal(map.get('012A')?.get('Closed Won')?.pipelineId, 'p2');
  assert.deepEqual(
    pipelineLabelsOf(map, [complete, { ...complete, id: 'p2', label: 'Salesforce - Renewal' }]),
    new Map([['012A', 'Salesforce - Renewal']]),
  );
});

const mapOf = (entries: [string, string][]): StageMap =>
  new Map([['default', new Map(entries.map(([sf, hs]) => [sf, { pipelineId: 'p1', stageId: hs }]))]]);

const fullMap: [string, string][] = [
  ['Prospecting', 'h1'],
  ['Negotiation/Review', 'h2'],
  ['Closed Won', 'h3'],
  ['Closed Lost', 'h4'],
];

const invariantCases: { name: string; map: StageMap; problems: [string, RegExp][] }[] = [
  { name: 'a correct map', map: mapOf(fullMap), problems: [] },
  {
    name: 'won stage mapped to an open stage',
    map: mapOf([...fullMap.slice(0, 2), ['Closed Won', 'h5'], ['Closed Lost', 'h4']]),
    problems: [
      [
        'Closed Won',
        /won stage "Closed Won" must map to a closed stage with probability 1\.0; HubSpot stage "Added by a user" is open/,
      ],
    ],
  },
  {
    name: 'lost stage mapped to the won stage',
    map: mapOf([...fullMap.slice(0, 3), ['Closed Lost', 'h3']]),
    problems: [['Closed Lost', /lost stage "Closed Lost" must map to a closed stage with probability 0\.0/]],
  },
  {
    name: 'open stage mapped to a closed stage',
    map: mapOf([['Prospecting', 'h4'], ...fullMap.slice(1)]),
    problems: [['Prospecting', /open stage "Prospecting" must map to an open stage/]],
  },
  {
    name: 'an active stage not mapped, an unknown target',
    map: mapOf([
      ['Prospecting', 'h1'],
      ['Negotiation/Review', 'nope'],
      ['Closed Won', 'h3'],
    ]),
    problems: [
      ['Negotiation/Review', /HubSpot stage nope does not exist in pipeline "Salesforce - Default pipeline"/],
      ['Closed Lost', /stage "Closed Lost" is not mapped/],
    ],
  },
  { name: 'an empty map', map: new Map(), problems: [['*', /empty/]] },
];
for (const c of invariantCases) {
  void test(`validateStageMap: ${c.name}`, () => {
    const problems = validateStageMap(c.map, STAGES, [complete]);
    assert.equal(problems.length, c.problems.length, JSON.stringify(problems));
    c.problems.forEach(([stageName, re], i) => {
      assert.equal(problems[i]?.stage, stageName);
      assert.match(problems[i]?.problem ?? '', re);
    });
  });
}

void test('validateStageMap: closed won with probability 0.9 breaks the invariant', () => {
  const bad: HsPipeline = {
    ...complete,
    stages: complete.stages.map((s) => (s.id === 'h3' ? { ...s, probability: 0.9 } : s)),
  };
  const problems = validateStageMap(mapOf(fullMap), STAGES, [bad]);
  assert.deepEqual(
    problems.map((p) => [p.recordType, p.stage]),
    [['default', 'Closed Won']],
  );
});

void test('owners matched by email, case-insensitive; archived owners are no match', () => {
  const user = (Id: string, Email: string, IsActive = true): SfUser => ({ Id, Email, Name: Id, IsActive });
  const owner = (id: string, email: string, archived = false): HsOwner => ({ id, email, archived });
  const { map, unmatched } = matchOwners(
    [
      user('005A', 'Ann@Example.com'),
      user('005B', 'bob@example.com'),
      user('005C', 'cy@example.com', false),
      user('005D', ' dee@example.com '),
    ],
    [
      owner('1', 'ann@example.COM'),
      owner('2', 'bob@example.com', true),
      owner('3', 'cy@example.com'),
      owner('4', 'dee@example.com'),
    ],
  );
  assert.deepEqual(
    [...map],
    [
      ['005A', '1'],
      ['005C', '3'],
      ['005D', '4'],
    ],
  );
  assert.deepEqual(
    unmatched.map((u) => u.Id),
    ['005B'],
  );
});

void test("default Type map covers Salesforce's standard values with HubSpot's default options", () => {
  assert.equal(defaultTypeValueMap.get('New Customer'), 'newbusiness');
  assert.equal(defaultTypeValueMap.get('New Business'), 'newbusiness');
  for (const t of [
    'Existing Customer - Upgrade',
    'Existing Customer - Replacement',
    'Existing Customer - Downgrade',
    'Existing Business',
  ]) {
    assert.equal(defaultTypeValueMap.get(t), 'existingbusiness', t);
  }
  assert.deepEqual(new Set(defaultTypeValueMap.values()), new Set(['newbusiness', 'existingbusiness']));
});
