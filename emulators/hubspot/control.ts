// Test controls: injected faults and request statistics, driven by the admin API.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FailInputs } from './fault-shapes.js';

export interface FaultSpec {
  /** Glob on the request path (`*` = any characters), e.g. `/crm/v3/objects/deals/batch/*`. */
  path: string;
  method?: string;
  /** Reply with this status (and body) instead of serving; omit for a delay-only fault. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  probability?: number;
  /** Fire on every Nth matching request (N, 2N, …). */
  everyNth?: number;
  delayMs?: number;
  /** Stop after firing this many times. */
  times?: number;
  /**
   * Answer with this text as it is, not JSON-encoded (status `status`, else 200): a body cut off
   * mid-JSON, a proxy's HTML page. `contentType` defaults to JSON's.
   */
  rawBody?: string;
  contentType?: string;
  /**
   * Serve the request for real (its writes happen), then send only the first N bytes of the
   * answer's body, announced at its full length, and cut the connection.
   */
  truncateAfter?: number;
  /** Batch routes: refuse the inputs whose JSON contains `match`, serve the rest, answer 207 naming them by index. */
  failInputs?: FailInputs;
  /** Batch routes: serve every input, then leave out of the answer the results whose JSON contains `match`. */
  dropResults?: { match: string };
}

export interface Fault extends FaultSpec {
  id: string;
  seen: number;
  fired: number;
}

const CATEGORY: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'INVALID_AUTHENTICATION',
  403: 'MISSING_SCOPES',
  404: 'OBJECT_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * HubSpot's error body for an injected status given without a body: `Error` (`status`, `message`,
 * `correlationId`, `category`), or for 429 the rate-limit body that @hubspot/api-client keys on.
 */
export function faultBody(status: number): Record<string, unknown> {
  const correlationId = randomUUID();
  if (status === 429) {
    return {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId,
      policyName: 'TEN_SECONDLY_ROLLING',
      requestId: randomUUID().replace(/-/g, ''),
    };
  }
  return {
    status: 'error',
    message: STATUS_CODES[status] ?? `HTTP ${status}`,
    correlationId,
    category: CATEGORY[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR'),
  };
}

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${esc}$`);
}

export class Faults {
  private list: (Fault & { re: RegExp })[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): Fault {
    const f = { ...spec, id: String(this.nextId++), seen: 0, fired: 0, re: globToRegExp(spec.path) };
    this.list.push(f);
    return this.view(f);
  }

  remove(id: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((f) => f.id !== id);
    return this.list.length !== before;
  }

  clear(): void {
    this.list = [];
  }

  all(): Fault[] {
    return this.list.map((f) => this.view(f));
  }

  private view(f: Fault & { re: RegExp }): Fault {
    const { re: _re, ...rest } = f;
    return rest;
  }

  /**
   * The fault to apply to this request, if any (counts it as fired). A fault that refuses inputs or
   * drops results applies only to requests whose body holds its `match` text.
   */
  pick(method: string, path: string, body = ''): Fault | undefined {
    for (const f of this.list) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (!f.re.test(path)) continue;
      const match = f.failInputs?.match ?? f.dropResults?.match;
      if (match !== undefined && !body.includes(match)) continue;
      if (f.times !== undefined && f.fired >= f.times) continue;
      f.seen++;
      if (f.everyNth && f.seen % f.everyNth !== 0) continue;
      if (f.probability !== undefined && this.random() >= f.probability) continue;
      f.fired++;
      return f;
    }
    return undefined;
  }
}

export class Stats {
  requests = 0;
  byRoute = new Map<string, Map<number, number>>();
  rateLimited = new Map<string, number>();
  faultsFired = 0;

  record(routeKey: string, status: number): void {
    this.requests++;
    let m = this.byRoute.get(routeKey);
    if (!m) this.byRoute.set(routeKey, (m = new Map()));
    m.set(status, (m.get(status) ?? 0) + 1);
  }

  limited(policy: string): void {
    this.rateLimited.set(policy, (this.rateLimited.get(policy) ?? 0) + 1);
  }

  reset(): void {
    this.requests = 0;
    this.byRoute.clear();
    this.rateLimited.clear();
    this.faultsFired = 0;
  }

  toJSON(): Record<string, unknown> {
    const routes: Record<string, Record<string, number>> = {};
    const byStatus: Record<string, number> = {};
    for (const [k, m] of this.byRoute) {
      routes[k] = Object.fromEntries([...m].map(([s, n]) => [String(s), n]));
      for (const [s, n] of m) byStatus[s] = (byStatus[s] ?? 0) + n;
    }
    const limited = Object.fromEntries(this.rateLimited);
    const total429 = [...this.rateLimited.values()].reduce((a, b) => a + b, 0);
    return {
      requests: this.requests,
      byStatus,
      routes,
      rateLimited: { total: total429, ...limited },
      faultsFired: this.faultsFired,
    };
  }
}
