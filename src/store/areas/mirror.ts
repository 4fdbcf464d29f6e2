// The mirror of what rollups need: opportunities, their contact roles, accounts.
import { sql } from 'kysely';
import type { SfAccount, SfContactRole } from '../../domain/salesforce.js';
import type { OpportunityMirror } from '../../engine/ports/store.js';
import { unique } from '../context.js';
import type { StoreContext, TableWrite } from '../context.js';
import type { OpportunitiesTable } from '../schema.js';
import { chunk } from '../../lib/chunk.js';

const OPPORTUNITIES: TableWrite<OpportunityMirror> = {
  table: 'opportunities',
  key: ['id'],
  columns: [
    ['id', 'text', (o) => o.id],
    ['name', 'text', (o) => o.name],
    ['account_id', 'text', (o) => o.accountId],
    ['amount', 'text', (o) => o.amount],
    ['currency_iso_code', 'text', (o) => o.currencyIsoCode],
    ['close_date', 'text', (o) => o.closeDate],
    ['created_date', 'text', (o) => o.createdDate],
    ['is_closed', 'bool', (o) => o.isClosed],
    ['is_won', 'bool', (o) => o.isWon],
    ['is_deleted', 'bool', (o) => o.isDeleted],
    ['in_scope', 'bool', (o) => o.inScope],
    ['system_modstamp', 'text', (o) => o.systemModstamp],
    ['row_hash', 'text', (o) => o.rowHash ?? null],
  ],
};

const CONTACT_ROLES: TableWrite<SfContactRole> = {
  table: 'contact_roles',
  key: ['id'],
  columns: [
    ['id', 'text', (r) => r.Id],
    ['opportunity_id', 'text', (r) => r.OpportunityId],
    ['contact_id', 'text', (r) => r.ContactId],
    ['role', 'text', (r) => r.Role],
    ['is_primary', 'bool', (r) => r.IsPrimary],
    ['is_deleted', 'bool', (r) => r.IsDeleted],
    ['system_modstamp', 'text', (r) => r.SystemModstamp],
  ],
};

const ACCOUNTS: TableWrite<SfAccount> = {
  table: 'accounts',
  key: ['id'],
  columns: [
    ['id', 'text', (a) => a.Id],
    ['name', 'text', (a) => a.Name],
    ['website', 'text', (a) => a.Website],
    ['system_modstamp', 'text', (a) => a.SystemModstamp],
  ],
};

