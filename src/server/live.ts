// Live updates for the browser as server-sent events. The payloads are small "something changed"
// notices (which topic, a few numbers); pages refetch what they show, so nothing the API guards
// more carefully is ever pushed around it.
import type { FastifyInstance } from 'fastify';

export type LiveTopic = 'import' | 'sync' | 'errors' | 'settings';

export interface LiveEvent {
  topic: LiveTopic;
  data: Record<string, unknown>;
}

type Listener = (e: LiveEvent) => void;

export class LiveHub {
  private readonly listeners = new Set<Listener>();

  publish(topic: LiveTopic, data: Record<string, unknown> = {}): void {
    for (const l of this.listeners) l({ topic, data });
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get size(): number {
    return this.listeners.size;
  }
}

const KEEPALIVE_MS = 15_000;

/** `GET /api/events`: one SSE stream per tab (behind the session check like every /api route). */
export function registerLiveRoute(app: FastifyInstance, hub: LiveHub): void {
  app.get('/api/events', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const send = (e: LiveEvent) => res.write(`event: ${e.topic}\ndata: ${JSON.stringify(e.data)}\n\n`);
    const unsubscribe = hub.subscribe(send);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    const end = () => {
      clearInterval(keepalive);
      unsubscribe();
    };
    req.raw.on('close', end);
    res.on('error', end);
  });
}
