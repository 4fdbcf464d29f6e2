// Entry point: `createHubspotEmulator(options)` starts one emulated HubSpot portal on loopback.
// Used by `dealbridge emulator hubspot`, the sandbox command, tests and benchmarks.
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { Faults, Stats } from './control.js';
import { Portal } from './portal.js';
import { RateLimiter, limitSettings, type Tier } from './ratelimit.js';
import { adminRoutes, type AdminContext } from './routes/admin.js';
import { apiRoutes } from './routes/index.js';
import { createPortalServer } from './server.js';
import { DEFAULT_SCOPES } from './scopes.js';
import { loadPortalData, seedDemo, seedSizes, type SeedSizes } from './seed.js';
import { seedMessy } from './seed-messy.js';
import { createWebhooks, type WebhooksOptions } from './webhooks/index.js';

export interface HubspotEmulatorOptions {
  port?: number;
  host?: string;
  seed?: 'demo' | 'empty' | 'messy';
  tier?: Tier;
  /** Override the 10-second request limit (250 = HubSpot's API limit increase pack). */
  burst?: number;
  /** Load the portal from a JSON file written by `GET /__emulator/export` (or hand-written). */
  dataFile?: string;
  accessToken?: string;
  /** The token's scopes; default: every scope dealbridge needs (scopes.ts). */
  scopes?: string[];
  portalId?: number;
  /** `false` turns every rate limit off (benchmarks); on by default. */
  rateLimits?: boolean;
  /** Start the clock here (ms); the admin API can move it. Defaults to the wall clock. */
  clock?: number;
  /** Seed generated records too (benchmarks): `{ deals: 1_000_000, contacts: …, associations: … }`. */
  sizes?: SeedSizes;
  /** Passed to the webhooks engine (e.g. faster delivery timers in tests). */
  webhooks?: Partial<Omit<WebhooksOptions, 'portalId' | 'now'>>;
  /** Random source for fault probabilities (tests make it deterministic). */
  random?: () => number;
}

export interface HubspotEmulator {
  url: string;
  accessToken: string;
  portalId: number;
  /** In-process handle on the state, for tests and benchmarks (same objects the routes use). */
  admin: AdminContext;
  close(): Promise<void>;
}

export async function createHubspotEmulator(options: HubspotEmulatorOptions = {}): Promise<HubspotEmulator> {
  const host = options.host ?? '127.0.0.1';
  const portalId = options.portalId ?? 62515;
  let offset = options.clock === undefined ? 0 : options.clock - Date.now();
  let frozen: number | undefined;
  const now = () => frozen ?? Date.now() + offset;
  const clock = {
    now,
    set(ms: number) {
      offset = ms - Date.now();
      if (frozen !== undefined) frozen = ms;
    },
    advance(ms: number) {
      offset += ms;
      if (frozen !== undefined) frozen += ms;
    },
    freeze(on: boolean) {
      frozen = on ? now() : undefined;
      if (!on) offset = offset + 0;
    },
  };

  const portal = new Portal(portalId, now);
  const webhooks = createWebhooks({ portalId, now, ...options.webhooks });
  portal.onEvent = (e) => webhooks.publish(e);
  portal.eventsWanted = () => webhooks.listening();
  const tier = options.tier ?? 'professional';
  const limiter = new RateLimiter(limitSettings(tier, options.burst, options.rateLimits !== false), now);
  const faults = new Faults(options.random);
  const stats = new Stats();
  let accessToken = options.accessToken ?? 'sandbox-token';
  let scopes: string[] = [...(options.scopes ?? DEFAULT_SCOPES)];

  const admin: AdminContext = {
    portal,
    limiter,
    faults,
    stats,
    clock,
    webhooks,
    get accessToken() {
      return accessToken;
    },
    set accessToken(t: string) {
      accessToken = t;
    },
    get scopes() {
      return scopes;
    },
    set scopes(s: string[]) {
      scopes = s;
    },
  };

  if (options.dataFile)
    loadPortalData(portal, JSON.parse(await readFile(options.dataFile, 'utf8')) as unknown);
  else if (options.seed === 'demo') seedDemo(portal);
  else if (options.seed === 'messy') seedMessy(portal);
  if (options.sizes) seedSizes(portal, options.sizes);

  const server = createPortalServer({
    portal,
    routes: apiRoutes,
    adminRoutes: adminRoutes(admin),
    limiter,
    faults,
    stats,
    webhooks,
    accessToken: () => accessToken,
    scopes: () => scopes,
    portalId,
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}`,
    accessToken,
    portalId,
    admin,
    async close() {
      await webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type { Tier } from './ratelimit.js';
export type { SeedSizes } from './seed.js';
