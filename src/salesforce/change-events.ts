// Change Data Capture through jsforce 3's streaming client (faye over CometD long-polling at
// /cometd/XX.X) with jsforce's Replay extension. One faye client per subscription: when its
// transport goes down, or Salesforce refuses the subscribe (an expired replay id), it is closed
// and the engine decides when to subscribe again, from the replay id it has stored (faye's own
// reconnect would resume from the last id received, which may be past the last one stored).
import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import type {
  ChangeEvent,
  ChangeEventHeader,
  ChangeEventPort,
  ChangeStreamHandlers,
  ChangeSubscription,
  StreamFailure,
} from '../engine/ports/change-events.js';
import { ALL_CHANGES_CHANNEL } from '../engine/ports/change-events.js';
import type { SalesforceClient } from './client.js';
import { contactRoleFields, inexactFields, opportunityFields } from './change-event-fields.js';

interface FayeClient {
  subscribe(channel: string, fn: (m: unknown) => void): Promise<unknown> & { cancel(): void };
  on(event: 'transport:down' | 'transport:up', fn: () => void): void;
  disconnect(): void;
  addExtension(ext: object): void;
  _state: number;
  DISCONNECTED: number;
  _advice: { reconnect: string };
  _dispatcher: { close(): void };
}

/**
 * Ends a faye client for good. faye's disconnect() does nothing unless the client is connected;
 * a client whose transport went down would otherwise go on re-handshaking and resubscribing in
 * the background for ever, taking deliveries (the org's event allocation) that nobody reads.
 */
function closeFaye(faye: FayeClient): void {
  try {
    faye.disconnect();
  } catch {
    // already gone
  }
  faye._advice.reconnect = 'none';
  faye._state = faye.DISCONNECTED;
  faye._dispatcher.close();
}

/** What faye hands a subscriber: `{schema, payload: {ChangeEventHeader, …fields}, event: {replayId}}`. */
export function parseChangeMessage(m: unknown): ChangeEvent | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const msg = m as { payload?: unknown; event?: { replayId?: unknown } };
  const payload = msg.payload;
  const replayId = msg.event?.replayId;
  if (typeof payload !== 'object' || payload === null || replayId === undefined || replayId === null)
    return undefined;
  const { ChangeEventHeader: h, ...fields } = payload as { ChangeEventHeader?: Partial<ChangeEventHeader> };
  if (!h || typeof h.entityName !== 'string' || typeof h.changeType !== 'string') return undefined;
  const header: ChangeEventHeader = {
    entityName: h.entityName,
    recordIds: Array.isArray(h.recordIds) ? h.recordIds.map(String) : [],
    changeType: h.changeType,
    changedFields: Array.isArray(h.changedFields) ? h.changedFields.map(String) : [],
    commitTimestamp: Number(h.commitTimestamp),
    commitNumber: Number(h.commitNumber),
    commitUser: String(h.commitUser ?? ''),
    transactionKey: String(h.transactionKey ?? ''),
    sequenceNumber: Number(h.sequenceNumber),
    changeOrigin: String(h.changeOrigin ?? ''),
  };
  const e: ChangeEvent = { replayId: String(replayId as string | number), header, fields };
  if (header.entityName === 'Opportunity') {
    e.opportunity = opportunityFields(fields);
    const inexact = inexactFields(fields);
    if (inexact.length > 0) e.inexact = inexact;
  }
  if (header.entityName === 'OpportunityContactRole') e.contactRole = contactRoleFields(fields);
  return e;
}

function failureOf(err: unknown): StreamFailure {
  const message = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
  if (/replayId .* invalid/i.test(message)) return { kind: 'replay-invalid', message };
  if (/limit exceeded/i.test(message)) return { kind: 'limit', message };
  if (/^40[13]::(Authentication|Handshake)/i.test(message)) return { kind: 'auth', message };
  return { kind: 'dropped', message };
}

export function createChangeEventPort(
  conn: Connection,
  client: SalesforceClient,
  version: string,
): ChangeEventPort {
  return {
    async selectedEntities() {
      const q = "SELECT SelectedEntity FROM PlatformEventChannelMember WHERE EventChannel = 'ChangeEvents'";
      const res = await client.request(
        'GET',
        `/services/data/v${version}/tooling/query?q=${encodeURIComponent(q)}`,
      );
      const records = (res.data as { records?: { SelectedEntity?: unknown }[] } | undefined)?.records ?? [];
      return records.flatMap((r) =>
        typeof r.SelectedEntity === 'string'
          ? [r.SelectedEntity.replace(/(__)?ChangeEvent$/, (_, c) => (c ? '__c' : ''))]
          : [],
      );
    },
    subscribe(replayId: string | -1 | -2, h: ChangeStreamHandlers): ChangeSubscription {
      let ended = false;
      const fail = (authFailure?: unknown) => (err: unknown) => {
        if (ended) return;
        ended = true;
        closeFaye(faye);
        h.onDown(failureOf(authFailure ?? err));
      };
      const replay = new StreamingExtension.Replay(ALL_CHANGES_CHANNEL, Number(replayId));
      const auth = new StreamingExtension.AuthFailure((m: unknown) => {
        const e = m as { error?: string; ext?: { sfdc?: { failureReason?: string } } };
        fail()(new Error(e.ext?.sfdc?.failureReason ?? e.error ?? 'authentication failed'));
      });
      const faye = conn.streaming.createClient([replay, auth]) as unknown as FayeClient;
      // Salesforce's refusals of connect (the delivery allocation spent) come as failed meta messages.
      faye.addExtension({
        incoming(m: { channel?: string; successful?: boolean; error?: string }, cb: (m: unknown) => void) {
          if (m.channel === '/meta/connect' && m.successful === false && /limit/i.test(m.error ?? ''))
            fail()(new Error(m.error));
          cb(m);
        },
      });
      faye.on('transport:down', () => fail()(new Error('the streaming connection dropped')));
      const sub = faye.subscribe(ALL_CHANGES_CHANNEL, (m) => {
        if (ended) return;
        const e = parseChangeMessage(m);
        if (e) h.onEvent(e);
      });
      sub.then(
        () => {
          if (!ended) h.onUp();
        },
        (err: unknown) => fail()(err),
      );
      return {
        close() {
          ended = true;
          sub.cancel();
          closeFaye(faye);
          return Promise.resolve();
        },
      };
    },
    async deliveryAllocation() {
      const res = await client.request('GET', `/services/data/v${version}/limits`);
      const l = (
        res.data as { DailyDeliveredPlatformEvents?: { Max?: unknown; Remaining?: unknown } } | undefined
      )?.DailyDeliveredPlatformEvents;
      const max = Number(l?.Max);
      const remaining = Number(l?.Remaining);
      if (!Number.isFinite(max) || !Number.isFinite(remaining)) return undefined;
      return { max, remaining, at: new Date().toISOString() };
    },
  };
}
