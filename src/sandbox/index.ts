// The sandbox: both API emulators with demo data, a SQLite state store, setup, opportunity sync on,
// the web UI and the sync loop — everything a new user needs
// to see dealbridge work, with no Salesforce org or HubSpot portal. This module (with the CLI's
// emulator command) is the only code under src/ that starts the emulators; the connector itself
// reaches them only through their public APIs, exactly as it would reach the real services.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../composition/runtime.js';
import { fromAppConfig } from '../composition/runtime-config.js';
import { runSetup, type SetupReport } from '../engine/setup/run-setup.js';
import { writeSetting } from '../engine/user-settings.js';
import type { PassResult } from '../engine/sync/pass.js';
import { startServer } from '../server/serve.js';
import { startDemoActivity } from './activity.js';

export interface SandboxOptions {
  /** State folder; wiped at start, because the emulators start afresh too. */
  dir: string;
  /** Port of the web UI (0 picks a free one). */
  port?: number;
  host?: string;
  adminToken?: string;
  /** Seconds between sync passes. */
  intervalMs?: number;
  /** Edit a demo opportunity now and then, so the live sync has something to show. */
  activity?: boolean;
  /** Progress lines (setup done, import counts, passes). */
  log?: (line: string) => void;
  /** Called after every sync pass. */
  onPass?: (r: PassResult) => void;
  /** false: the org selects no entity for Change Data Capture, so polling is the live path (tests of passes). */
  cdc?: boolean;
}

export interface Sandbox {
  webUrl: string;
  /** A one-time login link (dead after use or 5 minutes); later logins take the admin token. */
  loginUrl: string;
  adminToken: string;
  /** The file (mode 0600, in the sandbox folder) that holds the admin token: never printed. */
  adminTokenFile: string;
  salesforceUrl: string;
  hubspotUrl: string;
  runtime: Runtime;
  setup: SetupReport;
  stop(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? '127.0.0.1';
  await rm(opts.dir, { recursive: true, force: true });
  // The state database (customer data) and the admin token live here: owner only.
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });

  // Loaded here, not at the top: every CLI command loads this module, and only the sandbox needs
  // the emulators.
  const { createSalesforceEmulator } = await import('../../emulators/salesforce/index.js');
  const { createHubspotEmulator } = await import('../../emulators/hubspot/index.js');
  const sf = await createSalesforceEmulator({ seed: 'demo', host });
  if (opts.cdc === false) sf.admin.state.store.cdcSelected.clear();
  const hs = await createHubspotEmulator({ seed: 'demo', host, tier: 'professional' });
  log(`Salesforce emulator ${sf.url}, HubSpot emulator ${hs.url}`);

  const runtime = await openRuntime(
    fromAppConfig({
      databaseUrl: join(opts.dir, 'state.db'),
      salesforce: {
        loginUrl: sf.url,
        clientId: sf.clientId,
        clientSecret: sf.clientSecret,
        apiVersion: '62.0',
      },
      hubspot: { baseUrl: hs.url, accessToken: hs.accessToken },
    }),
  );
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    await runtime.close().catch(() => {});
    await Promise.allSettled([sf.close(), hs.close()]);
  };

  try {
    const setup = await runSetup({
      salesforce: await runtime.salesforce(),
      hubspot: await runtime.hubspot(),
      store: runtime.store,
    });
    log(
      `Setup: ${setup.pipelines.length} pipeline(s), ${setup.owners.matched} owners matched, ${setup.owners.unmatched.length} unmatched` +
        (setup.problems.length ? `, ${setup.problems.length} problem(s)` : ''),
    );
    // T (the scope contract's start) is Salesforce's time to the second, and the new-contacts feed
    // counts HubSpot contacts created at or after it as new. The demo portal's contacts were made a
    // moment ago, maybe within T's second: they would bring every demo opportunity into the sync,
    // and the import would find nothing left. So T starts in a later second than the seed.
    await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
    await writeSetting(runtime.store, 'opportunitySync', true, { salesforce: await runtime.salesforce() });
    log('Opportunity sync: on');

    const adminToken = opts.adminToken ?? randomBytes(24).toString('base64url');
    const adminTokenFile = join(opts.dir, 'admin-token');
    await writeFile(adminTokenFile, `${adminToken}\n`, { mode: 0o600 });
    // The web server runs the sync loop too.
    const server = await startServer({
      runtime,
      host,
      port: opts.port ?? 0,
      adminToken,
      sync: true,
      intervalMs: opts.intervalMs ?? 2000,
      ...(opts.onPass ? { onPass: opts.onPass } : {}),
    });
    const webUrl = server.url;
    stops.push(() => server.close());
    if (opts.activity ?? true) {
      const activity = startDemoActivity({
        salesforceUrl: sf.url,
        clientId: sf.clientId,
        clientSecret: sf.clientSecret,
        log,
      });
      stops.push(() => activity.stop());
    }
    return {
      webUrl,
      // A one-time, short-lived code, not the token: the link is dead once used.
      loginUrl: server.loginUrl(),
      adminToken,
      adminTokenFile,
      salesforceUrl: sf.url,
      hubspotUrl: hs.url,
      runtime,
      setup,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
