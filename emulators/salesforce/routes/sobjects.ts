// /sobjects resources: describeGlobal, describe, record CRUD, upsert by external id, and the
// getUpdated/getDeleted replication resources.
import type { Ctx, Route } from './context.js';
import type { Reply } from '../http.js';
import { isObject } from '../http.js';
import { apiError, ApiError, RecordError } from '../errors.js';
import { describeGlobal, describeObject, recordJson } from '../describe.js';
import type { ObjectDef } from '../schema.js';
import { normalizeId } from '../ids.js';
import { getDeleted, getUpdated } from '../replication.js';
import type { Row } from '../table.js';

function typeDef(ctx: Ctx, type: string): ObjectDef {
  const def = ctx.state.store.def(type);
  if (!def) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return def;
}

function recordFailure(e: unknown): never {
  if (e instanceof RecordError) throw new ApiError(400, e.errors);
  throw e;
}

async function bodyObject(ctx: Ctx): Promise<Record<string, unknown>> {
  const b = await ctx.body();
  if (!isObject(b))
    throw apiError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of SObject from START_ARRAY or request may be missing a required field',
    );
  return b;
}

function selectFields(ctx: Ctx, def: ObjectDef) {
  const param = ctx.url.searchParams.get('fields');
  if (!param) return undefined;
  return param.split(',').map((name) => {
    const f = def.fieldsByLower.get(name.trim().toLowerCase());
    if (!f)
      throw apiError(
        400,
        'INVALID_FIELD',
        `No such column '${name.trim()}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
      );
    return f;
  });
}

function saveResult(row: Row, created?: boolean) {
  return created === undefined
    ? { id: row.Id, success: true, errors: [] }
    : { id: row.Id, success: true, errors: [], created };
}

const NOT_FOUND = 'The requested resource does not exist';

/**
 * Resources Salesforce serves under /sobjects/{type}/ that the emulator does not (layouts, list
 * views, quick actions, default values, ...). They answer what Salesforce answers for a resource
 * that does not exist, instead of being taken for an external-ID field.
 */
const UNSERVED = new Set([
  'listviews',
  'quickActions',
  'defaultValues',
  'eventSchema',
  'layouts',
  'compactLayouts',
  'approvalLayouts',
  'relevantItems',
  'richTextImageFields',
  'platformaction',
  'namedLayouts',
  'search',
]);

function unserved(): Route {
  return {
    name: 'sobject.unserved',
    run: () => {
      throw apiError(404, 'NOT_FOUND', NOT_FOUND);
    },
  };
}

function versionAtLeast(version: string, v: number): boolean {
  return Number(version) >= v;
}

export function resolveSobjectRoute(method: string, parts: string[]): Route | undefined {
  // parts: after 'sobjects'
  const [type, a, b, c] = parts;
  if (type === undefined)
    return method === 'GET'
      ? {
          name: 'sobjects.global',
          run: (ctx) => ({ status: 200, body: describeGlobal(ctx.state.store, ctx.version) }),
        }
      : undefined;
  if (a === undefined) {
    if (method === 'GET') {
      return {
        name: 'sobject.basic',
        run: (ctx) => {
          const def = typeDef(ctx, type);
          const g = describeGlobal(ctx.state.store, ctx.version).sobjects.find((s) => s.name === def.name);
          return { status: 200, body: { objectDescribe: g, recentItems: [] } };
        },
      };
    }
    if (method === 'POST') {
      return {
        name: 'sobject.create',
        run: async (ctx): Promise<Reply> => {
          typeDef(ctx, type);
          const body = await bodyObject(ctx);
          try {
            const row = ctx.state.store.create(type, body, ctx.userId);
            return {
              status: 201,
              body: saveResult(row),
              headers: {
                Location: `/services/data/v${ctx.version}/sobjects/${ctx.state.store.def(type)!.name}/${String(row.Id)}`,
              },
            };
          } catch (e) {
            recordFailure(e);
          }
        },
      };
    }
    return undefined;
  }
  if (UNSERVED.has(a) || (a === 'describe' && b !== undefined)) return unserved();
  if (a === 'describe' && b === undefined && method === 'GET') {
    return {
      name: 'sobject.describe',
      run: (ctx) => ({
        status: 200,
        body: describeObject(ctx.state.store, typeDef(ctx, type), ctx.version, ctx.userId),
      }),
    };
  }
  if ((a === 'updated' || a === 'deleted') && (b === undefined || b === '') && method === 'GET') {
    return {
      name: a === 'updated' ? 'sobject.updated' : 'sobject.deleted',
      run: (ctx) => {
        const s = ctx.url.searchParams.get('start');
        const e = ctx.url.searchParams.get('end');
        const body =
          a === 'updated' ? getUpdated(ctx.state.store, type, s, e) : getDeleted(ctx.state.store, type, s, e);
        return { status: 200, body };
      },
    };
  }
  if (b === undefined) {
    const id = a;
    if (method === 'GET') {
      return {
        name: 'sobject.get',
        run: (ctx) => {
          const def = typeDef(ctx, type);
          const norm = normalizeId(id);
          if (!norm || ctx.state.store.typeOfId(norm)?.name !== def.name) {
            throw apiError(
              404,
              'NOT_FOUND',
              `Provided external ID field does not exist or is not accessible: ${id}`,
            );
          }
          const row = ctx.state.store.liveRow(def.name, norm);
          return { status: 200, body: recordJson(def, row, ctx.version, selectFields(ctx, def)) };
        },
      };
    }
    if (method === 'PATCH') {
      return {
        name: 'sobject.update',
        run: async (ctx): Promise<Reply> => {
          const def = typeDef(ctx, type);
          const body = await bodyObject(ctx);
          const norm = normalizeId(id);
          if (!norm || ctx.state.store.typeOfId(norm)?.name !== def.name) {
            throw apiError(
              404,
              'NOT_FOUND',
              `Provided external ID field does not exist or is not accessible: ${id}`,
            );
          }
          try {
            ctx.state.store.update(def.name, norm, body, ctx.userId);
          } catch (e) {
            recordFailure(e);
          }
          return { status: 204 };
        },
      };
    }
    if (method === 'DELETE') {
      return {
        name: 'sobject.delete',
        run: (ctx) => {
          const def = typeDef(ctx, type);
          const norm = normalizeId(id);
          if (!norm || ctx.state.store.typeOfId(norm)?.name !== def.name) {
            throw apiError(
              404,
              'NOT_FOUND',
              `Provided external ID field does not exist or is not accessible: ${id}`,
            );
          }
          ctx.state.store.remove(def.name, norm, ctx.userId);
          return { status: 204 };
        },
      };
    }
    return undefined;
  }
  if (c === undefined && (method === 'PATCH' || method === 'GET')) {
    return {
      name: method === 'GET' ? 'sobject.getByExternalId' : 'sobject.upsert',
      run: (ctx) => externalId(ctx, method, type, a, b),
    };
  }
  return undefined;
}

async function externalId(
  ctx: Ctx,
  method: string,
  type: string,
  fieldName: string,
  value: string,
): Promise<Reply> {
  const store = ctx.state.store;
  const def = typeDef(ctx, type);
  // /sobjects/{type}/{id}/{relationship}: a related-records resource, not emulated.
  const asId = normalizeId(fieldName);
  if (asId && store.typeOfId(asId)?.name === def.name) throw apiError(404, 'NOT_FOUND', NOT_FOUND);
  const f = def.fieldsByLower.get(fieldName.toLowerCase());
  if (!f)
    throw apiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  if (!f.externalId && f.name !== 'Id') {
    throw apiError(
      400,
      'INVALID_FIELD',
      `Field ${f.name} is not an External ID or indexed field for ${def.name}`,
    );
  }
  const decoded = decodeURIComponent(value);
  let matches: Row[];
  if (f.name === 'Id') {
    const norm = normalizeId(decoded);
    const row = norm ? store.table(def.name)?.byId.get(norm) : undefined;
    matches = row && !row.IsDeleted ? [row] : [];
  } else {
    matches = store.findByExternalId(def.name, f.name, decoded);
  }
  if (matches.length > 1) {
    return {
      status: 300,
      body: matches.map((r) => `/services/data/v${ctx.version}/sobjects/${def.name}/${String(r.Id)}`),
    };
  }
  if (method === 'GET') {
    if (matches.length === 0) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return { status: 200, body: recordJson(def, matches[0]!, ctx.version, selectFields(ctx, def)) };
  }
  const body = await bodyObject(ctx);
  const given = Object.keys(body).find((k) => k.toLowerCase() === f.name.toLowerCase());
  if (given !== undefined && f.name !== 'Id') {
    throw apiError(
      400,
      'INVALID_FIELD',
      `The external ID field ${f.name} must not be set in the request body when it is in the URL`,
    );
  }
  const modern = versionAtLeast(ctx.version, 46);
  try {
    if (matches.length === 0) {
      if (f.name === 'Id') throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const row = store.create(def.name, { ...body, [f.name]: decoded }, ctx.userId);
      return { status: 201, body: modern ? saveResult(row, true) : saveResult(row) };
    }
    const row = store.update(def.name, matches[0]!.Id as string, body, ctx.userId);
    return modern ? { status: 200, body: saveResult(row, false) } : { status: 204 };
  } catch (e) {
    recordFailure(e);
  }
}
