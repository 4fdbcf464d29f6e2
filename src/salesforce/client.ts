// The one place requests leave for Salesforce. It sends through jsforce's Connection (so OAuth,
// the one-shot token refresh on 401 INVALID_SESSION_ID and instance URLs stay jsforce's job) but
// with a per-request capturing transport, which gives us what jsforce's promise API hides: the
// status, the headers (Sforce-Limit-Info, Date) and the raw body text for lossless numbers.
// jsforce's own retry (5 GET retries on 429/5xx with fixed waits) is switched off: retries are
// decided by decideRetry and budgets checked before every request.
import type { Connection, HttpRequest, HttpResponse } from 'jsforce';
import { DealbridgeError } from '../errors/index.js';
import type { ApiUsageReading } from '../domain/salesforce.js';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../http/retry.js';
import { parseJsonKeepingNumbers } from './lossless-json.js';
import { parseLimitInfo } from './schemas.js';

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface SalesforceClientOptions {
  /** Stop sending at this percentage of the daily API allocation. */
  budgetPercent: number;
  /** While over budget, let one request through this often to learn whether room came back. */
  budgetProbeMs?: number;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /**
   * The body must have arrived this long after the headers (default 15 s). jsforce's fetch
   * (node-fetch 2) never settles a body whose connection closed before its Content-Length was
   * reached, and its timeout covers the headers only: without this a cut answer would hold the
   * pass forever.
   */
  bodyTimeoutMs?: number;
}

export interface SfResponse {
  status: number;
  headers: Record<string, string>;
  /** Body parsed with every number kept as its exact text; undefined for empty bodies. */
  data: unknown;
}

interface Transportish {
  httpRequest(req: HttpRequest, options?: object): Promise<HttpResponse> & { stream(): NodeJS.EventEmitter };
}

/** The first Salesforce error `{errorCode, message}` of a response body (an array, per the REST guide). */
export function salesforceError(data: unknown): { errorCode: string; message: string } | undefined {
  const first: unknown = Array.isArray(data) ? data[0] : data;
  if (typeof first !== 'object' || first === null) return undefined;
  const e = first as { errorCode?: unknown; message?: unknown; error?: unknown; error_description?: unknown };
  if (typeof e.errorCode === 'string') return { errorCode: e.errorCode, message: String(e.message ?? '') };
  if (typeof e.error === 'string') return { errorCode: e.error, message: String(e.error_description ?? '') };
  return undefined;
}

/** Headers came, the body did not in time: the connection was cut mid-answer (see bodyTimeoutMs). */
class BodyCutOff extends Error {
  constructor(ms: number) {
    super(`the body did not arrive within ${ms} ms of the headers`);
  }
}

/** The start of an unreadable body, quoted so that control characters show. */
const preview = (text: string) => JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return parseJsonKeepingNumbers(text);
  } catch {
    return text;
  }
}

export class SalesforceClient {
  private reading: ApiUsageReading | undefined;
  private lastProbeAt = 0;
  private lastDate: { server: number; local: number } | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** Every HTTP request sent to the instance through this client: retries, query pages and the
   *  re-send after a token refresh each count (as Salesforce counts them); the OAuth token call
   *  itself does not (it is not a REST API call and does not count against the daily allocation). */
  requests = 0;
  /** Of those, the answers that refused for a limit: HTTP 429, or 403 REQUEST_LIMIT_EXCEEDED. */
  rateLimited = 0;

  constructor(
    readonly conn: Connection,
    private readonly opts: SalesforceClientOptions,
  ) {
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = opts.now ?? Date.now;
  }

  usage(): ApiUsageReading | undefined {
    return this.reading;
  }

  /** The server's clock from the latest `Date` header, advanced by local time since (second precision). */
  serverClock(): number | undefined {
    return this.lastDate ? this.lastDate.server + (this.now() - this.lastDate.local) : undefined;
  }

