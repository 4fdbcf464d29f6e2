// GET /query and /queryAll (SOQL through the engine in ./soql), paged by `Sforce-Query-Options:
// batchSize=N` (200-2,000, default 2,000) and continued with GET on nextRecordsUrl
// (`/query/<locator>-<offset>`, for queryAll too, as Salesforce and jsforce do).
import type { Ctx, Route } from './context.js';
import type { Reply } from '../http.js';
import { apiError } from '../errors.js';
import { executeSoql, formatRecord, prepareSoql, SoqlError } from '../soql/index.js';
import type { Cursor } from '../state.js';

const MAX_BATCH = 2000;
const MIN_BATCH = 200;

function batchSize(ctx: Ctx, fallback = MAX_BATCH): number {
  const raw = ctx.req.headers['sforce-query-options'];
  const m = typeof raw === 'string' ? /batchSize\s*=\s*(\d+)/i.exec(raw) : null;
  if (!m) return fallback;
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}

function page(ctx: Ctx, c: Cursor, offset: number, size: number, totalSize: number): Reply {
  const store = ctx.state.store;
  const end = Math.min(c.rows.length, offset + size);
  const records = new Array<Record<string, unknown>>(end - offset);
  const opts = { includeDeleted: c.includeDeleted };
  for (let i = offset; i < end; i++)
    records[i - offset] = formatRecord(c.query, c.rows[i]!, store, ctx.version, opts);
  const done = end >= c.rows.length;
  const body = done
    ? { totalSize, done, records }
    : { totalSize, done, nextRecordsUrl: `/services/data/v${ctx.version}/query/${c.id}-${end}`, records };
  return { status: 200, body };
}

function runQuery(ctx: Ctx, includeDeleted: boolean): Reply {
  const q = ctx.url.searchParams.get('q');
  if (q === null || q.trim() === '')
    throw apiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const store = ctx.state.store;
  if (includeDeleted) store.purgeRecycleBin();
  try {
    const prepared = prepareSoql(q, store);
    const result = executeSoql(prepared, store, { includeDeleted });
    if (result.isCount)
      return { status: 200, body: { totalSize: result.totalSize, done: true, records: [] } };
    const size = batchSize(ctx);
    const cursor = ctx.state.cursors.create({
      query: prepared,
      rows: result.rows,
      includeDeleted,
      batchSize: size,
    });
    return page(ctx, cursor, 0, size, result.totalSize);
  } catch (e) {
    if (e instanceof SoqlError) throw apiError(400, e.errorCode, e.message);
    throw e;
  }
}

function more(ctx: Ctx, locator: string): Reply {
  const dash = locator.lastIndexOf('-');
  const id = dash > 0 ? locator.slice(0, dash) : locator;
  const offset = dash > 0 ? Number(locator.slice(dash + 1)) : 0;
  const c = ctx.state.cursors.get(id);
  if (!c || !Number.isInteger(offset) || offset < 0 || offset > c.rows.length) {
    throw apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return page(ctx, c, offset, batchSize(ctx, c.batchSize), c.rows.length);
}

export function resolveQueryRoute(method: string, parts: string[]): Route | undefined {
  const [resource, locator, extra] = parts;
  if (method !== 'GET' || extra !== undefined) return undefined;
  const all = resource === 'queryAll';
  if (locator === undefined || locator === '') {
    return { name: all ? 'queryAll' : 'query', run: (ctx) => runQuery(ctx, all) };
  }
  return { name: 'queryMore', run: (ctx) => more(ctx, locator) };
}
