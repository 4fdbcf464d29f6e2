// POST /composite: up to 25 subrequests in one call, run in order, each answered with its own
// status and body; the whole request counts as ONE call toward the API allocation (Salesforce
// REST API Developer Guide, "Send Multiple Requests Using Composite"). At most 5 of the
// subrequests may be queries (query, queryAll, or a query's next page) or sObject Collections.
// A later subrequest can use an earlier one's result with `@{referenceId.path}` in its url or
// body. Not emulated: `allOrNone: true` with a write subrequest (the emulator's store has no
// rollback), answered with 501 instead of a half-applied transaction — docs/emulators/salesforce.md.
import type { IncomingMessage } from 'node:http';
import type { Ctx, Route } from './context.js';
import type { Reply } from '../http.js';
import { errorReply, isObject } from '../http.js';
import { apiError } from '../errors.js';

const MAX_SUBREQUESTS = 25;
const MAX_QUERY_OR_COLLECTION = 5;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
const REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

/** The data routes of the emulator (server.ts), by method and the path after `/vXX.X/`. */
export type DataRouteResolver = (method: string, rest: string[]) => Route | undefined;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders: Record<string, string>;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

function parseRequest(body: unknown): { allOrNone: boolean; subs: Subrequest[] } {
  if (!isObject(body) || !Array.isArray(body.compositeRequest))
    throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must have a compositeRequest array');
  const list = body.compositeRequest as unknown[];
  if (list.length === 0 || list.length > MAX_SUBREQUESTS)
    throw apiError(
      400,
      'INVALID_INPUT',
      `The composite request must have between 1 and ${MAX_SUBREQUESTS} subrequests; it has ${list.length}`,
    );
  const seen = new Set<string>();
  const subs = list.map((raw, i): Subrequest => {
    if (!isObject(raw)) throw apiError(400, 'JSON_PARSER_ERROR', `Subrequest ${i} is not an object`);
    const { method, url, referenceId, body: subBody, httpHeaders } = raw;
    if (typeof method !== 'string' || !METHODS.has(method.toUpperCase()))
      throw apiError(
        400,
        'INVALID_INPUT',
        `Subrequest ${i}: method must be one of ${[...METHODS].join(', ')}`,
      );
    if (typeof url !== 'string' || !url.startsWith('/services/data/'))
      throw apiError(400, 'INVALID_INPUT', `Subrequest ${i}: url must start with /services/data/`);
    if (typeof referenceId !== 'string' || !REFERENCE_ID.test(referenceId))
      throw apiError(400, 'INVALID_INPUT', `Subrequest ${i}: referenceId is required (letters, digits, _)`);
    if (seen.has(referenceId))
      throw apiError(400, 'INVALID_INPUT', `Duplicate referenceId provided in the request: ${referenceId}`);
    seen.add(referenceId);
    const headers: Record<string, string> = {};
    if (isObject(httpHeaders))
      for (const [k, v] of Object.entries(httpHeaders))
        if (typeof v === 'string') headers[k.toLowerCase()] = v;
    return {
      method: method.toUpperCase(),
      url,
      referenceId,
      httpHeaders: headers,
      ...(subBody !== undefined ? { body: subBody } : {}),
    };
  });
  return { allOrNone: body.allOrNone === true, subs };
}

/** The path after `/services/data/vXX.X/`, and the version, of a subrequest's url. */
function splitUrl(url: string): { version: string; rest: string[]; parsed: URL } | undefined {
  const parsed = new URL(url, 'http://emulator.invalid');
  const parts = parsed.pathname.split('/').slice(1);
  if (parts[parts.length - 1] === '') parts.pop();
  const m = /^v(\d+\.0)$/.exec(parts[2] ?? '');
  if (parts[0] !== 'services' || parts[1] !== 'data' || !m) return undefined;
  return { version: m[1]!, rest: parts.slice(3), parsed };
}

const isQuery = (rest: string[]) => rest[0] === 'query' || rest[0] === 'queryAll';
const isCollection = (rest: string[]) => rest[0] === 'composite' && rest[1] === 'sobjects';

function lookup(result: SubResult, path: string): unknown {
  let v: unknown = result.body;
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1));
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

class UnresolvedReference extends Error {}

/** Replaces `@{ref.path}` in a string with the earlier result's value. */
function substitute(text: string, done: Map<string, SubResult>): string {
  return text.replace(REFERENCE, (whole, ref: string, path: string) => {
    const r = done.get(ref);
    const v = r && r.httpStatusCode < 400 ? lookup(r, path) : undefined;
    if (v === undefined || (typeof v === 'object' && v !== null))
      throw new UnresolvedReference(
        `Invalid reference specified. No value for ${whole.slice(2, -1)} found in ${ref}.`,
      );
    return String(v);
  });
}