  /** Called for every response jsforce receives, the 401 that triggers a refresh included. */
  onResponse(res: HttpResponse): void {
    if (res.statusCode === 429 || (res.statusCode === 403 && /REQUEST_LIMIT_EXCEEDED/.test(res.body ?? '')))
      this.rateLimited++;
    const usage = parseLimitInfo(res.headers['sforce-limit-info'], new Date(this.now()));
    if (usage) this.reading = usage;
    const date = res.headers.date ? Date.parse(res.headers.date) : NaN;
    if (!Number.isNaN(date)) this.lastDate = { server: date, local: this.now() };
  }

  /** Updates the reading from /limits' DailyApiRequests when no header has been seen. */
  noteLimits(max: number, remaining: number): void {
    this.reading = { used: max - remaining, max, at: new Date(this.now()).toISOString() };
  }

  private checkBudget(): void {
    const r = this.reading;
    if (!r || r.max <= 0) return;
    if (r.used * 100 < r.max * this.opts.budgetPercent) return;
    const now = this.now();
    const probeMs = this.opts.budgetProbeMs ?? 5 * 60_000;
    if (now - Date.parse(r.at) >= probeMs && now - this.lastProbeAt >= probeMs) {
      this.lastProbeAt = now; // one request finds out whether the rolling 24 h freed room
      return;
    }
    throw new DealbridgeError(
      'SALESFORCE_LIMIT_REACHED',
      `Salesforce API budget spent: ${r.used} of ${r.max} daily requests used (budget ${this.opts.budgetPercent} %)`,
    );
  }

  async request(
    method: HttpMethod,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
    opts: { probe?: boolean } = {},
  ): Promise<SfResponse> {
    const policy = this.opts.retryPolicy ?? DEFAULT_RETRY_POLICY;
    for (let attempt = 1; ; attempt++) {
      // A probe is the one request that finds out whether the budget has room again: it must not
      // be refused on the strength of the very reading it is sent to refresh.
      if (!opts.probe) this.checkBudget();
      let captured: HttpResponse | undefined;
      let cutOff: (() => void) | undefined;
      const bodyLate = new Promise<never>((_, reject) => {
        cutOff = () => reject(new BodyCutOff(this.opts.bodyTimeoutMs ?? 15_000));
      });
      const timers: NodeJS.Timeout[] = [];
      const base = this.conn._transport as unknown as Transportish;
      const transport: Transportish = {
        httpRequest: (req, options) => {
          this.requests++; // here, not per request(): jsforce re-sends through us after a refresh
          const p = base.httpRequest(req, options);
          p.stream().once('response', () =>
            timers.push(setTimeout(() => cutOff?.(), this.opts.bodyTimeoutMs ?? 15_000)),
          );
          p.then(
            (res) => {
              captured = res;
              this.onResponse(res);
            },
            () => undefined,
          );
          return p;
        },
      };
      const req: HttpRequest = {
        method,
        url,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      };
      let failure: unknown;
      let unreadable: string | undefined;
      try {
        const text = await Promise.race([
          this.conn.request<string | undefined>(req, {
            transport,
            responseType: 'text/plain',
            retry: { maxRetries: 0 },
            timeout: this.opts.timeoutMs ?? 120_000,
          }),
          bodyLate,
        ]);
        const res = captured;
        const data = parseBody(text ?? undefined);
        // Every resource used answers JSON: text that is not (a maintenance or login page, a body
        // cut off mid-way) is an answer that cannot be read, retried like a 5xx.
        if (typeof data !== 'string')
          return { status: res?.statusCode ?? 200, headers: res?.headers ?? {}, data };
        unreadable = `Salesforce answered ${method} ${url.split('?')[0]} with HTTP ${res?.statusCode ?? 200} and a body that is not JSON`;
        failure = preview(data);
      } catch (err) {
        failure = err;
        if (err instanceof BodyCutOff)
          unreadable = `Salesforce's answer to ${method} ${url.split('?')[0]} broke off while it was read`;
      } finally {
        for (const t of timers) clearTimeout(t);
      }
      const error =
        unreadable !== undefined
          ? this.unreadable(unreadable, String(failure), captured, attempt, policy)
          : this.classify(failure, captured, attempt, policy);
      if (error.retryAfterMs === undefined) throw error.error;
      await this.sleep(error.retryAfterMs);
    }
  }

