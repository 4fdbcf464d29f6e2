// What the end-to-end tests share: both emulators in-process, the real adapters (with fast
// retries), the REST helpers that play the user on each side, HubSpot's integration owner, and
// `dealbridge setup` run on the given store. Each test file builds its own engine or import on top.
import assert from 'node:assert/strict';
import { createHubspotEmulator, type HubspotEmulator } from '../../../emulators/hubspot/index.js';
import {
  createSalesforceEmulator,
  type SalesforceEmulatorOptions,
  type SalesforceEmulator,
} from '../../../emulators/salesforce/index.js';
import { createHubspotAdapter, type HubspotAdapter } from '../../hubspot/index.js';
import { createSalesforceAdapter, type SalesforceAdapter } from '../../salesforce/index.js';
import type { Store } from '../../store/index.js';
import { runSetup } from '../setup/run-setup.js';
import { HubspotRest } from './hubspot-rest.js';
import { SalesforceRest } from './salesforce-rest.js';

/** Retries that keep 429/5xx tests fast. */
export const FAST_RETRIES = { maxAttempts: 4, baseMs: 5, capMs: 20, maxWaitMs: 2000 };

export interface EmulatorWorld {
  sfEmu: SalesforceEmulator;
  hsEmu: HubspotEmulator;
  sf: SalesforceAdapter;
  hs: HubspotAdapter;
  sfRest: SalesforceRest;
  hsRest: HubspotRest;
  /**
   * Moves Salesforce's clock on (default 1 s): a user's edit after a pass lands in a later second,
   * as it does in a real org. Salesforce stamps to the second, and an edit in the very second a
   * pass read is found by the late-commit sweep instead (docs/sync.md), which these tests do not wait for.
   */
  later(seconds?: number): void;
}

export interface EmulatorWorldOptions {
  store: Store;
  salesforceSeed?: SalesforceEmulatorOptions['seed'];
  hubspotSeed?: 'demo' | 'empty' | 'messy';
  /**
   * The HubSpot owner added to an empty portal for the emulated Salesforce org's user (the demo
   * portal has one); its spelling tests that owners match by email case-insensitively.
   */
  ownerEmail?: string;
  /**
   * Changes to either org before setup runs (users, owners, custom fields, currencies), made the
   * way an admin makes them; the adapters read the org's shape at setup and keep it.
   */
  beforeSetup?: (w: Pick<EmulatorWorld, 'sfEmu' | 'hsEmu' | 'hsRest'>) => Promise<void>;
  /**
   * The portal's burst limit per 10 s, announced in HubSpot's rate-limit headers (the pacer goes
   * by them). Unset: no limits and no headers, and the pacer assumes the Free tier's 100.
   */
  hubspotBurst?: number;
  /** How long an answer's body may keep the client waiting before it counts as cut off. */
  bodyIdleMs?: number;
}

export async function connectEmulators(opts: EmulatorWorldOptions): Promise<EmulatorWorld> {
  const hubspotSeed = opts.hubspotSeed ?? 'empty';
  const sfEmu = await createSalesforceEmulator({ seed: opts.salesforceSeed ?? 'empty' });
  const hsEmu = await createHubspotEmulator({
    seed: hubspotSeed,
    ...(opts.hubspotBurst ? { rateLimits: true, burst: opts.hubspotBurst } : { rateLimits: false }),
  });
  const hsRest = new HubspotRest(hsEmu.url, hsEmu.accessToken);
  if (hubspotSeed === 'empty') {
    await hsRest.call('POST', '/__emulator/owners', {
      email: opts.ownerEmail ?? 'INTEGRATION@dealbridge-emulator.example',
      id: 501,
    });
  }
  await opts.beforeSetup?.({ sfEmu, hsEmu, hsRest });
  const sf = await createSalesforceAdapter({
    loginUrl: sfEmu.url,
    clientId: sfEmu.clientId,
    clientSecret: sfEmu.clientSecret,
    apiVersion: '62.0',
    budgetPercent: 80,
    retryPolicy: FAST_RETRIES,
    ...(opts.bodyIdleMs ? { bodyTimeoutMs: opts.bodyIdleMs } : {}),
  });
  const hs = createHubspotAdapter({
    baseUrl: hsEmu.url,
    accessToken: hsEmu.accessToken,
    retryPolicy: FAST_RETRIES,
    ...(opts.bodyIdleMs ? { bodyIdleMs: opts.bodyIdleMs } : {}),
  });
  const report = await runSetup({ salesforce: sf, hubspot: hs, store: opts.store });
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  const tokens = await sfEmu.admin.issueTokens();
  const sfRest = new SalesforceRest(
    tokens.instanceUrl,
    async () => (await sfEmu.admin.issueTokens()).accessToken,
  );
  const later = (seconds = 1) => sfEmu.admin.state.clock.advance(seconds * 1000);
  return { sfEmu, hsEmu, sf, hs, sfRest, hsRest, later };
}
