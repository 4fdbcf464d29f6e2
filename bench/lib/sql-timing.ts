// `--sql-profile`: times every SQLite statement the store runs (better-sqlite3 executes
// synchronously inside Kysely's driver, so a CPU profile shows only `executeQuery`). Patches
// Database.prototype.prepare for this process; the key is the statement's text, shortened.
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { Timings } from './timing.js';

type Stmt = { all: (...a: unknown[]) => unknown; run: (...a: unknown[]) => unknown; reader: boolean };

export function profileSql(into: Timings): void {
  const proto = Database.prototype as unknown as { prepare: (sql: string) => Stmt };
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, sqlText: string) {
    const t0 = performance.now();
    const stmt = prepare.call(this, sqlText);
    const key = sqlText.replace(/\s+/g, ' ').slice(0, 110);
    bump(into, 'prepare (all statements)', performance.now() - t0);
    for (const m of ['all', 'run'] as const) {
      const fn = stmt[m].bind(stmt);
      stmt[m] = (...args: unknown[]) => {
        const t1 = performance.now();
        try {
          return fn(...args);
        } finally {
          bump(into, key, performance.now() - t1);
        }
      };
    }
    return stmt;
  };
}

function bump(into: Timings, key: string, ms: number): void {
  const t = into.get(key) ?? { calls: 0, ms: 0 };
  t.calls++;
  t.ms += ms;
  into.set(key, t);
}
