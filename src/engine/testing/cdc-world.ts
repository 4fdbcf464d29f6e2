// What the Change Data Capture end-to-end tests share: both emulators, the real adapters
// (jsforce's streaming client), a SQLite store in memory, and runLiveSync as `sync` runs it, with
// polling far apart (10 minutes while CDC is live) so that what arrives within seconds came by the
// live path, unless a test says otherwise.
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../store/index.js';
import { createRollupHook } from '../rollups/hook.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from '../sync/pass.js';
import { connectEmulators, type EmulatorWorld } from './emulator-world.js';
import type { CdcStatus } from '../ports/store/cdc.js';
import type { ErrorCode } from '../../errors/index.js';
import type { CdcBatchReport } from '../cdc/feed.js';
import { runLiveSync } from '../cdc/live-sync.js';

export const SELECTED = ['Opportunity', 'Account', 'OpportunityContactRole'];

export interface World extends EmulatorWorld {
  store: Store;
  engine: SyncEngine;
  statuses: { status: CdcStatus; reason: string | null; code: ErrorCode | null }[];
  batches: CdcBatchReport[];
  /** The account ids of every rollup flush (the rollup hook's input). */
  rollupAccounts: string[][];
  passes: number;
  start(opts?: { intervalMs?: number }): void;
  stop(): Promise<void>;
}

export async function world(): Promise<World> {
  const store = await openStore(':memory:');
  const emulators = await connectEmulators({ store });
  const { sf, hs } = emulators;
  await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
  let controller: AbortController | undefined;
  let done: Promise<unknown> | undefined;
  const rollups = createRollupHook({ salesforce: sf, hubspot: hs, store });
  const w: World = {
    ...emulators,
    store,
    engine: new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
      onTouched: (touched) => {
        w.rollupAccounts.push([...touched.accountIds]);
        return rollups(touched);
      },
    }),
    statuses: [],
    batches: [],
    rollupAccounts: [],
    passes: 0,
    start(opts = {}) {
      controller = new AbortController();
      done = runLiveSync(
        w.engine,
        { salesforce: sf, store, changeEvents: sf.changeEvents() },
        {
          intervalMs: opts.intervalMs ?? 600_000,
          cdcPollIntervalMs: 600_000,
          signal: controller.signal,
          onPass: () => {
            w.passes++;
          },
          onCdcStatus: (status, reason, code) => w.statuses.push({ status, reason, code: code ?? null }),
          onCdcBatch: (b) => w.batches.push(b),
          cdc: { reconnectBaseMs: 50, reconnectMaxMs: 200 },
        },
      );
    },
    async stop() {
      controller?.abort();
      await done;
    },
  };
  return w;
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 8000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A contact in both systems with a role on a new opportunity (four Salesforce writes, four events). */
export async function opportunity(w: World, name: string, fields: Record<string, unknown> = {}) {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`;
  const contactId = await w.sfRest.create('Contact', { LastName: name, Email: email });
  await w.hsRest.createContact(email);
  const oppId = await w.sfRest.create('Opportunity', {
    Name: name,
    StageName: 'Prospecting',
    CloseDate: '2027-03-31',
    ...fields,
  });
  await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  return { oppId, contactId };
}

/** sObject Collections create (one request, one transaction); the new ids in order. */
export async function collection(w: World, records: Record<string, unknown>[]): Promise<string[]> {
  const t = await w.sfEmu.admin.issueTokens();
  const res = await fetch(`${t.instanceUrl}/services/data/v62.0/composite/sobjects`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ allOrNone: true, records }),
  });
  const body = (await res.json()) as { id: string; success: boolean }[];
  assert.ok(
    body.every((r) => r.success),
    JSON.stringify(body.slice(0, 2)),
  );
  return body.map((r) => r.id);
}

/** The live deals of these opportunities (batch reads of 100). */
export async function dealsOf(w: World, ids: string[], properties: string[]) {
  const out: { properties: Record<string, string | null | undefined> }[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const r = (await w.hsRest.call('POST', '/crm/v3/objects/deals/batch/read', {
      idProperty: 'salesforce_opportunity_id',
      inputs: ids.slice(i, i + 100).map((id) => ({ id })),
      properties: ['salesforce_opportunity_id', ...properties],
    })) as { results: { properties: Record<string, string | null | undefined> }[] };
    out.push(...r.results);
  }
  return out;
}

export const live = (w: World) => until('CDC live', async () => w.statuses.at(-1)?.status === 'live');

/** Stops the loop and closes everything the world opened. */
export async function closeWorld(w: World): Promise<void> {
  await w.stop();
  w.sf.close();
  await w.store.close();
  await w.sfEmu.close();
  await w.hsEmu.close();
}
