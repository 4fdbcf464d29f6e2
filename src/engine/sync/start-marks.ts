// Where the feeds start when the store holds no mark yet, and T of the scope contract: both are
// Salesforce's clock, read once and stored, so that a restart starts from the same place.
import type { ChangeCursor, IsoDateTime } from '../../domain/salesforce.js';
import type { SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { readSyncStartedAt, SYNC_STARTED_AT_SETTING } from '../user-settings.js';
import { CURSOR_OPPORTUNITIES } from './change-feed.js';

type Deps = { salesforce: SalesforcePort; store: StateStore };

/** The stored cursor; sync turned on without cursors (e.g. straight in the store) starts from now. */
export async function startCursor(deps: Deps, name: string): Promise<ChangeCursor> {
  const existing = await deps.store.getCursor(name);
  if (existing) return existing;
  const cursor = { modstamp: await deps.salesforce.serverTime(), id: '' };
  await deps.store.setCursor(name, cursor);
  return cursor;
}

/**
 * T of the scope contract. Sync turned on before T was recorded (an older version, or straight in
 * the store) gets the opportunity cursor's start, or else Salesforce's now, once.
 */
export async function readOrInitSyncStartedAt(deps: Deps): Promise<IsoDateTime> {
  const stored = await readSyncStartedAt(deps.store);
  if (stored) return stored;
  const t =
    (await deps.store.getCursor(CURSOR_OPPORTUNITIES))?.modstamp ?? (await deps.salesforce.serverTime());
  await deps.store.setSetting(SYNC_STARTED_AT_SETTING, t);
  return t;
}
