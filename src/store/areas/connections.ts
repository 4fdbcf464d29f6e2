// Stored connections (migration 0008): rows of sealed secrets and plain details.
import type { ConnectionRow, ConnectionSide } from '../../engine/ports/store/connections.js';
import { excluded } from '../context.js';
import type { StoreContext } from '../context.js';
import type { ConnectionsTable } from '../schema.js';

const toRow = (r: ConnectionsTable): ConnectionRow => ({
  connection: r.connection,
  side: r.side as ConnectionSide,
  details: r.details,
  secrets: r.secrets,
  keyId: r.key_id,
  updatedAt: r.updated_at,
});

export async function getConnectionRow(
  ctx: StoreContext,
  connection: string,
  side: ConnectionSide,
): Promise<ConnectionRow | undefined> {
  const r = await ctx
    .db()
    .selectFrom('connections')
    .selectAll()
    .where('connection', '=', connection)
    .where('side', '=', side)
    .executeTakeFirst();
  return r === undefined ? undefined : toRow(r);
}

export async function saveConnectionRow(ctx: StoreContext, row: ConnectionRow): Promise<void> {
  await ctx
    .db()
    .insertInto('connections')
    .values({
      connection: row.connection,
      side: row.side,
      details: row.details,
      secrets: row.secrets,
      key_id: row.keyId,
      updated_at: row.updatedAt,
    })
    .onConflict((oc) =>
      oc
        .columns(['connection', 'side'])
        .doUpdateSet(excluded(['details', 'secrets', 'key_id', 'updated_at'])),
    )
    .execute();
}

export async function deleteConnectionRow(
  ctx: StoreContext,
  connection: string,
  side: ConnectionSide,
): Promise<void> {
  await ctx
    .db()
    .deleteFrom('connections')
    .where('connection', '=', connection)
    .where('side', '=', side)
    .execute();
}

export async function listConnectionRows(ctx: StoreContext): Promise<ConnectionRow[]> {
  const rows = await ctx
    .db()
    .selectFrom('connections')
    .selectAll()
    .orderBy('connection')
    .orderBy('side')
    .execute();
  return rows.map(toRow);
}
