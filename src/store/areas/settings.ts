// Settings (key → JSON value) and change-feed cursors.
import type { ChangeCursor } from '../../domain/salesforce.js';
import { excluded, now } from '../context.js';
import type { StoreContext } from '../context.js';

export async function getSetting<T>(ctx: StoreContext, key: string): Promise<T | undefined> {
  const row = await ctx.db().selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.value) as T);
}

/** Stores value as JSON; `undefined` removes the setting (so that `get` answers undefined again). */
export async function setSetting(ctx: StoreContext, key: string, value: unknown): Promise<void> {
  if (value === undefined) {
    await ctx.db().deleteFrom('settings').where('key', '=', key).execute();
    return;
  }
  await ctx
    .db()
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: now() })
    .onConflict((oc) => oc.column('key').doUpdateSet(excluded(['value', 'updated_at'])))
    .execute();
}

export async function listSettings(ctx: StoreContext): Promise<Record<string, unknown>> {
  const rows = await ctx.db().selectFrom('settings').select(['key', 'value']).orderBy('key').execute();
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export async function getCursor(ctx: StoreContext, name: string): Promise<ChangeCursor | undefined> {
  const row = await ctx
    .db()
    .selectFrom('cursors')
    .select(['modstamp', 'id'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : { modstamp: row.modstamp, id: row.id };
}

export async function setCursor(ctx: StoreContext, name: string, cursor: ChangeCursor): Promise<void> {
  await ctx
    .db()
    .insertInto('cursors')
    .values({ name, modstamp: cursor.modstamp, id: cursor.id, updated_at: now() })
    .onConflict((oc) => oc.column('name').doUpdateSet(excluded(['modstamp', 'id', 'updated_at'])))
    .execute();
}

/** Every cursor with when it last moved (for `status`: lag per feed). */
export async function listCursors(
  ctx: StoreContext,
): Promise<Map<string, ChangeCursor & { updatedAt: string }>> {
  const rows = await ctx.db().selectFrom('cursors').selectAll().orderBy('name').execute();
  return new Map(rows.map((r) => [r.name, { modstamp: r.modstamp, id: r.id, updatedAt: r.updated_at }]));
}

export async function deleteCursor(ctx: StoreContext, name: string): Promise<void> {
  await ctx.db().deleteFrom('cursors').where('name', '=', name).execute();
}
