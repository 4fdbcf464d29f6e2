import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HsOwner, HsPipeline } from '../../domain/hubspot.js';
import type { SfStage, SfUser } from '../../domain/salesforce.js';
import type { StageMap } from '../mapping/index.js';
import {
  DEFAULT_PIPELINE_LABEL,
  defaultTypeValueMap,
  matchOwners,
  pipelineLabelsOf,
  plannedStages,
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
  Id: `01J${SortOrder}`,
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

void test('pipelineLabelsOf names each key by its pipeline', () => {
  const map: StageMap = new Map([['012A', new Map([['Closed Won', { pipelineId: 'p2', stageId: 'h3' }]])]]);
  assert.deepEqual(
    pipelineLabelsOf(map, [complete, { ...complete, id: 'p2', label: 'Salesforce - Renewal' }]),
    new Map([['012A', 'Salesforce - Renewal']]),
  );
});

void test('validateStageMap asks of a key only the stages its sales process holds', () => {
  // Renewal's process has no Prospecting: not mapping it there is no problem.
  const renewal = mapOf(fullMap.slice(1));
  assert.equal(validateStageMap(renewal, STAGES, [complete]).length, 1);
  assert.deepEqual(
    validateStageMap(renewal, STAGES, [complete], {
      default: ['Negotiation/Review', 'Closed Won', 'Closed Lost'],
    }),
    [],
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
