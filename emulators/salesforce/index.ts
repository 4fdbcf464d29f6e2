// createSalesforceEmulator: starts the Salesforce REST API emulator on node:http.
// Used by `dealbridge emulator salesforce`, the sandbox, tests and benchmarks.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Clock } from './clock.js';
import { EmulatorState } from './state.js';
import { createHandler } from './server.js';
import { seedDemo, seedEmpty, seedSized } from './seed.js';
import { seedMessy } from './seed-messy.js';
import type { SeedOptions } from './seed.js';
import { loadOrg } from './data-file.js';
import type { OrgDocument } from './data-file.js';
import type { SeedRequest } from './routes/admin.js';
import { admin as adminRoute } from './routes/admin.js';
import type { OrgStore } from './store.js';
import { parseDateTime } from './time.js';
import { errorReply } from './http.js';

export interface SalesforceEmulatorOptions {
  port?: number;
  host?: string;
  /** Initial org: 'empty' (default), 'demo', 'messy' (an old org's variety, seed-messy.ts), or a sized seed request ({kind:'sized', opportunities: 100000, ...}). */
  seed?: 'demo' | 'empty' | 'messy' | SeedRequest;
  /** Options applied to the named seed (multiCurrency, seed number, sizes). */
  seedOptions?: SeedOptions;
  /** Load the org from a JSON data file instead (format in docs/emulators/salesforce.md). */
  dataFile?: string;
  clientId?: string;
  clientSecret?: string;
  /** Password accepted by the password grant for every active user (a security token may follow it). */
  password?: string;
  /** Access-token lifetime in seconds (default 7200, Salesforce's default session timeout of 2 hours). */
  tokenTtlSeconds?: number;
  /** Daily API request allocation (default 100,000). */
  dailyApiAllocation?: number;
  /** Start the clock at this time (ISO 8601 or epoch ms) instead of now. */
  now?: string | number;
}

export interface SalesforceEmulator {
  url: string;
  clientId: string;
  clientSecret: string;
  password: string;
  /** In-process access for tests: the live state and the admin API without HTTP. */
  admin: {
    state: EmulatorState;
    call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
    /** Issues an access + refresh token for the API user (or a username), as after an OAuth login. */
    issueTokens(username?: string): Promise<{
      accessToken: string;
      refreshToken: string;
      instanceUrl: string;
      id: string;
      userId: string;
    }>;
  };
  close(): Promise<void>;
}

function buildSeed(clock: Clock, req: SeedRequest): OrgStore {
  const kind = req.kind ?? 'sized';
  if (kind === 'empty') return seedEmpty(clock, req);
  if (kind === 'demo') return seedDemo(clock, req);
  if (kind === 'messy') return seedMessy(clock, req);
  return seedSized(clock, req);
}

export async function createSalesforceEmulator(
  options: SalesforceEmulatorOptions = {},
): Promise<SalesforceEmulator> {
  const clock = new Clock();
  if (options.now !== undefined) {
    const t = typeof options.now === 'number' ? options.now : parseDateTime(options.now);
    if (t === undefined) throw new Error(`bad start time ${String(options.now)}`);
    clock.set(t);
  }
  const seedReq: SeedRequest =
    typeof options.seed === 'object'
      ? { ...options.seedOptions, ...options.seed }
      : { ...options.seedOptions, kind: options.seed ?? 'empty' };
  const doc = options.dataFile
    ? (JSON.parse(readFileSync(options.dataFile, 'utf8')) as OrgDocument)
    : undefined;
  const initial = () => (doc ? loadOrg(clock, doc) : buildSeed(clock, seedReq));
  const clientId = options.clientId ?? 'dealbridge-sandbox';
  const clientSecret = options.clientSecret ?? 'sandbox-secret';
  const password = options.password ?? 'sandbox-password';
  const state = new EmulatorState(
    clock,
    initial(),
    { clientId, clientSecret, password, tokenTtlSeconds: options.tokenTtlSeconds ?? 7200 },
    options.dailyApiAllocation ?? 100_000,
  );
  const hooks = { initial, seed: (req: SeedRequest) => buildSeed(clock, req) };
  const handler = createHandler(state, hooks);
  const server = createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  state.baseUrl = url;
  const call = async (method: string, path: string, body?: unknown) => {
    // As over HTTP: one admin call is one transaction (its writes publish their change events together).
    state.events.begin('com/salesforce/api/soap/62.0');
    try {
      const r = await adminRoute(
        state,
        hooks,
        method,
        path
          .replace(/^\/?(__emulator\/)?/, '')
          .split('/')
          .filter(Boolean),
        () => Promise.resolve(body ?? {}),
      );
      return { status: r.status, body: r.body };
    } catch (e) {
      const r = errorReply(e);
      return { status: r.status, body: r.body };
    } finally {
      state.events.commit();
    }
  };
  return {
    url,
    clientId,
    clientSecret,
    password,
    admin: {
      state,
      call,
      issueTokens: async (username?: string) =>
        (await call('POST', 'tokens', username ? { username } : {})).body as Awaited<
          ReturnType<SalesforceEmulator['admin']['issueTokens']>
        >,
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export type { SeedOptions, SeedRequest };
