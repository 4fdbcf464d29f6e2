// The Streaming API's CometD endpoint, /cometd/XX.X: Bayeux 1.0 over long-polling (the transport
// jsforce's faye client uses): handshake, connect, subscribe (with the `replay` extension),
// unsubscribe, disconnect. Change events go to clients subscribed to their entity's channel or to
// /data/ChangeEvents. Errors carry Salesforce's texts (docs/emulators/salesforce.md).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from '../state.js';
import { readBody } from '../http.js';
import type { StoredEvent } from './change-events.js';

/** Salesforce holds a connect request up to 110 s when nothing arrives. */
export const CONNECT_TIMEOUT_MS = 110_000;
const ALL_CHANGES = '/data/ChangeEvents';

interface Message {
  channel?: unknown;
  clientId?: unknown;
  id?: unknown;
  subscription?: unknown;
  ext?: unknown;
  connectionType?: unknown;
}

interface Client {
  id: string;
  userId: string;
  subscriptions: Set<string>;
  queue: Record<string, unknown>[];
  /** The held connect: answer it now, or drop its connection. */
  held?: { flush: () => void; drop: () => void };
  connects: number;
}

function schemaId(entity: string): string {
  return Buffer.from(`${entity}ChangeEvent`).toString('base64url').slice(0, 22);
}

/** The channels an event goes to: its entity's and the all-changes channel. */
function channelsOf(e: StoredEvent): string[] {
  return [`/data/${e.entity}ChangeEvent`, ALL_CHANGES];
}

export class StreamingServer {
  private readonly clients = new Map<string, Client>();
  connectTimeoutMs = CONNECT_TIMEOUT_MS;

  constructor(private readonly state: EmulatorState) {
    state.events.onEvent((e) => {
      for (const c of this.clients.values()) this.offer(c, e);
    });
  }

  /** Client ids and their subscriptions (admin API). */
  list(): { clientId: string; subscriptions: string[]; connected: boolean }[] {
    return [...this.clients.values()].map((c) => ({
      clientId: c.id,
      subscriptions: [...c.subscriptions],
      connected: c.held !== undefined,
    }));
  }

  /** Drops clients (all, or one): a held connect loses its connection; the next is `403::Unknown client`. */
  drop(clientId?: string): number {
    let n = 0;
    for (const c of [...this.clients.values()]) {
      if (clientId !== undefined && c.id !== clientId) continue;
      this.clients.delete(c.id);
      c.held?.drop();
      n++;
    }
    return n;
  }

