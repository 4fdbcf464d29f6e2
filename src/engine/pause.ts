// The pause switch (issue #17): "stops all writes at once without losing the change feed's place".
// One setting in the store, read by every writer to HubSpot before it writes: a sync pass at its
// start (a paused pass reads and writes nothing) and before each batch (a pass in flight stops
// before its next batch, so the cursors stay where the last stored batch left them), the import
// before each batch (its run is left paused, resumable), and a resync. Kept in the store rather
// than in a process so that `dealbridge pause` reaches the loop of `serve` or the sandbox at once,
// and `dealbridge resume` lets it go on at its next pass, without a restart.
import type { IsoDateTime } from '../domain/salesforce.js';
import type { SettingsStore } from './ports/store.js';

/** The time the sync was paused; absent while it runs. */
export const SYNC_PAUSED_SETTING = 'syncPausedAt';

export interface PauseState {
  paused: boolean;
  /** When it was paused; null while the sync runs. */
  since: IsoDateTime | null;
}

export async function readPause(store: Pick<SettingsStore, 'getSetting'>): Promise<PauseState> {
  const since = await store.getSetting<IsoDateTime>(SYNC_PAUSED_SETTING);
  return since === undefined ? { paused: false, since: null } : { paused: true, since };
}

/** Pauses or resumes; pausing a paused sync keeps its first time. `changed`: it was the other way. */
export async function setPaused(
  store: Pick<SettingsStore, 'getSetting' | 'setSetting'>,
  paused: boolean,
  now: Date,
): Promise<PauseState & { changed: boolean }> {
  const before = await readPause(store);
  if (before.paused === paused) return { ...before, changed: false };
  const since = paused ? now.toISOString() : null;
  await store.setSetting(SYNC_PAUSED_SETTING, since ?? undefined);
  return { paused, since, changed: true };
}

/** Ends a sync pass between batches when the switch is found on (pass.ts catches it). */
export class SyncPaused extends Error {
  constructor() {
    super('the sync is paused (dealbridge resume)');
    this.name = 'SyncPaused';
  }
}

/** Throws SyncPaused when the sync is paused: called before anything that writes to HubSpot. */
export async function stopIfPaused(store: Pick<SettingsStore, 'getSetting'>): Promise<void> {
  if ((await readPause(store)).paused) throw new SyncPaused();
}
