// sObject Collections: POST/PATCH/DELETE /composite/sobjects (≤200 records, allOrNone) and
// retrieve by ids, GET or POST /composite/sobjects/{type} (the POST form is what jsforce's
// retrieve([...ids]) sends).
import type { Ctx, Route } from './context.js';
import type { Reply } from '../http.js';
import { isObject } from '../http.js';
import { apiError, RecordError, ApiError, toSaveError } from '../errors.js';
import type { SfError } from '../errors.js';
import { recordJson } from '../describe.js';
import { normalizeId } from '../ids.js';

const MAX_RECORDS = 200;
const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[],
};

type SaveResult = { id?: string | null; success: boolean; errors: ReturnType<typeof toSaveError>[] };

function errorsOf(e: unknown): SfError[] {
  if (e instanceof RecordError || e instanceof ApiError) return e.errors;
  throw e;
}

/** A collection record naming a type the org does not have fails alone, as SOAP create does. */
function unknownType(ctx: Ctx, type: string): SfError[] | undefined {
  return ctx.state.store.def(type)
    ? undefined
    : [{ errorCode: 'INVALID_TYPE', message: `sObject type '${type}' is not supported.`, fields: [] }];
}

function failed(id: string | null, errors: SfError[]): SaveResult {
  return { id, success: false, errors: errors.map(toSaveError) };
}

interface Op {
  /** Throws RecordError/ApiError when the record would fail; does not change anything. */
  check(): void;
  apply(): string;
  id: string | null;
}

function runOps(ops: (Op | SfError[])[], allOrNone: boolean): SaveResult[] {
  if (allOrNone) {
    const problems = ops.map((op) => {
      if (Array.isArray(op)) return op;
      try {
        op.check();
        return undefined;
      } catch (e) {
        return errorsOf(e);
      }
    });
    if (problems.some((p) => p !== undefined)) {
      return ops.map((op, i) => {
        const id = Array.isArray(op) ? null : op.id;
        const p = problems[i];
        return p ? failed(id, p) : { id, success: false, errors: [ROLLED_BACK] };
      });
    }
  }
  return ops.map((op) => {
    if (Array.isArray(op)) return failed(null, op);
    try {
      return { id: op.apply(), success: true, errors: [] };
    } catch (e) {
      return failed(op.id, errorsOf(e));
    }
  });
}

async function collectionBody(ctx: Ctx): Promise<{ records: Record<string, unknown>[]; allOrNone: boolean }> {
  const b = await ctx.body();
  if (!isObject(b) || !Array.isArray(b.records))
    throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must be an object with a records array');
  if (b.records.length > MAX_RECORDS) {
    throw apiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  }
  const records = b.records.map((r) => {
    if (!isObject(r) || !isObject(r.attributes) || typeof r.attributes.type !== 'string') {
      throw apiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    }
    return r;
  });
  return { records, allOrNone: b.allOrNone === true };
}

async function createMany(ctx: Ctx): Promise<Reply> {
  const { records, allOrNone } = await collectionBody(ctx);
  const store = ctx.state.store;
  const ops = records.map((r): Op | SfError[] => {
    const type = (r.attributes as { type: string }).type;
    const noType = unknownType(ctx, type);
    if (noType) return noType;
    if (r.Id !== undefined || r.id !== undefined)
      return [{ errorCode: 'INVALID_FIELD', message: 'cannot specify Id in an insert call', fields: ['Id'] }];
    return {
      id: null,
      check: () => store.checkCreate(type, r, ctx.userId),
      apply: () => store.create(type, r, ctx.userId).Id as string,
    };
  });
  return { status: 200, body: runOps(ops, allOrNone) };
}

async function updateMany(ctx: Ctx): Promise<Reply> {
  const { records, allOrNone } = await collectionBody(ctx);
  const store = ctx.state.store;
  const ops = records.map((r): Op | SfError[] => {
    const type = (r.attributes as { type: string }).type;
    const noType = unknownType(ctx, type);
    if (noType) return noType;
    const rawId = (r.id ?? r.Id) as unknown;
    if (typeof rawId !== 'string' || rawId === '')
      return [{ errorCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }];
    const id = normalizeId(rawId);
    if (!id)
      return [
        {
          errorCode: 'MALFORMED_ID',
          message: `Record ID: id value of incorrect type: ${rawId}`,
          fields: ['Id'],
        },
      ];
    const fields = Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'id' && k !== 'Id'));
    return {
      id,
      check: () => store.checkUpdate(type, id, fields, ctx.userId),
      apply: () => store.update(type, id, fields, ctx.userId).Id as string,
    };
  });
  return { status: 200, body: runOps(ops, allOrNone) };
}

