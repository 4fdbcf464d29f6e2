// CRM objects v3 batch endpoints: read, create, update, upsert, archive (≤ 100 inputs each).
import {
  HubError,
  badRequest,
  inputsOf,
  iso,
  isRecord,
  noContent,
  objectBody,
  ok,
  type Reply,
} from '../http.js';
import { commitArchive, commitCreate, commitUpdate, checkUnique, prepare, toObject } from '../records.js';
import { objectType, param, route, type Ctx, type Route } from '../router.js';
import { OBJECT_TYPES, type ObjectTypeName } from '../schema.js';
import type { Rec } from '../store/objects.js';
import { historyNames, withHistory } from '../history.js';
import { applyInline, findRecord, inlineAssociations, requireUniqueProperty } from './objects.js';

interface BatchError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: unknown[];
  links: Record<string, string>;
}

function batchReply(
  startedAt: number,
  results: unknown[],
  errors: BatchError[],
  status = 200,
  completedAt = Date.now(),
): Reply {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: iso(startedAt),
    completedAt: iso(Math.max(completedAt, startedAt)),
  };
  if (errors.length) {
    body.numErrors = errors.length;
    body.errors = errors;
    return ok(body, 207);
  }
  return ok(body, status);
}

function notFoundError(type: ObjectTypeName, ids: string[], verb: string): BatchError {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not ${verb} some ${OBJECT_TYPES[type].upper} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    errors: [],
    links: {},
  };
}

function idOf(input: unknown, i: number): string {
  if (!isRecord(input) || (typeof input.id !== 'string' && typeof input.id !== 'number')) {
    throw badRequest(`Invalid input JSON: inputs[${i}].id is required`);
  }
  return String(input.id);
}

function noDuplicates(ids: string[]): void {
  const seen = new Set<string>();
  const dup = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (dup.length)
    throw badRequest(
      `Duplicate IDs found in batch input: [${[...new Set(dup)].join(', ')}]. IDs must be unique`,
    );
}

function properties(body: Record<string, unknown>): string[] | undefined {
  return Array.isArray(body.properties) ? body.properties.map(String) : undefined;
}

function read(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const started = ctx.portal.now();
  const body = objectBody(ctx.body);
  const inputs = inputsOf(body, 100);
  const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
  const archived = ctx.query.get('archived') === 'true';
  const wanted = properties(body);
  const history = historyNames(body.propertiesWithHistory);
  const results: unknown[] = [];
  const missing: string[] = [];
  const seen = new Set<number>();
  inputs.forEach((input, i) => {
    const id = idOf(input, i);
    const rec = findRecord(ctx.portal, type, id, idProperty, archived);
    if (!rec) missing.push(id);
    else if (!seen.has(rec.id)) {
      seen.add(rec.id);
      results.push(withHistory(ctx.portal, type, rec, wanted, history));
    }
  });
  const errors = missing.length ? [notFoundError(type, missing, 'get')] : [];
  return batchReply(started, results, errors, 200, ctx.portal.now());
}

/**
 * Multi-status batch create (HubSpot's error-handling guide, "Multi-status errors"): when every
 * input carries its own unique `objectWriteTraceId`, the valid inputs are created and each bad
 * one is reported in `errors` (207). Otherwise the batch is validated as a whole first and one
 * bad input rejects all of them (400).
 */
function traceIds(inputs: unknown[]): string[] | undefined {
  const ids = inputs.map((i) =>
    isRecord(i) && typeof i.objectWriteTraceId === 'string' ? i.objectWriteTraceId : '',
  );
  return ids.length && ids.every(Boolean) && new Set(ids).size === ids.length ? ids : undefined;
}

function inputError(e: HubError, traceId: string): BatchError {
  return {
    status: 'error',
    category: e.category,
    message: e.message,
    context: { objectWriteTraceId: [traceId] },
    errors: e.extra.errors ?? [],
    links: {},
  };
}

function create(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const started = ctx.portal.now();
  const inputs = inputsOf(ctx.body, 100);
  const traced = traceIds(inputs);
  const claimed = new Map<string, number>();
  const errors: BatchError[] = [];
  const prepared: { changes: Record<string, string | null>; pairs: [number, number][]; trace?: string }[] =
    [];
  inputs.forEach((input, i) => {
    if (!isRecord(input)) throw badRequest(`Invalid input JSON: inputs[${i}] must be an object`);
    try {
      const { changes } = prepare(ctx.portal, type, input.properties ?? {}, undefined, i);
      const pairs = inlineAssociations(ctx.portal, type, input.associations);
      checkUnique(ctx.portal, type, changes, undefined, claimed);
      prepared.push({ changes, pairs, trace: traced?.[i] });
    } catch (e) {
      if (!traced || !(e instanceof HubError)) throw e;
      errors.push(inputError(e, traced[i]!));
    }
  });
  const results = prepared.map(({ changes, pairs, trace }) => {
    const rec = commitCreate(ctx.portal, type, changes);
    applyInline(ctx.portal, rec.id, pairs);
    const o = toObject(ctx.portal, type, rec, Object.keys(changes));
    if (trace !== undefined) o.objectWriteTraceId = trace;
    return o;
  });
  return batchReply(started, results, errors, 201, ctx.portal.now());
}

