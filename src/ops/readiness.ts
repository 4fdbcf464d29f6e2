// /readyz as a function: ready when the state store answers, its migrations are all applied, and
// the process is not draining (SIGTERM received: it finishes what it holds and takes nothing new).
// The answer is unauthenticated, so it names each check's outcome and an error's catalogue code,
// never a message (a store error names hosts, a path, perhaps a user).

import { withDeadline } from './deadline.js';

export interface ReadinessDeps {
  /** Reads the store's migration table: proves the store reachable and says what is pending. */
  migrationStatus(): Promise<{ pending: string[] }>;
  draining(): boolean;
  /** A store that does not answer within this is not ready (default 2 s: probes are frequent). */
  timeoutMs?: number;
}

export interface Readiness {
  ready: boolean;
  checks: {
    store: { ok: boolean; code?: string };
    migrations: { ok: boolean; pending?: string[] };
    draining: { ok: boolean };
  };
}

const codeOf = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  // A catalogue code (STORE_UNREACHABLE, STORE_BUSY, …) as the store reports it; a driver's own
  // code (ECONNREFUSED, 57P01) or none is reported as the store not being reachable.
  return typeof code === 'string' && /^STORE_[A-Z_]+$/.test(code) ? code : 'STORE_UNREACHABLE';
};

export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const draining = deps.draining();
  let store: Readiness['checks']['store'];
  let migrations: Readiness['checks']['migrations'];
  try {
    const { pending } = await withDeadline(deps.migrationStatus(), deps.timeoutMs ?? 2000, 'the state store');
    store = { ok: true };
    migrations = pending.length === 0 ? { ok: true } : { ok: false, pending };
  } catch (err) {
    store = { ok: false, code: codeOf(err) };
    migrations = { ok: false };
  }
  return {
    ready: store.ok && migrations.ok && !draining,
    checks: { store, migrations, draining: { ok: !draining } },
  };
}
