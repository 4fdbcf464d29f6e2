// API calls per side and UTC hour, for the 24-hour charts and the budget checks.
import { sql } from 'kysely';
import type { IsoDateTime } from '../../domain/salesforce.js';
import type { Side } from '../../engine/ports/store.js';
import type { StoreContext } from '../context.js';

/** The start of the UTC hour containing `at`, as ISO 8601. */
export function hourBucket(at: IsoDateTime): IsoDateTime {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date-time: ${at}`);
  return new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();
}

/** Adds `count` to the hour of `at` in one statement (concurrent workers add, never overwrite). */
export async function recordApiCalls(
  ctx: StoreContext,
  side: Side,
  count: number,
  at: IsoDateTime,
): Promise<void> {
  if (count === 0) return;
  await ctx
    .db()
    .insertInto('api_calls')
    .values({ side, hour: hourBucket(at), count })
    .onConflict((oc) =>
      oc.columns(['side', 'hour']).doUpdateSet({ count: sql<number>`api_calls.count + excluded.count` }),
    )
    .execute();
}

/** Calls per hour bucket from the hour containing `since` on, oldest first (hours without calls omitted). */
export async function apiCalls(
  ctx: StoreContext,
  side: Side,
  since: IsoDateTime,
): Promise<{ hour: IsoDateTime; count: number }[]> {
  const rows = await ctx
    .db()
    .selectFrom('api_calls')
    .select(['hour', 'count'])
    .where('side', '=', side)
    .where('hour', '>=', hourBucket(since))
    .orderBy('hour')
    .execute();
  return rows.map((r) => ({ hour: r.hour, count: Number(r.count) }));
}
