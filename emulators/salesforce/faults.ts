// Injected faults and request statistics. A fault matches a route name (or '*'), fires with a
// probability, on every Nth matching request, or always, at most `times` times, and then answers
// with a status and body (or raw bytes: a malformed body, an HTML page), adds delay, expires every
// access token before the request runs, and/or serves the request but cuts its answer short.
import { prng } from './seed.js';

export interface FaultSpec {
  /** Route name as reported by /__emulator/stats (e.g. `query`, `sobject.update`), or '*'. */
  route: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  probability?: number;
  everyNth?: number;
  /** Fire at most this many times, then the fault is removed. */
  times?: number;
  delayMs?: number;
  expireTokens?: boolean;
  /**
   * Answer with this text as it is, not JSON-encoded (status `status`, else 200): a body cut off
   * mid-JSON, a proxy's or a maintenance window's HTML page. `contentType` defaults to JSON's.
   */
  rawBody?: string;
  contentType?: string;
  /**
   * Serve the request for real (its writes happen), then send only the first N bytes of the
   * answer's body, announced at its full length, and cut the connection: an answer lost mid-way.
   */
  truncateAfter?: number;
}

export interface Fault extends FaultSpec {
  id: number;
  seen: number;
  fired: number;
}

export interface FaultOutcome {
  delayMs: number;
  expireTokens: boolean;
  reply?: { status: number; body?: unknown; text?: string; headers?: Record<string, string> };
  truncateAfter?: number;
}

function defaultBody(status: number): unknown {
  switch (status) {
    case 401:
      return [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
    case 403:
      return [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
    case 404:
      return [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }];
    case 503:
      return [{ message: 'Server is unavailable (emulated fault)', errorCode: 'SERVER_UNAVAILABLE' }];
    default:
      return [
        {
          message: `An unexpected error occurred (emulated fault, HTTP ${status})`,
          errorCode: 'UNKNOWN_EXCEPTION',
        },
      ];
  }
}

export class Faults {
  private faults: Fault[] = [];
  private nextId = 1;
  private random = prng(42);

  add(spec: FaultSpec): Fault {
    const f: Fault = { ...spec, id: this.nextId++, seen: 0, fired: 0 };
    this.faults.push(f);
    return f;
  }

  list(): Fault[] {
    return this.faults;
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(seed = 42): void {
    this.faults = [];
    this.random = prng(seed);
  }

  /**
   * Decides what the faults do to one request of `route`. `wildcard: false` (a composite
   * subrequest: its outer request already met the '*' faults) matches faults named for the route only.
   */
  apply(route: string, opts: { wildcard?: boolean } = {}): FaultOutcome {
    const out: FaultOutcome = { delayMs: 0, expireTokens: false };
    const wildcard = opts.wildcard ?? true;
    for (const f of [...this.faults]) {
      if (!(f.route === route || (wildcard && f.route === '*'))) continue;
      f.seen++;
      const fires =
        f.everyNth !== undefined
          ? f.seen % f.everyNth === 0
          : f.probability !== undefined
            ? this.random() < f.probability
            : true;
      if (!fires) continue;
      f.fired++;
      if (f.times !== undefined && f.fired >= f.times) this.remove(f.id);
      out.delayMs += f.delayMs ?? 0;
      if (f.expireTokens) out.expireTokens = true;
      if (f.truncateAfter !== undefined) out.truncateAfter ??= f.truncateAfter;
      if (f.rawBody !== undefined && !out.reply) {
        out.reply = {
          status: f.status ?? 200,
          text: f.rawBody,
          headers: { ...f.headers, 'Content-Type': f.contentType ?? 'application/json;charset=UTF-8' },
        };
      } else if (f.status !== undefined && !out.reply) {
        out.reply = {
          status: f.status,
          body: f.body ?? defaultBody(f.status),
          ...(f.headers ? { headers: f.headers } : {}),
        };
      }
    }
    return out;
  }
}

/** Request counts per route and status. */
export class Stats {
  private counts = new Map<string, Map<number, number>>();
  total = 0;

  record(route: string, status: number): void {
    this.total++;
    let m = this.counts.get(route);
    if (!m) this.counts.set(route, (m = new Map()));
    m.set(status, (m.get(status) ?? 0) + 1);
  }

  toJSON(): { total: number; routes: Record<string, Record<string, number>> } {
    const routes: Record<string, Record<string, number>> = {};
    for (const [route, m] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      routes[route] = Object.fromEntries([...m].map(([s, n]) => [String(s), n]));
    }
    return { total: this.total, routes };
  }

  reset(): void {
    this.counts = new Map();
    this.total = 0;
  }
}
