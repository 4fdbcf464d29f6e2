// The connections registry (migration 0009): kept in the `default` connection's store only.
import type { StoreContext } from '../context.js';

export interface ConnectionRow {
  name: string;
  /** Where the connection's own state store lives: a database URL (a schema or a file of its own). */
  namespace: string;
  /** JSON: what `connections add` took from the environment. */
  settings: Record<string, unknown>;
  createdAt: string;
}

export async function addConnection(ctx: StoreContext, row: ConnectionRow): Promise<void> {
  await ctx
    .db()
    .insertInto('connection_registry')
    .values({
      name: row.name,
      namespace: row.namespace,
      settings: JSON.stringify(row.settings),
      created_at: row.createdAt,
    })
    .execute();
}

export async function listConnections(ctx: StoreContext): Promise<ConnectionRow[]> {
  const rows = await ctx.db().selectFrom('connection_registry').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    name: r.name,
    namespace: r.namespace,
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
}

/** Returns whether there was such a row. */
export async function removeConnection(ctx: StoreContext, name: string): Promise<boolean> {
  const r = await ctx.db().deleteFrom('connection_registry').where('name', '=', name).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
