// In-memory fakes of the engine's ports and a harness that wires them to a SyncEngine, with the
// state a `dealbridge setup` would have left (stage map, owner map, our deal property).
import type { HsPipeline } from '../../domain/hubspot.js';
import { OWNER_MAP_SETTING, STAGE_MAP_SETTING, type StoredStageMap } from '../mapping/sync-context.js';
import { createRollupHook } from '../rollups/hook.js';
import { writeSetting } from '../user-settings.js';
import type { StateStore } from '../ports/store.js';
import { SyncEngine, type EngineOptions } from '../sync/pass.js';
import { FakeHubspot } from './fake-hubspot.js';
import { FakeSalesforce } from './fake-salesforce.js';
import { MemoryStore } from './memory-store.js';

export { FakeHubspot } from './fake-hubspot.js';
export { FakeSalesforce } from './fake-salesforce.js';
export { MemoryStore } from './memory-store.js';

export const testPipeline: HsPipeline = {
  id: 'p1',
  label: 'Salesforce - Default pipeline',
  displayOrder: 1,
  stages: [
    { id: 'p1-prospecting', label: 'Prospecting', displayOrder: 0, probability: 0.1, isClosed: false },
    { id: 'p1-negotiation', label: 'Negotiation', displayOrder: 1, probability: 0.9, isClosed: false },
    { id: 'p1-won', label: 'Closed Won', displayOrder: 2, probability: 1, isClosed: true },
    { id: 'p1-lost', label: 'Closed Lost', displayOrder: 3, probability: 0, isClosed: true },
  ],
};

/** Leaves the store and the fake portal as `dealbridge setup` would. */
export async function seedSetup(sf: FakeSalesforce, hs: FakeHubspot, store: StateStore): Promise<void> {
  hs.pipelines = [structuredClone(testPipeline)];
  hs.props.deals.push({
    name: 'salesforce_opportunity_id',
    label: 'Salesforce opportunity ID',
    type: 'string',
    fieldType: 'text',
    groupName: 'salesforce_opportunity_sync',
    hasUniqueValue: true,
  });
  hs.props.contacts.push({
    name: 'salesforce_contact_id',
    label: 'Salesforce contact ID',
    type: 'string',
    fieldType: 'text',
    groupName: 'salesforce_opportunity_sync',
    hasUniqueValue: true,
  });
  const stages = Object.fromEntries(
    sf.stages.map((s, i) => [
      s.ApiName,
      { pipelineId: 'p1', stageId: testPipeline.stages[i]?.id ?? 'missing' },
    ]),
  );
  await store.setSetting(STAGE_MAP_SETTING, {
    source: 'setup',
    map: { default: stages },
  } satisfies StoredStageMap);
  await store.setSetting(OWNER_MAP_SETTING, { '005U1': '9001' });
}

export interface Harness {
  sf: FakeSalesforce;
  hs: FakeHubspot;
  store: StateStore;
  engine: SyncEngine;
  /** A new engine over the same fakes and store: a process restart. */
  restart(): SyncEngine;
  /** Turns opportunity sync on (cursors start at the fake server's now). */
  enable(): Promise<void>;
}

export async function createHarness(
  options: Partial<EngineOptions> = {},
  store: StateStore = new MemoryStore(),
): Promise<Harness> {
  const sf = new FakeSalesforce();
  const hs = new FakeHubspot();
  hs.now = () => sf.now();
  await seedSetup(sf, hs, store);
  const make = () =>
    new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      now: () => new Date(sf.clock),
      options: { lookbackSeconds: 5, ...options },
    });
  const h: Harness = {
    sf,
    hs,
    store,
    engine: make(),
    restart() {
      h.engine = make();
      return h.engine;
    },
    async enable() {
      await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    },
  };
  return h;
}

/**
 * A harness whose engine runs the rollup hook after each pass, as the runtime wires it, with sync
 * turned on; `sync()` runs one pass.
 */
export async function createRollupHarness(
  store: StateStore = new MemoryStore(),
): Promise<Harness & { sync: () => Promise<void> }> {
  const h = await createHarness({}, store);
  await h.enable();
  const engine = new SyncEngine({
    salesforce: h.sf,
    hubspot: h.hs,
    store: h.store,
    now: () => new Date(h.sf.clock),
    options: { lookbackSeconds: 5 },
    onTouched: createRollupHook({ salesforce: h.sf, hubspot: h.hs, store: h.store }),
  });
  return Object.assign(h, { sync: async () => void (await engine.runPass()) });
}