/** PATCH /composite/sobjects/{type}/{externalIdField}: what jsforce's upsert([...]) sends. */
async function upsertMany(ctx: Ctx, type: string, fieldName: string): Promise<Reply> {
  const store = ctx.state.store;
  const def = store.def(type);
  if (!def) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const f = def.fieldsByLower.get(fieldName.toLowerCase());
  if (!f || !f.externalId)
    throw apiError(
      400,
      'INVALID_FIELD',
      `Field ${fieldName} is not an External ID or indexed field for ${def.name}`,
    );
  const { records, allOrNone } = await collectionBody(ctx);
  const created: boolean[] = [];
  const ops = records.map((r, i): Op | SfError[] => {
    const key = Object.keys(r).find((k) => k.toLowerCase() === f.name.toLowerCase());
    const value = key === undefined ? undefined : r[key];
    if (typeof value !== 'string' || value === '') {
      return [{ errorCode: 'MISSING_ARGUMENT', message: `${f.name} not specified`, fields: [f.name] }];
    }
    const matches = store.findByExternalId(def.name, f.name, value);
    if (matches.length > 1) {
      return [
        {
          errorCode: 'DUPLICATE_EXTERNAL_ID',
          message: `${f.name}: more than one record found for external id field: ${value}`,
          fields: [f.name],
        },
      ];
    }
    const match = matches[0];
    if (!match) {
      created[i] = true;
      return {
        id: null,
        check: () => store.checkCreate(def.name, r, ctx.userId),
        apply: () => store.create(def.name, r, ctx.userId).Id as string,
      };
    }
    created[i] = false;
    const id = match.Id as string;
    const fields = Object.fromEntries(Object.entries(r).filter(([k]) => k !== key));
    return {
      id,
      check: () => store.checkUpdate(def.name, id, fields, ctx.userId),
      apply: () => store.update(def.name, id, fields, ctx.userId).Id as string,
    };
  });
  const results = runOps(ops, allOrNone).map((res, i) =>
    res.success ? { ...res, created: created[i] ?? false } : res,
  );
  return { status: 200, body: results };
}

function deleteMany(ctx: Ctx): Reply {
  const ids = (ctx.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
  if (ids.length === 0) throw apiError(400, 'MISSING_ARGUMENT', 'ids is required');
  if (ids.length > MAX_RECORDS)
    throw apiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  const allOrNone = ctx.url.searchParams.get('allOrNone') === 'true';
  const store = ctx.state.store;
  const ops = ids.map((raw): Op | SfError[] => {
    const id = normalizeId(raw);
    const def = id ? store.typeOfId(id) : undefined;
    if (!id || !def) return [{ errorCode: 'MALFORMED_ID', message: `malformed id ${raw}`, fields: [] }];
    return {
      id,
      check: () => void store.liveRow(def.name, id),
      apply: () => (store.remove(def.name, id, ctx.userId), id),
    };
  });
  return { status: 200, body: runOps(ops, allOrNone) };
}

function retrieve(ctx: Ctx, type: string, ids: unknown, fields: unknown, maxIds: number): Reply {
  const store = ctx.state.store;
  const def = store.def(type);
  if (!def) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string'))
    throw apiError(400, 'MISSING_ARGUMENT', 'ids is required');
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((i) => typeof i === 'string'))
    throw apiError(400, 'MISSING_ARGUMENT', 'fields is required');
  if (ids.length > maxIds)
    throw apiError(400, 'EXCEEDED_ID_LIMIT', `cannot retrieve more than ${maxIds} records in one call`);
  const fdefs = (fields as string[]).map((name) => {
    const f = def.fieldsByLower.get(name.trim().toLowerCase());
    if (!f) throw apiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${def.name}'.`);
    return f;
  });
  const out = (ids as string[]).map((raw) => {
    const id = normalizeId(raw);
    const row = id ? store.table(def.name)!.byId.get(id) : undefined;
    return row && !row.IsDeleted ? recordJson(def, row, ctx.version, fdefs) : null;
  });
  return { status: 200, body: out };
}

export function resolveCompositeRoute(method: string, parts: string[]): Route | undefined {
  // parts: after 'composite'
  const [kind, type, extra, more] = parts;
  if (kind !== 'sobjects' || more !== undefined) return undefined;
  if (extra !== undefined) {
    return method === 'PATCH' && type
      ? { name: 'composite.upsert', run: (ctx) => upsertMany(ctx, type, extra) }
      : undefined;
  }
  if (type === undefined || type === '') {
    if (method === 'POST') return { name: 'composite.create', run: createMany };
    if (method === 'PATCH') return { name: 'composite.update', run: updateMany };
    if (method === 'DELETE') return { name: 'composite.delete', run: deleteMany };
    return undefined;
  }
  if (method === 'GET') {
    return {
      name: 'composite.retrieve',
      run: (ctx) => {
        const list = (name: string) => (ctx.url.searchParams.get(name) ?? '').split(',').filter(Boolean);
        return retrieve(ctx, type, list('ids'), list('fields'), 800);
      },
    };
  }
  if (method === 'POST') {
    return {
      name: 'composite.retrieve',
      run: async (ctx) => {
        const b = await ctx.body();
        if (!isObject(b))
          throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must be an object with ids and fields');
        return retrieve(ctx, type, b.ids, b.fields, 2000);
      },
    };
  }
  return undefined;
}
