// Live updates: one EventSource per tab on /api/events; pages say which topics they care about and
// refetch when one arrives. If the stream drops, the browser reconnects by itself (retry: 2000);
// pages also poll slowly so a missed event never leaves a stale screen for long.
import { useEffect, useRef } from 'react';

type Topic = 'import' | 'sync' | 'errors' | 'settings';
type Handler = (topic: Topic, data: Record<string, unknown>) => void;

const handlers = new Set<Handler>();
let source: EventSource | null = null;

function ensureSource(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events');
  for (const topic of ['import', 'sync', 'errors', 'settings'] as const) {
    source.addEventListener(topic, (e) => {
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
      } catch {
        /* a notice without data */
      }
      for (const h of handlers) h(topic, data);
    });
  }
}

/** Calls `onEvent` for events of these topics, and every `pollMs` as a fallback. */
export function useLive(
  topics: Topic[],
  onEvent: (data: Record<string, unknown>) => void,
  pollMs = 10_000,
): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  const key = topics.join(',');
  useEffect(() => {
    ensureSource();
    const wanted = new Set(key.split(','));
    const h: Handler = (topic, data) => {
      if (wanted.has(topic)) ref.current(data);
    };
    handlers.add(h);
    const timer = window.setInterval(() => ref.current({}), pollMs);
    return () => {
      handlers.delete(h);
      window.clearInterval(timer);
    };
  }, [key, pollMs]);
}
