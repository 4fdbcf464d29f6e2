// Change cursors: (SystemModstamp, Id) pairs read with `>=` from a point a little in the past,
// because many rows share a timestamp and Salesforce commits can land with a stamp older than rows
// already read. The overlap is harmless (writes are idempotent and unchanged rows are skipped
// cheaply) and the cursor itself never moves backwards.
import {
  instantMs,
  type ChangeCursor,
  type IsoDateTime,
  type SfContactRole,
} from '../../domain/salesforce.js';
import type { SfOpportunityWithRoles } from '../ports/remote.js';

export const CURSOR_OPPORTUNITIES = 'opportunity';
export const CURSOR_CONTACT_ROLES = 'opportunityContactRole';

/** Where to start reading: the cursor minus the look-back (then the Id no longer narrows). */
export function readFrom(cursor: ChangeCursor, lookbackSeconds: number): ChangeCursor {
  if (lookbackSeconds <= 0) return cursor;
  const t = instantMs(cursor.modstamp) - lookbackSeconds * 1000;
  return { modstamp: new Date(t).toISOString(), id: '' };
}

export function compareCursor(a: ChangeCursor, b: ChangeCursor): number {
  const ta = instantMs(a.modstamp);
  const tb = instantMs(b.modstamp);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The furthest of the current cursor and the rows just stored. */
export function advance(
  current: ChangeCursor,
  rows: { SystemModstamp: IsoDateTime; Id: string }[],
): ChangeCursor {
  let best = current;
  for (const r of rows) {
    const c = { modstamp: r.SystemModstamp, id: r.Id };
    if (compareCursor(c, best) > 0) best = c;
  }
  return best;
}

export function lagSeconds(cursor: ChangeCursor | undefined, now: Date): number | null {
  if (!cursor) return null;
  return Math.max(0, Math.round((now.getTime() - instantMs(cursor.modstamp)) / 1000));
}

/**
 * Remembers which contact-role versions the engine has already seen with their opportunity, so
 * that a role change that arrives with its opportunity (or again inside the look-back) does not
 * make the engine read that opportunity a second time. Memory only: after a restart the worst
 * case is one extra read.
 */
export class RoleMemo {
  private readonly liveRoles = new Map<string, Map<string, string>>();
  private readonly handled = new Map<string, string>();
  constructor(private readonly maxEntries = 200_000) {}

  /** Records the roles an opportunity had when the engine read (and synced) it. */
  sawOpportunity(o: SfOpportunityWithRoles): void {
    this.trim();
    const live = o.contactRoles.filter((r) => !r.IsDeleted);
    this.liveRoles.set(o.Id, new Map(live.map((r) => [r.Id, r.SystemModstamp])));
    for (const r of o.contactRoles) this.handled.set(r.Id, version(r));
  }

  /** Whether the state the engine wrote already reflects this role version. */
  accounted(role: SfContactRole): boolean {
    if (this.handled.get(role.Id) === version(role)) return true;
    const seen = this.liveRoles.get(role.OpportunityId);
    if (!seen) return false;
    const stamp = seen.get(role.Id);
    if (role.IsDeleted) return stamp === undefined;
    return stamp !== undefined && instantMs(stamp) >= instantMs(role.SystemModstamp);
  }

  markHandled(roles: SfContactRole[]): void {
    for (const r of roles) this.handled.set(r.Id, version(r));
  }

  private trim(): void {
    if (this.liveRoles.size > this.maxEntries) this.liveRoles.clear();
    if (this.handled.size > this.maxEntries) this.handled.clear();
  }
}

function version(r: SfContactRole): string {
  return `${r.SystemModstamp}|${r.IsDeleted ? 'd' : 'l'}`;
}

/**
 * Reads one page ahead: while a page is being written to HubSpot, the next one is already on its
 * way from Salesforce (a query page takes about as long as a batch of writes).
 */
export async function* prefetched<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = it.next();
      // A failed read-ahead surfaces when it is awaited; until then it must not go unhandled.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await it.return?.();
  }
}