function substituteBody(body: unknown, done: Map<string, SubResult>): unknown {
  if (typeof body === 'string') return substitute(body, done);
  if (Array.isArray(body)) return body.map((b) => substituteBody(b, done));
  if (isObject(body))
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, substituteBody(v, done)]));
  return body;
}

export function compositeRequestRoute(resolveData: DataRouteResolver): Route {
  return {
    name: 'composite.composite',
    async run(ctx: Ctx): Promise<Reply> {
      const { allOrNone, subs } = parseRequest(await ctx.body());
      const targets = subs.map((s) => ({ s, where: splitUrl(s.url) }));
      const heavy = targets.filter((t) => t.where && (isQuery(t.where.rest) || isCollection(t.where.rest)));
      if (heavy.length > MAX_QUERY_OR_COLLECTION)
        throw apiError(
          400,
          'INVALID_INPUT',
          `A composite request can have at most ${MAX_QUERY_OR_COLLECTION} query or sObject Collections subrequests; it has ${heavy.length}`,
        );
      if (allOrNone && subs.some((s) => s.method !== 'GET'))
        return {
          status: 501,
          body: [
            {
              errorCode: 'NOT_IMPLEMENTED',
              message: 'The emulator does not roll back: allOrNone true is served for GET subrequests only',
            },
          ],
        };
      const done = new Map<string, SubResult>();
      const results: SubResult[] = [];
      let whole: Partial<Reply> | undefined;
      for (const { s, where } of targets) {
        const { result, outer } = await runOne(ctx, resolveData, s, where, done);
        done.set(s.referenceId, result);
        results.push(result);
        whole ??= outer;
      }
      // A fault that cannot sit inside one subrequest's answer (bytes that are not JSON, an
      // answer cut short) is the composite answer's.
      if (whole?.text !== undefined)
        return {
          status: whole.status ?? 200,
          text: whole.text,
          ...(whole.headers ? { headers: whole.headers } : {}),
        };
      if (allOrNone && results.some((r) => r.httpStatusCode >= 400)) {
        for (const r of results)
          if (r.httpStatusCode < 400) {
            r.httpStatusCode = 400;
            r.httpHeaders = {};
            r.body = [
              {
                errorCode: 'PROCESSING_HALTED',
                message:
                  'The transaction was rolled back since another operation in the same transaction failed.',
              },
            ];
          }
      }
      return {
        status: 200,
        body: { compositeResponse: results },
        ...(whole?.truncateAfter !== undefined ? { truncateAfter: whole.truncateAfter } : {}),
      };
    },
  };
}

async function runOne(
  ctx: Ctx,
  resolveData: DataRouteResolver,
  s: Subrequest,
  where: ReturnType<typeof splitUrl>,
  done: Map<string, SubResult>,
): Promise<{ result: SubResult; outer?: Partial<Reply> }> {
  const answer = (reply: Reply): SubResult => ({
    body: reply.body ?? null,
    httpHeaders: reply.headers ?? {},
    httpStatusCode: reply.status,
    referenceId: s.referenceId,
  });
  let url: URL;
  let body: unknown;
  try {
    url = new URL(substitute(s.url, done), 'http://emulator.invalid');
    body = substituteBody(s.body, done);
  } catch (e) {
    if (!(e instanceof UnresolvedReference)) throw e;
    return {
      result: answer({ status: 400, body: [{ errorCode: 'PROCESSING_HALTED', message: e.message }] }),
    };
  }
  const route = where ? resolveData(s.method, splitUrl(url.pathname + url.search)!.rest) : undefined;
  if (!where || !route || route.name === 'composite.composite')
    return {
      result: answer({
        status: 404,
        body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
      }),
    };
  // Faults named for the subrequest's route (tests of a feed's query page) meet it here too.
  const fault = ctx.state.faults.apply(route.name, { wildcard: false });
  if (fault.expireTokens) ctx.state.tokens.expireAll();
  if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault.reply?.text !== undefined) {
    try {
      return {
        result: answer({ status: fault.reply.status, body: JSON.parse(fault.reply.text) as unknown }),
      };
    } catch {
      return { result: answer({ status: fault.reply.status }), outer: fault.reply };
    }
  }
  if (fault.reply) return { result: answer(fault.reply) };
  const outer = fault.truncateAfter !== undefined ? { truncateAfter: fault.truncateAfter } : undefined;
  // The subrequest's own headers (Sforce-Query-Options, If-Modified-Since…) over the outer ones.
  const req = Object.create(ctx.req, {
    headers: { value: { ...ctx.req.headers, ...s.httpHeaders } },
  }) as IncomingMessage;
  const sub: Ctx = {
    ...ctx,
    req,
    url,
    version: where.version,
    body: () => Promise.resolve(body),
  };
  try {
    return { result: answer(await route.run(sub)), ...(outer ? { outer } : {}) };
  } catch (e) {
    return { result: answer(errorReply(e)), ...(outer ? { outer } : {}) };
  }
}
