// Account change events, applied as the account feed applies a page of changed accounts
// (engine/sync/account-feed.ts, planAccountPage): accounts dealbridge has a use for are mirrored,
// those with a company owe their rollups, and the in-scope opportunities of those without one are
// re-synced (their company may match now). What an event carries decides what must be read:
// create and undelete events carry every non-empty field (a whole account), an update only what
// changed, merged onto the mirror's row; an account neither makes whole is read by id, and only
// when the plan mirrors it. A deleted account's opportunities are re-read by id (queryAll shows
// them deleted with it, so their deals are archived), whether or not their own events come.
import { normaliseDateTime, type IsoDateTime, type SfAccount } from '../../domain/salesforce.js';
import { chunk } from '../../lib/chunk.js';
import type { ChangeEvent } from '../ports/change-events.js';
import type { SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { planAccountPage } from '../sync/account-feed.js';

/** What a batch's events say of one account, after all of them (commit order). */
export interface AccountChange {
  id: string;
  /** The fields the events carried (Name, Website), later events over earlier ones. */
  fields: Partial<Pick<SfAccount, 'Name' | 'Website'>>;
  /** The fields are the whole account (a create or undelete event, nothing lost after it). */
  whole: boolean;
  /** A gap event: what changed is unknown, the account is read by id. */
  gap: boolean;
  deleted: boolean;
  stamp: IsoDateTime;
}

/** The accounts the Account events of a batch changed (pure). GAP_OVERFLOW is the caller's. */
export function accountChangesOf(
  events: readonly ChangeEvent[],
  stampOf: (e: ChangeEvent) => IsoDateTime,
): Map<string, AccountChange> {
  const out = new Map<string, AccountChange>();
  for (const e of events) {
    const { entityName, changeType, recordIds } = e.header;
    if (entityName !== 'Account' || changeType === 'GAP_OVERFLOW') continue;
    const f = e.fields;
    const modified = typeof f.LastModifiedDate === 'string' ? f.LastModifiedDate : undefined;
    const stamp = modified ? normaliseDateTime(modified) : stampOf(e);
    const carried: AccountChange['fields'] = {};
    if (typeof f.Name === 'string') carried.Name = f.Name;
    if ('Website' in f) carried.Website = typeof f.Website === 'string' ? f.Website : null;
    for (const id of recordIds) {
      const before = out.get(id);
      const change: AccountChange = { id, fields: {}, whole: false, gap: false, deleted: false, stamp };
      if (changeType.startsWith('GAP_')) change.gap = true;
      else if (changeType === 'DELETE') change.deleted = true;
      else if (changeType === 'CREATE' || changeType === 'UNDELETE') {
        // Empty fields are left out of these events: a missing Website is none.
        change.fields = { Website: null, ...carried };
        change.whole = carried.Name !== undefined;
      } else if (changeType === 'UPDATE') {
        const keep = before && !before.deleted && !before.gap;
        change.fields = { ...(keep ? before.fields : {}), ...carried };
        change.whole = Boolean(keep && before.whole);
        change.gap = Boolean(before?.gap);
      } else continue;
      out.set(id, change);
    }
  }
  return out;
}

export interface AccountWork {
  /** Stored with the batch's replay id. */
  mirror: SfAccount[];
  /** Owed before the batch's opportunities are written (the engine flushes them). */
  rollupAccountIds: string[];
  /** Read by id and synced (reason `resync`). */
  resyncOpportunityIds: string[];
  /** Accounts read by id from Salesforce (for the log and the tests). */
  readById: number;
}

/** What the account changes call for: planAccountPage's plan, with the accounts it mirrors made whole. */
export async function planAccountChanges(
  deps: { store: StateStore; salesforce: Pick<SalesforcePort, 'accountsByIds'> },
  changes: ReadonlyMap<string, AccountChange>,
): Promise<AccountWork> {
  const work: AccountWork = { mirror: [], rollupAccountIds: [], resyncOpportunityIds: [], readById: 0 };
  const all = [...changes.values()];
  const deleted = all.filter((c) => c.deleted).map((c) => c.id);
  if (deleted.length > 0) {
    const oppsOf = await deps.store.opportunitiesOfAccounts(deleted);
    for (const opps of oppsOf.values()) work.resyncOpportunityIds.push(...opps.map((o) => o.id));
  }
  const live = all.filter((c) => !c.deleted).map((c) => ({ ...c, Id: c.id }));
  if (live.length === 0) return work;
  const plan = await planAccountPage(deps.store, live);
  work.rollupAccountIds = plan.rollupAccountIds;
  work.resyncOpportunityIds = [...new Set([...work.resyncOpportunityIds, ...plan.resyncOpportunityIds])];
  const partial = plan.mirror.filter((c) => !c.whole && !c.gap);
  const stored = partial.length > 0 ? await deps.store.getAccounts(partial.map((c) => c.id)) : new Map();
  const toRead: string[] = [];
  for (const c of plan.mirror) {
    const row: SfAccount | undefined = stored.get(c.id);
    const hasAll = c.fields.Name !== undefined && c.fields.Website !== undefined;
    if (c.gap || (!c.whole && !row && !hasAll)) {
      toRead.push(c.id);
      continue;
    }
    const base = c.whole || hasAll ? undefined : row;
    work.mirror.push({
      Id: c.id,
      Name: c.fields.Name ?? base!.Name,
      Website: c.fields.Website !== undefined ? c.fields.Website : base!.Website,
      SystemModstamp: c.stamp,
    });
  }
  // Not found: deleted since (its own event follows) or never visible to this user: not mirrored.
  for (const part of chunk(toRead, 200)) work.mirror.push(...(await deps.salesforce.accountsByIds(part)));
  work.readById = toRead.length;
  return work;
}
