// A Runtime over the engine's in-memory fakes (no sockets), and a logged-in client of the API
// over it, for the API's inject tests.
import { NEEDED_SCOPES } from '../hubspot/scopes.js';
import { HubspotToSalesforce } from '../engine/two-way/step.js';
import type { FastifyInstance } from 'fastify';
import type { Runtime, RuntimeConfig } from '../composition/runtime.js';
import { dryRunPass } from '../engine/dry-run/run.js';
import { SyncEngine } from '../engine/sync/pass.js';
import { FakeHubspot, FakeSalesforce, MemoryStore, seedSetup } from '../engine/testing/fakes.js';
import { buildServer } from './app.js';
import type { ServerContext } from './context.js';
import { registerApi } from './routes/index.js';
import { createServerContext } from './serve.js';
import { newSecretKey } from '../secrets/cipher.js';
import { MemoryConnections } from '../secrets/testing/memory-connections.js';
import { SecretVault } from '../secrets/vault.js';
import { SalesforceConnect } from '../connect/salesforce.js';
import { HubspotConnect } from '../connect/hubspot.js';

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
  const connections = new MemoryConnections();
  const vault = new SecretVault(connections, { key: newSecretKey(), keyFile: '/nonexistent/secret.key' });
  const twoWay = new HubspotToSalesforce({
    salesforce: sf,
    hubspot: hs,
    store: memory,
    now: () => new Date(sf.clock),
  });
  return {
    config,
    store: memory,
    connections,
    vault,
    salesforceConnect: new SalesforceConnect(vault, { configured: true }),
    hubspotConnect: new HubspotConnect(vault, {
      configured: true,
      create: async () => hs,
      introspect: async () => [...NEEDED_SCOPES],
    }),
    sf,
    hs,
    memory,
    salesforce: async () => sf,
    // The fake Salesforce offers no change events: serve polls.
    changeEvents: async () => undefined,
    resetSalesforce: () => {},
    resetHubspot: () => {},
    hubspot: async () => hs,
    async engine() {
      engine ??= new SyncEngine({
        salesforce: sf,
        hubspot: hs,
        store: memory,
        now: () => new Date(sf.clock),
        options: { lookbackSeconds: 5, rescopeIntervalMs: 0 },
        twoWay,
      });
      return engine;
    },
    twoWay: async () => twoWay,
    async dryRunPass() {
      const scratch = await memory.scratchCopy();
      return dryRunPass({ salesforce: sf, hubspot: hs, scratch, now: () => new Date(sf.clock) });
    },
    openedAdapters: () => ({ salesforce: sf, hubspot: hs }),
    // The memory store has no migrations: nothing is pending (tests replace this to say otherwise).
    migrationStatus: async () => ({ applied: [], pending: [] }),
    close: async () => {},
  };
}

/** A logged-in client of the API over fakeRuntime, through inject (no socket). */
export interface ApiClient {
  app: FastifyInstance;
  rt: FakeRuntime;
  ctx: ServerContext;
  get(url: string): Promise<{ status: number; body: string; json: () => any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  send(
    method: 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<{ status: number; body: string; json: () => any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function apiClient(): Promise<ApiClient> {
  const rt = await fakeRuntime();
  const ctx = createServerContext(rt, TEST_SECRETS.adminToken);
  // The fakes keep their own clock; the engine stamps API usage and errors with it.
  ctx.now = () => new Date(rt.sf.clock);
  const app = await buildServer({
    adminToken: TEST_SECRETS.adminToken,
    secrets: ctx.secrets,
    routes: (a) => void registerApi(a, ctx),
  });
  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { token: TEST_SECRETS.adminToken },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
  const { csrfToken } = login.json<{ csrfToken: string }>();
  const wrap = (r: { statusCode: number; body: string }) => ({
    status: r.statusCode,
    body: r.body,
    json: () => JSON.parse(r.body),
  });
  return {
    app,
    rt,
    ctx,
    get: async (url) => wrap(await app.inject({ method: 'GET', url, headers: { cookie } })),
    send: async (method, url, payload) =>
      wrap(
        await app.inject({
          method,
          url,
          headers: { cookie, 'x-csrf-token': csrfToken },
          ...(payload !== undefined ? { payload: payload as object } : {}),
        }),
      ),
  };
}
