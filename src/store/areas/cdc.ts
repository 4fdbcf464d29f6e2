// Change Data Capture's subscription state (migration 0007): the replay id stored with the outcome
// of its events, and the live path's status for other processes.
import type { CdcState, CdcStatus } from '../../engine/ports/store/cdc.js';
import { isErrorCode, type ErrorCode } from '../../errors/index.js';
import type { StoreContext } from '../context.js';

const now = () => new Date().toISOString();

export async function getCdcState(ctx: StoreContext, channel: string): Promise<CdcState | undefined> {
  const r = await ctx
    .db()
    .selectFrom('cdc_state')
    .selectAll()
    .where('channel', '=', channel)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    channel: r.channel,
    replayId: r.replay_id,
    lastEventAt: r.last_event_at,
    status: r.status as CdcStatus,
    reason: r.reason,
    code: r.code !== null && isErrorCode(r.code) ? r.code : null,
    updatedAt: r.updated_at,
  };
}

export async function saveReplayId(
  ctx: StoreContext,
  channel: string,
  replayId: string,
  lastEventAt: string,
): Promise<void> {
  await ctx
    .db()
    .insertInto('cdc_state')
    .values({
      channel,
      replay_id: replayId,
      last_event_at: lastEventAt,
      status: 'live',
      reason: null,
      code: null,
      updated_at: now(),
    })
    .onConflict((oc) =>
      oc
        .column('channel')
        .doUpdateSet({ replay_id: replayId, last_event_at: lastEventAt, updated_at: now() }),
    )
    .execute();
}

export async function saveCdcStatus(
  ctx: StoreContext,
  channel: string,
  status: CdcStatus,
  reason: string | null,
  code: ErrorCode | null,
): Promise<void> {
  await ctx
    .db()
    .insertInto('cdc_state')
    .values({ channel, replay_id: null, last_event_at: null, status, reason, code, updated_at: now() })
    .onConflict((oc) => oc.column('channel').doUpdateSet({ status, reason, code, updated_at: now() }))
    .execute();
}

export async function clearReplayId(ctx: StoreContext, channel: string): Promise<void> {
  await ctx
    .db()
    .updateTable('cdc_state')
    .set({ replay_id: null, updated_at: now() })
    .where('channel', '=', channel)
    .execute();
}