function update(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const started = ctx.portal.now();
  const inputs = inputsOf(ctx.body, 100);
  const ids = inputs.map(idOf);
  noDuplicates(ids);
  const missing: string[] = [];
  const claimed = new Map<string, number>();
  const planned: { rec: Rec; changes: Record<string, string | null> }[] = [];
  inputs.forEach((input, i) => {
    const inp = input as Record<string, unknown>;
    const idProperty = typeof inp.idProperty === 'string' ? inp.idProperty : undefined;
    const rec = findRecord(ctx.portal, type, ids[i]!, idProperty);
    if (!rec) {
      missing.push(ids[i]!);
      return;
    }
    const { changes } = prepare(ctx.portal, type, inp.properties ?? {}, rec, i);
    checkUnique(ctx.portal, type, changes, rec.id, claimed);
    planned.push({ rec, changes });
  });
  const results = planned.map(({ rec, changes }) => {
    commitUpdate(ctx.portal, type, rec, changes);
    return toObject(ctx.portal, type, rec, Object.keys(changes));
  });
  const errors = missing.length ? [notFoundError(type, missing, 'update')] : [];
  return batchReply(started, results, errors, 200, ctx.portal.now());
}

/** A copy of `props` plus the upsert key (a loop: a computed key in a spread is V8's slow path). */
function withKey(props: Record<string, unknown>, name: string, value: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in props) out[k] = props[k];
  out[name] = value;
  return out;
}

function upsert(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const started = ctx.portal.now();
  const inputs = inputsOf(ctx.body, 100);
  const ids = inputs.map(idOf);
  const claimed = new Map<string, number>();
  const planned: { rec?: Rec; changes: Record<string, string | null> }[] = [];
  const firstIdProperty = new Set<string>();
  inputs.forEach((input, i) => {
    const inp = input as Record<string, unknown>;
    const idProperty = typeof inp.idProperty === 'string' ? inp.idProperty : undefined;
    if (idProperty) {
      requireUniqueProperty(ctx.portal, type, idProperty);
      firstIdProperty.add(idProperty);
    }
    const rec = findRecord(ctx.portal, type, ids[i]!, idProperty);
    if (!rec && !idProperty) {
      throw new HubError(
        400,
        'VALIDATION_ERROR',
        `Object with id ${ids[i]} not found; upsert without idProperty needs an existing object id`,
      );
    }
    let props = isRecord(inp.properties) ? inp.properties : {};
    // A new record takes the upsert key as its unique property value.
    if (!rec && idProperty && props[idProperty] === undefined) props = withKey(props, idProperty, ids[i]!);
    const { changes } = prepare(ctx.portal, type, props, rec, i);
    checkUnique(ctx.portal, type, changes, rec?.id, claimed);
    planned.push({ rec, changes });
  });
  if (firstIdProperty.size > 1) throw badRequest('All inputs of a batch upsert must use the same idProperty');
  const results = planned.map(({ rec, changes }) => {
    const r = rec ?? commitCreate(ctx.portal, type, changes);
    if (rec) commitUpdate(ctx.portal, type, rec, changes);
    const o = toObject(ctx.portal, type, r, Object.keys(changes));
    o.new = !rec;
    return o;
  });
  return batchReply(started, results, [], 200, ctx.portal.now());
}

function archive(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const inputs = inputsOf(ctx.body, 100);
  inputs.forEach((input, i) => {
    const rec = findRecord(ctx.portal, type, idOf(input, i), undefined);
    if (rec) commitArchive(ctx.portal, type, rec);
  });
  return noContent();
}

export const batchRoutes: Route[] = [
  route('POST', '/crm/v3/objects/{objectType}/batch/read', read),
  route('POST', '/crm/v3/objects/{objectType}/batch/create', create),
  route('POST', '/crm/v3/objects/{objectType}/batch/update', update),
  route('POST', '/crm/v3/objects/{objectType}/batch/upsert', upsert),
  route('POST', '/crm/v3/objects/{objectType}/batch/archive', archive),
];
