// Every HubSpot request goes through here: a concurrency cap, the pacer (burst window, plus the
// search limiter), decideRetry for 429 / 5xx / timeouts, and error normalisation. Requests are sent
// with @hubspot/api-client's `apiRequest` (the SDK's own auth, basePath and fetch), not with the
// generated per-endpoint classes: those deserialise error bodies into typed models that drop
// HubSpot's 429 `policyName` and the batch errors' `context`, which our decisions depend on.
// The SDK's retry decorator stays off (numberOfApiCallRetries: 0), and so does its Bottleneck
// limiter (no limiterOptions): DESIGN §6.
import { Client } from '@hubspot/api-client';
import { DealbridgeError } from '../errors/index.js';
import { isMissingScopes, missingScopesError } from './scopes.js';
import { HUBSPOT_PACER_DEFAULTS, HUBSPOT_SEARCH_PACER, Pacer, realClock, type Clock } from '../http/pacer.js';
import { decideRetry, DEFAULT_RETRY_POLICY, hubspotPolicy, type RetryPolicy } from '../http/retry.js';

export interface HubspotTransportOptions {
  baseUrl: string;
  accessToken: string;
  maxConcurrency?: number;
  retryPolicy?: RetryPolicy;
  clock?: Clock;
  timeoutMs?: number;
  /**
   * A body that sends nothing for this long is taken as cut off (default 15 s). The SDK's fetch
   * (node-fetch 2) never settles a body whose connection closed before its Content-Length was
   * reached, so without this a cut answer would hold the pass forever.
   */
  bodyIdleMs?: number;
}

export interface HsResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** An answer whose body cannot be read: not JSON, or broken off while it was read. */
interface Unreadable {
  status: number;
  headers: Record<string, string>;
  /** What arrived (the start of it), or why reading stopped. */
  what: string;
  cutOff: boolean;
}

/** The start of an unreadable body, quoted so that control characters show. */
const preview = (text: string) => JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);

/** A 4xx HubSpot answered (other than auth and rate limits): the caller maps it in context. */
export class HubspotHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'HubspotHttpError';
  }
}

