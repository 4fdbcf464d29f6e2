// One import at a time per store: a lease in the settings, renewed with every checkpoint. A lease
// whose holder stopped renewing (killed, crashed) expires, and the next `dealbridge import` takes
// the run over and resumes it. Taken inside a store transaction, so two processes starting at the
// same instant cannot both win (SQLite: BEGIN IMMEDIATE; Postgres: the row write conflicts).
import { hostname } from 'node:os';
import type { StateStore } from '../ports/store.js';

export const IMPORT_LEASE_SETTING = 'import.lease';
/** A holder that has not checkpointed for this long is presumed dead. */
export const LEASE_TTL_MS = 60_000;

export interface ImportLease {
  holder: string;
  runId: string | null;
  renewedAt: string;
}

export class ImportRunningError extends Error {
  readonly code = 'IMPORT_RUNNING';
  readonly exitCode = 1;
  constructor(readonly lease: ImportLease) {
    super(
      `another import is running (${lease.holder}, run ${lease.runId ?? '?'}, last checkpoint ${lease.renewedAt}); wait for it or stop it — a killed import is taken over ${LEASE_TTL_MS / 1000}s after its last checkpoint`,
    );
    this.name = 'ImportRunningError';
  }
}

export const processHolder = (): string => `${hostname()}:${process.pid}:${Date.now().toString(36)}`;

/** On this machine a holder whose process is gone is dead at once; elsewhere, after the TTL. */
function processGone(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ESRCH';
  }
}

export function leaseAlive(lease: ImportLease | null | undefined, holder: string, nowMs: number): boolean {
  if (!lease || lease.holder === holder) return false;
  if (processGone(lease.holder)) return false;
  return nowMs - Date.parse(lease.renewedAt) < LEASE_TTL_MS;
}

export async function acquireLease(store: StateStore, holder: string, now: Date): Promise<void> {
  await store.transaction(async () => {
    const lease = await store.getSetting<ImportLease | null>(IMPORT_LEASE_SETTING);
    if (lease && leaseAlive(lease, holder, now.getTime())) throw new ImportRunningError(lease);
    await store.setSetting(IMPORT_LEASE_SETTING, { holder, runId: null, renewedAt: now.toISOString() });
  });
}

/** Inside the checkpoint's transaction. */
export async function renewLease(store: StateStore, holder: string, runId: string, now: Date): Promise<void> {
  await store.setSetting(IMPORT_LEASE_SETTING, { holder, runId, renewedAt: now.toISOString() });
}

export async function releaseLease(store: StateStore, holder: string): Promise<void> {
  await store.transaction(async () => {
    const lease = await store.getSetting<ImportLease | null>(IMPORT_LEASE_SETTING);
    if (lease?.holder === holder) await store.setSetting(IMPORT_LEASE_SETTING, null);
  });
}
