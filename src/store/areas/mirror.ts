// The mirror of what rollups need: opportunities, their contact roles, accounts.
import type { SfAccount, SfContactRole } from '../../domain/salesforce.js';
import type { OpportunityMirror } from '../../engine/state.js';
import { chunk, excluded, lastByKey, unique } from '../context.js';
import type { StoreContext } from '../context.js';
import type { OpportunitiesTable } from '../schema.js';

const OPPORTUNITY_COLUMNS = [
  'name',
  'account_id',
  'amount',
  'currency_iso_code',
  'close_date',
  'created_date',
  'is_closed',
  'is_won',
  'is_deleted',
  'in_scope',
  'system_modstamp',
] as const;
const ROLE_COLUMNS = [
  'opportunity_id',
  'contact_id',
  'role',
  'is_primary',
  'is_deleted',
  'system_modstamp',
] as const;
const ACCOUNT_COLUMNS = ['name', 'website', 'system_modstamp'] as const;

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
  };
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export async function saveOpportunities(ctx: StoreContext, opps: OpportunityMirror[]): Promise<void> {
  const rows = lastByKey(opps, (o) => o.id).map((o) => ({
    id: o.id,
    name: o.name,
    account_id: o.accountId,
    amount: o.amount,
    currency_iso_code: o.currencyIsoCode,
    close_date: o.closeDate,
    created_date: o.createdDate,
    is_closed: ctx.bool(o.isClosed),
    is_won: ctx.bool(o.isWon),
    is_deleted: ctx.bool(o.isDeleted),
    in_scope: ctx.bool(o.inScope),
    system_modstamp: o.systemModstamp,
  }));
  if (rows.length === 0) return;
  await ctx.atomic(async () => {
    for (const part of chunk(rows, ctx.rowsPerInsert(OPPORTUNITY_COLUMNS.length + 1))) {
      await ctx
        .db()
        .insertInto('opportunities')
        .values(part)
        .onConflict((oc) => oc.column('id').doUpdateSet(excluded(OPPORTUNITY_COLUMNS)))
        .execute();
    }
  });
}

function roleRows(ctx: StoreContext, roles: readonly SfContactRole[]) {
  return lastByKey(roles, (r) => r.Id).map((r) => ({
    id: r.Id,
    opportunity_id: r.OpportunityId,
    contact_id: r.ContactId,
    role: r.Role,
    is_primary: ctx.bool(r.IsPrimary),
    is_deleted: ctx.bool(r.IsDeleted),
    system_modstamp: r.SystemModstamp,
  }));
}

async function upsertRoles(ctx: StoreContext, roles: readonly SfContactRole[]): Promise<void> {
  for (const part of chunk(roleRows(ctx, roles), ctx.rowsPerInsert(ROLE_COLUMNS.length + 1))) {
    await ctx
      .db()
      .insertInto('contact_roles')
      .values(part)
      .onConflict((oc) => oc.column('id').doUpdateSet(excluded(ROLE_COLUMNS)))
      .execute();
  }
}

/**
 * Upserts contact roles by Id (the change feed's rows, deleted ones with IsDeleted = true).
 * A role whose opportunity changed moves with it.
 */
export async function saveContactRoles(ctx: StoreContext, roles: SfContactRole[]): Promise<void> {
  if (roles.length === 0) return;
  await ctx.atomic(() => upsertRoles(ctx, roles));
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
    for (const part of chunk(unique(opportunityIds), ctx.inListSize)) {
      await ctx.db().deleteFrom('contact_roles').where('opportunity_id', 'in', part).execute();
    }
    await upsertRoles(ctx, roles);
  });
}

export async function saveAccounts(ctx: StoreContext, accounts: SfAccount[]): Promise<void> {
  const rows = lastByKey(accounts, (a) => a.Id).map((a) => ({
    id: a.Id,
    name: a.Name,
    website: a.Website,
    system_modstamp: a.SystemModstamp,
  }));
  if (rows.length === 0) return;
  await ctx.atomic(async () => {
    for (const part of chunk(rows, ctx.rowsPerInsert(ACCOUNT_COLUMNS.length + 1))) {
      await ctx
        .db()
        .insertInto('accounts')
        .values(part)
        .onConflict((oc) => oc.column('id').doUpdateSet(excluded(ACCOUNT_COLUMNS)))
        .execute();
    }
  });
}

export async function getAccounts(ctx: StoreContext, ids: string[]): Promise<Map<string, SfAccount>> {
  const out = new Map<string, SfAccount>();
  for (const part of chunk(unique(ids), ctx.inListSize)) {
    const rows = await ctx.db().selectFrom('accounts').selectAll().where('id', 'in', part).execute();
    for (const r of rows) {
      out.set(r.id, { Id: r.id, Name: r.name, Website: r.website, SystemModstamp: r.system_modstamp });
    }
  }
  return out;
}

export async function opportunityIdsForContacts(ctx: StoreContext, contactIds: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const part of chunk(unique(contactIds), ctx.inListSize)) {
    const rows = await ctx
      .db()
      .selectFrom('contact_roles')
      .select('opportunity_id')
      .distinct()
      .where('contact_id', 'in', part)
      .where('is_deleted', '=', ctx.bool(false))
      .execute();
    for (const r of rows) ids.add(r.opportunity_id);
  }
  return [...ids].sort();
}

/** Every requested opportunity is a key; its value is the sorted, distinct live contact ids. */
export async function contactIdsForOpportunities(
  ctx: StoreContext,
  opportunityIds: string[],
): Promise<Map<string, string[]>> {
  const ids = unique(opportunityIds);
  const sets = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
  for (const part of chunk(ids, ctx.inListSize)) {
    const rows = await ctx
      .db()
      .selectFrom('contact_roles')
      .select(['opportunity_id', 'contact_id'])
      .where('opportunity_id', 'in', part)
      .where('is_deleted', '=', ctx.bool(false))
      .execute();
    for (const r of rows) sets.get(r.opportunity_id)?.add(r.contact_id);
  }
  return new Map([...sets].map(([id, set]) => [id, [...set].sort()]));
}

/** Every requested contact is a key (an empty list clears its rollups); opportunities by id. */
export async function opportunitiesOfContacts(
  ctx: StoreContext,
  contactIds: string[],
): Promise<Map<string, OpportunityMirror[]>> {
  const ids = unique(contactIds);
  const found = new Map<string, Map<string, OpportunityMirror>>(ids.map((id) => [id, new Map()]));
  for (const part of chunk(ids, ctx.inListSize)) {
    const rows = await ctx
      .db()
      .selectFrom('contact_roles as cr')
      .innerJoin('opportunities as o', 'o.id', 'cr.opportunity_id')
      .selectAll('o')
      .select('cr.contact_id')
      .where('cr.contact_id', 'in', part)
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
  for (const part of chunk(ids, ctx.inListSize)) {
    const rows = await ctx
      .db()
      .selectFrom('opportunities')
      .selectAll()
      .where('account_id', 'in', part)
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
  for (const part of chunk(unique(ids), ctx.inListSize)) {
    const rows = await ctx.db().selectFrom('opportunities').selectAll().where('id', 'in', part).execute();
    for (const row of rows) out.set(row.id, toMirror(row));
  }
  return out;
}