export function errorMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'message' in body)
    return String((body as { message: unknown }).message);
  return typeof body === 'string' ? body.slice(0, 500) : '';
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** The body's text; rejects when no bytes arrive for `idleMs` (see bodyIdleMs). */
function bodyText(
  res: Response | { text(): Promise<string>; body: unknown },
  idleMs: number,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => reject(new Error(`the body stopped arriving (nothing for ${idleMs} ms)`)),
        idleMs,
      );
    };
    idle();
    const stream = res.body as { on?: (event: string, fn: () => void) => void } | null;
    stream?.on?.('data', idle);
    res.text().then(
      (text) => {
        clearTimeout(timer);
        resolve(text);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

export class HubspotTransport {
  readonly client: Client;
  readonly pacer: Pacer;
  readonly searchPacer: Pacer;
  private readonly slots: Semaphore;
  private readonly clock: Clock;
  requests = 0;
  rateLimited = 0;
  daily: { max?: number; remaining?: number } = {};

  constructor(private readonly opts: HubspotTransportOptions) {
    this.client = new Client({
      accessToken: opts.accessToken,
      basePath: opts.baseUrl.replace(/\/$/, ''),
      numberOfApiCallRetries: 0,
    });
    this.clock = opts.clock ?? realClock;
    this.pacer = new Pacer(HUBSPOT_PACER_DEFAULTS, this.clock);
    this.searchPacer = new Pacer(HUBSPOT_SEARCH_PACER, this.clock);
    this.slots = new Semaphore(opts.maxConcurrency ?? 6);
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    o: { search?: boolean; qs?: Record<string, string> } = {},
  ): Promise<HsResponse> {
    const policy = this.opts.retryPolicy ?? DEFAULT_RETRY_POLICY;
    for (let attempt = 1; ; attempt++) {
      // Slot first, pace second: the pacer records the start time, which must be the send time.
      await this.slots.acquire();
      let res: HsResponse | undefined;
      let unreadable: Unreadable | undefined;
      let netErr: unknown;
      let sentAt = 0;
      try {
        if (o.search) await this.searchPacer.acquire();
        await this.pacer.acquire();
        sentAt = this.clock.now();
        this.requests++;
        const answer = await this.send(method, path, body, o.qs);
        if ('what' in answer) unreadable = answer;
        else res = answer;
      } catch (err) {
        netErr = err;
      } finally {
        this.slots.release();
      }
      if (unreadable) {
        this.observe(unreadable.headers, sentAt);
        const d = decideRetry(
          {
            status: unreadable.status,
            unreadable: true,
            headers: unreadable.headers,
            attempt,
            side: 'hubspot',
            now: this.clock.now(),
          },
          Math.random,
          policy,
        );
        if (d.retry) {
          await this.clock.sleep(d.waitMs);
          continue;
        }
        throw new DealbridgeError(
          'HUBSPOT_BAD_RESPONSE',
          unreadable.cutOff
            ? `HubSpot's answer to ${method} ${path} (HTTP ${unreadable.status}) broke off while it was read, ${attempt} times: ${unreadable.what}`
            : `HubSpot answered ${method} ${path} with HTTP ${unreadable.status} and a body that is not JSON, ${attempt} times: ${unreadable.what}`,
        );
      }
      if (res) {
        this.observe(res.headers, sentAt);
        if (res.status < 400) return res;
        if (res.status === 403 && isMissingScopes(res.body)) throw missingScopesError(method, path, res.body);
        if (res.status === 401 || res.status === 403) {
          throw new DealbridgeError(
            'AUTH_FAILED',
            `HubSpot ${res.status}: ${errorMessage(res.body) || 'unauthorized'}`,
          );
        }
        const policyName = res.status === 429 ? hubspotPolicy(res.body) : undefined;
        if (res.status === 429) this.rateLimited++;
        if (policyName === 'DAILY') {
          throw new DealbridgeError(
            'HUBSPOT_RATE_LIMITED',
            `HubSpot daily limit reached: ${errorMessage(res.body)}`,
          );
        }
        const d = decideRetry(
          {
            status: res.status,
            headers: res.headers,
            body: res.body,
            attempt,
            side: 'hubspot',
            now: this.clock.now(),
          },
          Math.random,
          policy,
        );
        if (d.retry) {
          if (res.status === 429) (o.search ? this.searchPacer : this.pacer).pause(d.waitMs);
          await this.clock.sleep(d.waitMs);
          continue;
        }
        if (res.status === 429) {
          throw new DealbridgeError(
            'HUBSPOT_RATE_LIMITED',
            `HubSpot 429 after ${attempt} attempts: ${errorMessage(res.body)}`,
          );
        }
        if (res.status >= 500) {
          throw new DealbridgeError(
            'HUBSPOT_UNAVAILABLE',
            `HubSpot ${res.status} after ${attempt} attempts: ${errorMessage(res.body)}`,
          );
        }
        throw new HubspotHttpError(
          res.status,
          res.body,
          `HubSpot ${res.status} on ${method} ${path}: ${errorMessage(res.body)}`,
        );
      }
      const code = (netErr as { code?: unknown }).code;
      const errorCode = typeof code === 'string' ? code : undefined;
      const d = decideRetry(
        { errorCode, headers: {}, attempt, side: 'hubspot', now: this.clock.now() },
        Math.random,
        policy,
      );
      if (d.retry) {
        await this.clock.sleep(d.waitMs);
        continue;
      }
      throw new DealbridgeError(
        'HUBSPOT_UNAVAILABLE',
        `HubSpot unreachable (${errorCode ?? 'error'}): ${netErr instanceof Error ? netErr.message : String(netErr)}`,
        { cause: netErr },
      );
    }
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    qs?: Record<string, string>,
  ): Promise<HsResponse | Unreadable> {
    const call = this.client.apiRequest({
      method,
      path,
      ...(body === undefined ? {} : { body }),
      ...(qs ? { qs } : {}),
    });
    // apiRequest takes no abort signal: a hung request is abandoned and counted as a timeout.
    const timeoutMs = this.opts.timeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
        timeoutMs,
      );
    });
    try {
      const res = await Promise.race([call, timeout]);
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
      let text: string;
      try {
        text = await Promise.race([bodyText(res, this.opts.bodyIdleMs ?? 15_000), timeout]);
      } catch (err) {
        // The status and headers came; the body broke off (a connection cut after a write, say).
        const why = err instanceof Error ? err.message : String(err);
        return { status: res.status, headers, what: why, cutOff: true };
      }
      let parsed: unknown = undefined;
      if (text !== '') {
        try {
          parsed = JSON.parse(text) as unknown;
        } catch {
          // An error status keeps its text for the message; a success must be JSON to be used.
          if (res.status < 400) return { status: res.status, headers, what: preview(text), cutOff: false };
          parsed = text;
        }
      }
      return { status: res.status, headers, body: parsed };
    } finally {
      clearTimeout(timer);
    }
  }

  private observe(headers: Record<string, string>, sentAt: number): void {
    this.pacer.observe(headers, sentAt);
    const max = Number(headers['x-hubspot-ratelimit-daily']);
    const remaining = Number(headers['x-hubspot-ratelimit-daily-remaining']);
    if (headers['x-hubspot-ratelimit-daily'] !== undefined && Number.isFinite(max)) this.daily.max = max;
    if (headers['x-hubspot-ratelimit-daily-remaining'] !== undefined && Number.isFinite(remaining))
      this.daily.remaining = remaining;
  }
}
