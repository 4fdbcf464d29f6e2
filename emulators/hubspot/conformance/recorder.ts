// An HTTP client for conformance tests: every request it sends and every response it gets is
// checked against the OpenAPI documents, and each finding is kept with the exchange it came from.
import type { OpenApiValidator, Violation } from './openapi-validator.js';

/**
 * Paths HubSpot serves under two names where the spec documents only the newer one: the request
 * goes to the path given, and is validated as the spec's path. @hubspot/api-client 13 calls
 * association labels at /crm/v4/associations/{from}/{to}/labels; associations-schema.v4.json
 * documents /crm/associations/v4/{from}/{to}/labels.
 */
export const SPEC_PATH_ALIASES: [RegExp, string][] = [
  [/^\/crm\/v4\/associations\/([^/]+)\/([^/]+)\/labels(\/.*)?$/, '/crm/associations/v4/$1/$2/labels$3'],
];

export function specPathOf(path: string): string {
  for (const [re, to] of SPEC_PATH_ALIASES) if (re.test(path)) return path.replace(re, to);
  return path;
}

export interface CallOptions {
  query?: Record<string, string | string[]> | URLSearchParams;
  body?: unknown;
  token?: string | null;
  /** The test sends a body that breaks the spec on purpose (to get a 400): skip request checks. */
  invalidRequest?: boolean;
}

export interface Exchange {
  method: string;
  path: string;
  status: number;
  operations: string[];
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class ConformanceClient {
  readonly exchanges: Exchange[] = [];
  readonly violations: Violation[] = [];
  /** Requests no spec covers (admin routes are never sent through this client). */
  readonly uncovered: string[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly validator: OpenApiValidator,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are read ad hoc
  async call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
    const query = opts.query instanceof URLSearchParams ? opts.query : new URLSearchParams();
    if (opts.query && !(opts.query instanceof URLSearchParams)) {
      for (const [k, v] of Object.entries(opts.query))
        for (const x of Array.isArray(v) ? v : [v]) query.append(k, x);
    }
    const specPath = specPathOf(path);
    const ops = this.validator.matchedOperations(method, specPath);
    if (ops.length === 0) this.uncovered.push(`${method} ${path}`);
    if (!opts.invalidRequest)
      this.violations.push(...this.validator.validateRequest(method, specPath, query, opts.body));
    const headers: Record<string, string> = {};
    const token = opts.token === undefined ? this.token : opts.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const qs = query.toString();
    const res = await fetch(`${this.baseUrl}${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    this.violations.push(...this.validator.validateResponse(method, specPath, res.status, body));
    this.exchanges.push({
      method,
      path,
      status: res.status,
      operations: ops.map((o) => `${o.spec} ${o.operationId}`),
    });
    return { status: res.status, body: body as T, headers: res.headers };
  }
}