  async handle(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
    let messages: Message[];
    try {
      const parsed = JSON.parse((await readBody(req)) || '[]') as unknown;
      messages = (Array.isArray(parsed) ? parsed : [parsed]) as Message[];
    } catch {
      this.reply(res, 400, [{ successful: false, error: '400::Bad JSON' }]);
      return;
    }
    const session = token ? this.state.tokens.check(token) : undefined;
    const out: Record<string, unknown>[] = [];
    let hold: { client: Client; id: unknown } | undefined;
    for (const m of messages) {
      const channel = typeof m.channel === 'string' ? m.channel : '';
      const base = { channel, ...(m.id !== undefined ? { id: m.id } : {}) };
      this.state.stats.record(`streaming.${channel.replace('/meta/', '')}`, 200);
      if (!session) {
        // Spring '18 on: an invalid session fails handshake and connect with this reason.
        out.push({
          ...base,
          successful: false,
          error: channel === '/meta/handshake' ? '403::Handshake denied' : '401::Authentication invalid',
          ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true },
          advice: { reconnect: 'none' },
        });
        continue;
      }
      if (channel === '/meta/handshake') {
        const id = randomBytes(12).toString('base64url');
        this.clients.set(id, {
          id,
          userId: session.userId,
          subscriptions: new Set(),
          queue: [],
          connects: 0,
        });
        out.push({
          ...base,
          version: '1.0',
          minimumVersion: '1.0',
          supportedConnectionTypes: ['long-polling'],
          clientId: id,
          successful: true,
          ext: { replay: true, 'payload.format': true },
        });
        continue;
      }
      const client = typeof m.clientId === 'string' ? this.clients.get(m.clientId) : undefined;
      if (!client) {
        out.push({
          ...base,
          ...(typeof m.clientId === 'string' ? { clientId: m.clientId } : {}),
          successful: false,
          error: '403::Unknown client',
          advice: { reconnect: 'handshake', interval: 0 },
        });
        continue;
      }
      const ok = { ...base, clientId: client.id, successful: true };
      if (channel === '/meta/connect') {
        if (this.state.events.deliveries.remaining() === 0) {
          out.push({
            ...ok,
            successful: false,
            error: '403::Organization total events daily limit exceeded',
            advice: { reconnect: 'none' },
          });
          continue;
        }
        client.connects++;
        // The first connect answers at once with the advice; later ones wait for events.
        if (client.connects === 1 || client.queue.length > 0)
          out.push(...client.queue.splice(0), { ...ok, advice: this.advice() });
        else hold = { client, id: m.id };
        continue;
      }
      if (channel === '/meta/subscribe') {
        out.push(this.subscribe(client, m, ok));
        continue;
      }
      if (channel === '/meta/unsubscribe') {
        const sub = typeof m.subscription === 'string' ? m.subscription : '';
        client.subscriptions.delete(sub);
        out.push({ ...ok, subscription: sub });
        continue;
      }
      if (channel === '/meta/disconnect') {
        this.clients.delete(client.id);
        client.held?.flush();
        out.push(ok);
        continue;
      }
      out.push({
        ...base,
        clientId: client.id,
        successful: false,
        error: `400::Unsupported channel ${channel}`,
      });
    }
    if (!hold) {
      this.reply(res, 200, out);
      return;
    }
    this.holdConnect(hold.client, hold.id, res, out);
  }

  private advice() {
    return { timeout: this.connectTimeoutMs, interval: 0, reconnect: 'retry' };
  }

  private holdConnect(
    client: Client,
    id: unknown,
    res: ServerResponse,
    before: Record<string, unknown>[],
  ): void {
    // The answer carries the connect's message id: faye matches answers to requests by it.
    const base = { channel: '/meta/connect', ...(id !== undefined ? { id } : {}), clientId: client.id };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.held = undefined;
      const gone = !this.clients.has(client.id);
      const connect = gone
        ? {
            ...base,
            successful: false,
            error: '403::Unknown client',
            advice: { reconnect: 'handshake', interval: 0 },
          }
        : { ...base, successful: true, advice: this.advice() };
      this.reply(res, 200, [...before, ...client.queue.splice(0), connect]);
    };
    const timer = setTimeout(finish, this.connectTimeoutMs);
    res.on('close', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.held = undefined;
    });
    client.held = {
      flush: finish,
      drop: () => {
        done = true;
        clearTimeout(timer);
        client.held = undefined;
        res.destroy();
      },
    };
  }

  private subscribe(client: Client, m: Message, ok: Record<string, unknown>): Record<string, unknown> {
    const sub = typeof m.subscription === 'string' ? m.subscription : '';
    const entity = /^\/data\/(\w+?)ChangeEvent$/.exec(sub)?.[1];
    const known = sub === ALL_CHANGES || (entity !== undefined && this.state.store.def(entity) !== undefined);
    if (!known) {
      return {
        ...ok,
        subscription: sub,
        successful: false,
        error: `400::The channel you requested to subscribe to does not exist {${sub}}`,
      };
    }
    const ext = typeof m.ext === 'object' && m.ext !== null ? (m.ext as Record<string, unknown>) : {};
    const replayMap =
      typeof ext.replay === 'object' && ext.replay !== null ? (ext.replay as Record<string, unknown>) : {};
    const raw = replayMap[sub];
    const replayId = raw === undefined ? -1 : Number(raw);
    const backlog = this.state.events.after(replayId);
    if (!backlog) {
      return {
        ...ok,
        subscription: sub,
        successful: false,
        error: `400::The replayId {${String(raw)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
      };
    }
    client.subscriptions.add(sub);
    for (const e of backlog) this.offer(client, e, sub);
    return { ...ok, subscription: sub };
  }

  /** Queues an event for a client on each of its subscribed channels it belongs to; wakes its connect. */
  private offer(client: Client, e: StoredEvent, only?: string): void {
    let queued = false;
    for (const channel of channelsOf(e)) {
      if (!client.subscriptions.has(channel) || (only !== undefined && channel !== only)) continue;
      if (!this.state.events.deliveries.take()) continue;
      client.queue.push({
        channel,
        data: { schema: schemaId(e.entity), payload: e.payload, event: { replayId: e.replayId } },
      });
      queued = true;
    }
    if (queued) client.held?.flush();
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
  }
}
