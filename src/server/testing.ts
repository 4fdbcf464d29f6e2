// A Runtime over the engine's in-memory fakes (no sockets), for the API's inject tests.
import type { Runtime, RuntimeConfig } from '../composition/runtime.js';
import { SyncEngine } from '../engine/sync/pass.js';
import { FakeHubspot, FakeSalesforce, MemoryStore, seedSetup } from '../engine/testing/fakes.js';

export const TEST_SECRETS = {
  adminToken: 'test-admin-token-0123456789',
  hubspotToken: 'pat-na1-SECRET-hubspot-token',
  clientSecret: 'SECRET-salesforce-client',
};

export interface FakeRuntime extends Runtime {
  sf: FakeSalesforce;
  hs: FakeHubspot;
  memory: MemoryStore;
}

export async function fakeRuntime(): Promise<FakeRuntime> {
  const sf = new FakeSalesforce();
  const hs = new FakeHubspot();
  const memory = new MemoryStore();
  await seedSetup(sf, hs, memory);
  const config: RuntimeConfig = {
    databaseUrl: ':memory:',
    salesforce: {
      loginUrl: 'http://127.0.0.1:1',
      clientId: 'client',
      clientSecret: TEST_SECRETS.clientSecret,
      apiVersion: '62.0',
      budgetPercent: 80,
    },
    hubspot: { baseUrl: 'http://127.0.0.1:1', accessToken: TEST_SECRETS.hubspotToken },
    engine: {},
    createSalesforce: async () => sf,
    createHubspot: async () => hs,
  };
  let engine: SyncEngine | undefined;
  return {
    config,
    store: memory,
    sf,
    hs,
    memory,
    salesforce: async () => sf,
    hubspot: async () => hs,
    async engine() {
      engine ??= new SyncEngine({
        salesforce: sf,
        hubspot: hs,
        store: memory,
        now: () => new Date(sf.clock),
        options: { lookbackSeconds: 5, rescopeIntervalMs: 0 },
      });
      return engine;
    },
    close: async () => {},
  };
}
