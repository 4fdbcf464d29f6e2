// The admin API of Change Data Capture, under /__emulator/cdc: which entities the org selected,
// forced gap and overflow events, dropping streaming clients, the delivery allocation, and the
// CometD connect timeout. Documented in docs/emulators/salesforce.md.
import type { EmulatorState } from '../state.js';
import type { Reply } from '../http.js';
import { apiError } from '../errors.js';
import type { ChangeType } from '../streaming/change-events.js';

const GAP_TYPES = new Set(['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE']);

function summary(state: EmulatorState) {
  const e = state.events;
  return {
    selected: [...state.store.cdcSelected].sort(),
    latestReplayId: e.latestReplayId,
    retainedEvents: e.retained,
    deliveries: {
      used: e.deliveries.used,
      allocation: e.deliveries.allocation,
      remaining: e.deliveries.remaining(),
    },
    overflowThreshold: e.overflowThreshold,
    connectTimeoutMs: state.streaming.connectTimeoutMs,
    clients: state.streaming.list(),
  };
}

function entityOf(state: EmulatorState, v: unknown): string {
  const def = typeof v === 'string' ? state.store.def(v) : undefined;
  if (!def) throw apiError(400, 'INVALID_ARGUMENT', `entity must name an sObject: ${String(v)}`);
  return def.name;
}

export function cdcAdmin(
  state: EmulatorState,
  method: string,
  sub: string | undefined,
  b: Record<string, unknown>,
): Reply | undefined {
  const ok = (): Reply => ({ status: 200, body: summary(state) });
  const route = `${method} ${sub ?? ''}`;
  switch (route) {
    case 'GET ':
      return ok();
    case 'POST selection': {
      const sel = state.store.cdcSelected;
      if (Array.isArray(b.entities)) sel.clear();
      for (const x of [
        ...(Array.isArray(b.entities) ? b.entities : []),
        ...(Array.isArray(b.add) ? b.add : []),
      ])
        sel.add(entityOf(state, x));
      for (const x of Array.isArray(b.remove) ? b.remove : []) sel.delete(entityOf(state, x));
      return ok();
    }
    case 'POST gap': {
      const entity = entityOf(state, b.entity);
      if (b.next !== undefined) {
        state.events.gapNext.set(entity, Number(b.next));
        return ok();
      }
      const changeType = typeof b.changeType === 'string' ? b.changeType : 'GAP_UPDATE';
      if (!GAP_TYPES.has(changeType))
        throw apiError(400, 'INVALID_ARGUMENT', `changeType must be one of ${[...GAP_TYPES].join(', ')}`);
      const ids = Array.isArray(b.recordIds) ? b.recordIds.map(String) : [];
      if (ids.length === 0)
        throw apiError(400, 'INVALID_ARGUMENT', 'give recordIds: [...] (or next: N for the next N writes)');
      const events = state.events.forceGap(entity, changeType as ChangeType, ids, state.store.apiUserId);
      return { status: 200, body: { ...summary(state), published: events.map((e) => e.replayId) } };
    }
    case 'POST overflow': {
      if (b.threshold !== undefined) {
        state.events.overflowThreshold = Number(b.threshold);
        return ok();
      }
      const events = state.events.forceOverflow(entityOf(state, b.entity), state.store.apiUserId);
      return { status: 200, body: { ...summary(state), published: events.map((e) => e.replayId) } };
    }
    case 'POST drop': {
      const dropped = state.streaming.drop(typeof b.clientId === 'string' ? b.clientId : undefined);
      return { status: 200, body: { ...summary(state), dropped } };
    }
    case 'POST allocation': {
      if (b.allocation !== undefined) state.events.deliveries.allocation = Number(b.allocation);
      if (b.used !== undefined) state.events.deliveries.used = Number(b.used);
      return ok();
    }
    case 'POST settings': {
      if (b.connectTimeoutMs !== undefined) state.streaming.connectTimeoutMs = Number(b.connectTimeoutMs);
      return ok();
    }
    default:
      return undefined;
  }
}
