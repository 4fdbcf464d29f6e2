// Where a pass spends its time: wraps every method of an object (own and inherited) in place with a
// timer, so the engine, which holds the same object, is measured without being changed. Async
// iterables (the Salesforce change feed) are timed per `next()`. Calls that nest (a store
// transaction around other store calls) are counted in both, so the rows do not add up.
import { performance } from 'node:perf_hooks';

export interface Timing {
  calls: number;
  ms: number;
}

export type Timings = Map<string, Timing>;

function add(into: Timings, key: string, ms: number): void {
  const t = into.get(key) ?? { calls: 0, ms: 0 };
  t.calls++;
  t.ms += ms;
  into.set(key, t);
}

function timedIterable<T>(src: AsyncIterable<T>, key: string, into: Timings): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const it = src[Symbol.asyncIterator]();
      return {
        async next() {
          const t0 = performance.now();
          try {
            return await it.next();
          } finally {
            add(into, key, performance.now() - t0);
          }
        },
        async return(value?: unknown) {
          return it.return ? it.return(value) : { done: true as const, value: undefined as T };
        },
      };
    },
  };
}

function methodNames(obj: object): string[] {
  const names = new Set<string>();
  for (
    let o: object | null = obj;
    o && o !== Object.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    for (const n of Object.getOwnPropertyNames(o)) {
      if (n === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(o, n);
      if (d && typeof d.value === 'function') names.add(n);
    }
  }
  return [...names];
}

/** Wraps obj's methods in place; `prefix.method` keys in `into`. */
export function instrument<T extends object>(obj: T, prefix: string, into: Timings, skip: string[] = []): T {
  const target = obj as Record<string, unknown>;
  for (const name of methodNames(obj)) {
    if (skip.includes(name)) continue;
    const fn = target[name] as (...a: unknown[]) => unknown;
    const key = `${prefix}.${name}`;
    target[name] = function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      const out = fn.apply(this === undefined ? obj : this, args);
      if (out && typeof (out as Promise<unknown>).then === 'function') {
        return (out as Promise<unknown>).finally(() => add(into, key, performance.now() - t0));
      }
      if (out && typeof out === 'object' && Symbol.asyncIterator in out) {
        return timedIterable(out as AsyncIterable<unknown>, key, into);
      }
      add(into, key, performance.now() - t0);
      return out;
    };
  }
  return obj;
}

export function timingRows(t: Timings, minMs = 1): { key: string; calls: number; ms: number }[] {
  return [...t]
    .map(([key, v]) => ({ key, calls: v.calls, ms: Math.round(v.ms) }))
    .filter((r) => r.ms >= minMs)
    .sort((a, b) => b.ms - a.ms);
}