function toMirror(row: OpportunitiesTable): OpportunityMirror {
  return {
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    amount: row.amount,
    currencyIsoCode: row.currency_iso_code,
    closeDate: row.close_date,
    createdDate: row.created_date,
    isClosed: Boolean(row.is_closed),
    isWon: Boolean(row.is_won),
    isDeleted: Boolean(row.is_deleted),
    inScope: Boolean(row.in_scope),
    systemModstamp: row.system_modstamp,
    rowHash: row.row_hash,
  };
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export async function saveOpportunities(ctx: StoreContext, opps: OpportunityMirror[]): Promise<void> {
  await ctx.write(OPPORTUNITIES, opps);
}

/**
 * Upserts contact roles by Id (the change feed's rows, deleted ones with IsDeleted = true).
 * A role whose opportunity changed moves with it.
 */
export async function saveContactRoles(ctx: StoreContext, roles: SfContactRole[]): Promise<void> {
  await ctx.write(CONTACT_ROLES, roles);
}

/**
 * Makes `roles` the complete set of contact roles of these opportunities: roles of theirs not
 * in the list are removed (for a full re-read of an opportunity's roles, where a hard-deleted
 * role simply no longer appears).
 */
export async function replaceContactRoles(
  ctx: StoreContext,
  opportunityIds: string[],
  roles: SfContactRole[],
): Promise<void> {
  await ctx.atomic(async () => {
    for (const part of chunk(unique(opportunityIds), ctx.batchSize)) {
      await ctx.db().deleteFrom('contact_roles').where(ctx.inList('opportunity_id', part)).execute();
    }
    await ctx.write(CONTACT_ROLES, roles);
  });
}

export async function saveAccounts(ctx: StoreContext, accounts: SfAccount[]): Promise<void> {
  await ctx.write(ACCOUNTS, accounts);
}

export async function getAccounts(ctx: StoreContext, ids: string[]): Promise<Map<string, SfAccount>> {
  const out = new Map<string, SfAccount>();
  for (const part of chunk(unique(ids), ctx.batchSize)) {
    const rows = await ctx.db().selectFrom('accounts').selectAll().where(ctx.inList('id', part)).execute();
    for (const r of rows) {
      out.set(r.id, { Id: r.id, Name: r.name, Website: r.website, SystemModstamp: r.system_modstamp });
    }
  }
  return out;
}

export async function opportunityIdsForContacts(ctx: StoreContext, contactIds: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const part of chunk(unique(contactIds), ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('contact_roles')
      .select('opportunity_id')
      .distinct()
      .where(ctx.inList('contact_id', part))
      .where('is_deleted', '=', ctx.bool(false))
      .execute();
    for (const r of rows) ids.add(r.opportunity_id);
  }
  return [...ids].sort();
}

/** Role id → its opportunity, for the mirrored roles among these (deleted ones too). */
export async function opportunityIdsOfRoles(
  ctx: StoreContext,
  roleIds: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk(unique(roleIds), ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('contact_roles')
      .select(['id', 'opportunity_id'])
      .where(ctx.inList('id', part))
      .execute();
    for (const r of rows) out.set(r.id, r.opportunity_id);
  }
  return out;
}

/** Every requested opportunity is a key; its value is the sorted, distinct live contact ids. */
export async function contactIdsForOpportunities(
  ctx: StoreContext,
  opportunityIds: string[],
): Promise<Map<string, string[]>> {
  const ids = unique(opportunityIds);
  const sets = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
  for (const part of chunk(ids, ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('contact_roles')
      .select(['opportunity_id', 'contact_id'])
      .where(ctx.inList('opportunity_id', part))
      .where('is_deleted', '=', ctx.bool(false))
      .execute();
    for (const r of rows) sets.get(r.opportunity_id)?.add(r.contact_id);
  }
  return new Map([...sets].map(([id, set]) => [id, [...set].sort()]));
}

/**
 * The distinct contacts with a live role on an opportunity whose id is ≤ `upTo`, after `after`,
 * ascending, at most `limit`: an import run's contacts, read in pages at the end of the run instead
 * of being held in memory while it streams (1M opportunities touch ~500k contacts). Walks the
 * contact_id index; the id bound is checked per row.
 */
export async function contactIdsUpTo(
  ctx: StoreContext,
  upTo: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await ctx
    .db()
    .selectFrom('contact_roles')
    .select('contact_id')
    .distinct()
    .where('opportunity_id', '<=', upTo)
    .where('is_deleted', '=', ctx.bool(false))
    .where('contact_id', '>', after)
    .orderBy('contact_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.contact_id);
}

/** The distinct accounts of opportunities whose id is ≤ `upTo`, after `after`, ascending (see above). */
export async function accountIdsUpTo(
  ctx: StoreContext,
  upTo: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await ctx
    .db()
    .selectFrom('opportunities')
    .select('account_id')
    .distinct()
    .where('id', '<=', upTo)
    .where('account_id', '>', after)
    .orderBy('account_id')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => (r.account_id === null ? [] : [r.account_id]));
}

/** Every requested contact is a key (an empty list clears its rollups); opportunities by id. */
export async function opportunitiesOfContacts(
  ctx: StoreContext,
  contactIds: string[],
): Promise<Map<string, OpportunityMirror[]>> {
  const ids = unique(contactIds);
  const found = new Map<string, Map<string, OpportunityMirror>>(ids.map((id) => [id, new Map()]));
  for (const part of chunk(ids, ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('contact_roles as cr')
      .innerJoin('opportunities as o', 'o.id', 'cr.opportunity_id')
      .selectAll('o')
      .select('cr.contact_id')
      .where(ctx.inList('cr.contact_id', part))
      .where('cr.is_deleted', '=', ctx.bool(false))
      .where('o.is_deleted', '=', ctx.bool(false))
      .where('o.in_scope', '=', ctx.bool(true))
      .execute();
    for (const row of rows) found.get(row.contact_id)?.set(row.id, toMirror(row));
  }
  return new Map([...found].map(([id, opps]) => [id, [...opps.values()].sort(byId)]));
}

/** Every requested account is a key; its in-scope, live opportunities by id. */
export async function opportunitiesOfAccounts(
  ctx: StoreContext,
  accountIds: string[],
): Promise<Map<string, OpportunityMirror[]>> {
  const ids = unique(accountIds);
  const out = new Map<string, OpportunityMirror[]>(ids.map((id) => [id, []]));
  for (const part of chunk(ids, ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('opportunities')
      .selectAll()
      .where(ctx.inList('account_id', part))
      .where('is_deleted', '=', ctx.bool(false))
      .where('in_scope', '=', ctx.bool(true))
      .execute();
    for (const row of rows) if (row.account_id !== null) out.get(row.account_id)?.push(toMirror(row));
  }
  for (const list of out.values()) list.sort(byId);
  return out;
}

/** The mirrors of these opportunities, deleted and out-of-scope ones included. */
export async function getOpportunities(
  ctx: StoreContext,
  ids: string[],
): Promise<Map<string, OpportunityMirror>> {
  const out = new Map<string, OpportunityMirror>();
  for (const part of chunk(unique(ids), ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('opportunities')
      .selectAll()
      .where(ctx.inList('id', part))
      .execute();
    for (const row of rows) out.set(row.id, toMirror(row));
  }
  return out;
}

/**
 * Opportunities whose name contains `query`, case-insensitively (ASCII case on SQLite), by name.
 * A substring test, not LIKE: the user's `%` and `_` are plain characters.
 */
export async function searchOpportunities(
  ctx: StoreContext,
  query: string,
  limit: number,
): Promise<OpportunityMirror[]> {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const contains =
    ctx.backend.dialect === 'postgres'
      ? sql<boolean>`strpos(lower(name), ${needle}) > 0`
      : sql<boolean>`instr(lower(name), ${needle}) > 0`;
  const rows = await ctx
    .db()
    .selectFrom('opportunities')
    .selectAll()
    .where(contains)
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toMirror);
}