  async get(url: string, headers?: Record<string, string>): Promise<unknown> {
    return (await this.request('GET', url, undefined, headers)).data;
  }

  /** An answer that arrived and cannot be read: retried with backoff, then SALESFORCE_BAD_RESPONSE. */
  private unreadable(
    what: string,
    detail: string,
    res: HttpResponse | undefined,
    attempt: number,
    policy: RetryPolicy,
  ): { error: DealbridgeError; retryAfterMs?: number } {
    const d = decideRetry(
      {
        ...(res ? { status: res.statusCode } : {}),
        unreadable: true,
        headers: res?.headers ?? {},
        attempt,
        side: 'salesforce',
        now: this.now(),
      },
      Math.random,
      policy,
    );
    const error = new DealbridgeError('SALESFORCE_BAD_RESPONSE', `${what}, ${attempt} times: ${detail}`);
    return d.retry ? { error, retryAfterMs: d.waitMs } : { error };
  }

  private classify(
    err: unknown,
    res: HttpResponse | undefined,
    attempt: number,
    policy: RetryPolicy,
  ): { error: DealbridgeError; retryAfterMs?: number } {
    const message = err instanceof Error ? err.message : String(err);
    if (/^Unable to refresh session/.test(message)) {
      return {
        error: new DealbridgeError('AUTH_FAILED', `Salesforce token refresh failed: ${message}`, {
          cause: err,
        }),
      };
    }
    if (!res) {
      const code = (err as { code?: unknown }).code;
      const errorCode = typeof code === 'string' ? code : /timeout/i.test(message) ? 'ETIMEDOUT' : undefined;
      const d = decideRetry(
        { errorCode, headers: {}, attempt, side: 'salesforce', now: this.now() },
        Math.random,
        policy,
      );
      if (d.retry)
        return { error: new DealbridgeError('SALESFORCE_UNAVAILABLE', message), retryAfterMs: d.waitMs };
      return {
        error: new DealbridgeError(
          'SALESFORCE_UNAVAILABLE',
          `Salesforce unreachable (${errorCode ?? 'error'}): ${message}`,
          {
            cause: err,
          },
        ),
      };
    }
    const data = parseBody(res.body);
    const sf = salesforceError(data);
    const what = `HTTP ${res.statusCode}${sf ? ` ${sf.errorCode}: ${sf.message}` : ''}`;
    if (res.statusCode === 401) {
      return {
        error: new DealbridgeError('AUTH_FAILED', `Salesforce rejected the session (${what})`, {
          cause: err,
        }),
      };
    }
    if (res.statusCode === 403 && sf?.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
      return {
        error: new DealbridgeError('SALESFORCE_LIMIT_REACHED', `Salesforce API limit exceeded (${what})`, {
          cause: err,
        }),
      };
    }
    if (res.statusCode === 403) {
      return {
        error: new DealbridgeError('AUTH_FAILED', `Salesforce refused the request (${what})`, { cause: err }),
      };
    }
    const d = decideRetry(
      {
        status: res.statusCode,
        headers: res.headers,
        body: data,
        attempt,
        side: 'salesforce',
        now: this.now(),
      },
      Math.random,
      policy,
    );
    if (d.retry)
      return { error: new DealbridgeError('SALESFORCE_UNAVAILABLE', what), retryAfterMs: d.waitMs };
    const code =
      res.statusCode >= 500 || res.statusCode === 429 ? 'SALESFORCE_UNAVAILABLE' : 'SALESFORCE_QUERY_FAILED';
    return { error: new DealbridgeError(code, `Salesforce ${what}`, { cause: err }) };
  }
}
