// The HubSpot adapter tests' shared world: one HubSpot emulator (demo seed, no rate limits) with the
// unique deal property setup creates, an adapter on it with fast retries, and the admin API.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { isDealbridgeError } from '../../errors/index.js';
import { createHubspotAdapter, DEAL_ID_PROPERTY, type HubspotAdapter } from '../adapter.js';

export const fast = { maxAttempts: 4, baseMs: 1, capMs: 10, maxWaitMs: 5000 };
/** What the tests use of a HubSpot emulator (the test files start it: src/ code never imports one). */
export interface TestPortal {
  url: string;
  accessToken: string;
  portalId: number;
  close(): Promise<void>;
}

export const world = {} as { emu: TestPortal; hs: HubspotAdapter };

export async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${world.emu.url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

export const oppId = (n: number): string => `006${String(n).padStart(12, '0')}AAA`;

export async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isDealbridgeError(e), `not a DealbridgeError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

/** Registers the file's before/after: the emulator `start` gives, the adapter, the deal id property. */
export function useAdapterWorld(start: () => Promise<TestPortal>): void {
  before(async () => {
    world.emu = await start();
    world.hs = createHubspotAdapter({
      baseUrl: world.emu.url,
      accessToken: world.emu.accessToken,
      retryPolicy: fast,
    });
    await world.hs.ensurePropertyGroup('deals', 'salesforce_opportunity_sync', 'Salesforce opportunity sync');
    await world.hs.createProperty('deals', {
      name: DEAL_ID_PROPERTY,
      label: 'Salesforce opportunity ID',
      type: 'string',
      fieldType: 'text',
      groupName: 'salesforce_opportunity_sync',
      hasUniqueValue: true,
    });
  });
  after(() => world.emu.close());
}
