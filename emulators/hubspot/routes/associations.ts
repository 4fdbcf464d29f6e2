// Associations v4: batch associate (default and labelled), batch read (≤ 1,000 ids), batch
// archive and labels archive, per-record list/put/delete, and the label catalogue.
import { HubError, badRequest, inputsOf, iso, isRecord, noContent, ok, type Reply } from '../http.js';
import type { Portal } from '../portal.js';
import { objectType, param, route, type Ctx, type Route } from '../router.js';
import { OBJECT_TYPES, type ObjectTypeName } from '../schema.js';
import type { AssocType } from '../store/associations.js';

const idOf = (v: unknown): string | undefined =>
  isRecord(v) && (typeof v.id === 'string' || typeof v.id === 'number') ? String(v.id) : undefined;

function specWithLabel(t: AssocType) {
  return { category: t.category, typeId: t.id, label: t.label };
}

/** Partial failures answer 207, except where HubSpot's spec documents only 200 (associate/default). */
function batch(
  started: number,
  results: unknown[],
  errors: unknown[],
  okStatus: number,
  now: number,
  errorStatus = 207,
): Reply {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: iso(started),
    completedAt: iso(now),
  };
  if (errors.length) {
    body.numErrors = errors.length;
    body.errors = errors;
    return { status: errorStatus, body };
  }
  return { status: okStatus, body };
}

function missingError(type: ObjectTypeName, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `No ${OBJECT_TYPES[type].singular} objects with ids ${ids.join(', ')} exist`,
    context: { ids },
    errors: [],
    links: {},
  };
}

function live(portal: Portal, type: ObjectTypeName, id: string | undefined): number | undefined {
  if (id === undefined || !/^\d+$/.test(id)) return undefined;
  return portal.objects[type].live(Number(id)) ? Number(id) : undefined;
}

function pairTypes(ctx: Ctx): [ObjectTypeName, ObjectTypeName] {
  return [objectType(param(ctx, 0)).name, objectType(param(ctx, 1)).name];
}

/** Resolve `types: [{associationCategory, associationTypeId}]` for a from→to pair. */
function resolveTypes(portal: Portal, from: ObjectTypeName, to: ObjectTypeName, raw: unknown): AssocType[] {
  if (!Array.isArray(raw) || !raw.length)
    throw badRequest('types must be a non-empty array of association specs');
  return raw.map((s) => {
    const t = isRecord(s) ? portal.associations.types.get(Number(s.associationTypeId)) : undefined;
    if (!t || t.from !== from || t.to !== to || (isRecord(s) && s.associationCategory !== t.category)) {
      const id = isRecord(s) ? String(s.associationTypeId as number) : '?';
      throw badRequest(`${id} is not a valid association type id from ${from} to ${to}`, {
        errors: [{ message: `invalid association type ${id}`, code: 'INVALID_ASSOCIATION_TYPE' }],
      });
    }
    return t;
  });
}

function labelsBetween(
  portal: Portal,
  from: ObjectTypeName,
  fromId: number,
  to: ObjectTypeName,
  toId: number,
) {
  const flat = portal.associations.visible(from, fromId, to);
  const labels: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const t = flat[i] === toId ? portal.associations.types.get(flat[i + 1]!) : undefined;
    if (t?.label) labels.push(t.label);
  }
  return {
    fromObjectTypeId: OBJECT_TYPES[from].typeId,
    fromObjectId: String(fromId),
    toObjectTypeId: OBJECT_TYPES[to].typeId,
    toObjectId: String(toId),
    labels,
  };
}

/** Associated records of one record, grouped per target: [{toObjectId, associationTypes}]. */
function grouped(portal: Portal, from: ObjectTypeName, fromId: number, to: ObjectTypeName) {
  const flat = portal.associations.visible(from, fromId, to);
  const by = new Map<number, ReturnType<typeof specWithLabel>[]>();
  for (let i = 0; i < flat.length; i += 2) {
    const t = portal.associations.types.get(flat[i + 1]!);
    if (!t) continue;
    let l = by.get(flat[i]!);
    if (!l) by.set(flat[i]!, (l = []));
    l.push(specWithLabel(t));
  }
  return [...by].map(([id, associationTypes]) => ({ toObjectId: String(id), associationTypes }));
}

function page<T>(items: T[], after: string | undefined | null, limit: number) {
  const start = after && /^\d+$/.test(after) ? Number(after) : 0;
  const results = items.slice(start, start + limit);
  const next = start + limit < items.length ? { next: { after: String(start + limit) } } : undefined;
  return { results, paging: next };
}

const A = '/crm/v4/associations/{fromObjectType}/{toObjectType}';
const O = '/crm/v4/objects/{objectType}/{objectId}/associations';

function labels(ctx: Ctx) {
  const [from, to] = pairTypes(ctx);
  return ok({ results: ctx.portal.associations.typesBetween(from, to).map(specWithLabel) });
}

/**
 * Inputs per v4 association write (create, associate/default, archive, labels/archive). HubSpot's
 * reference pages give no number; public clients of the API (Workato's HubSpot connector: "accepts a
 * maximum of 2000 records"; integration code that caps batch associations at 2000) agree on 2,000.
 * Batch read is 1,000 (HubSpot changelog, February 2025).
 */
const ASSOCIATION_WRITE_LIMIT = 2000;

export const associationRoutes: Route[] = [
  route('POST', `${A}/batch/associate/default`, (ctx) => {
    const [from, to] = pairTypes(ctx);
    const started = ctx.portal.now();
    const type = ctx.portal.associations.defaultType(from, to);
    if (!type) throw badRequest(`No default association from ${from} to ${to}`);
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT)) {
      const f = live(ctx.portal, from, idOf(isRecord(input) ? input.from : undefined));
      const t = live(ctx.portal, to, idOf(isRecord(input) ? input.to : undefined));
      if (f === undefined || t === undefined) {
        missing.push(
          String(
            f === undefined
              ? idOf(isRecord(input) ? input.from : undefined)
              : idOf(isRecord(input) ? input.to : undefined),
          ),
        );
        continue;
      }
      ctx.portal.associations.add(type, f, t);
      const spec = (id: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: id });
      results.push({ from: { id: String(f) }, to: { id: String(t) }, associationSpec: spec(type.id) });
      results.push({ from: { id: String(t) }, to: { id: String(f) }, associationSpec: spec(type.inverse) });
    }
    const errors = missing.length ? [missingError(from, missing)] : [];
    return batch(started, results, errors, 200, ctx.portal.now(), 200);
  }),
  route('POST', `${A}/batch/create`, (ctx) => {
    const [from, to] = pairTypes(ctx);
    const started = ctx.portal.now();
    const results: unknown[] = [];
    const missing: string[] = [];
    const inputs = inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT).map((input) => {
      const types = resolveTypes(ctx.portal, from, to, isRecord(input) ? input.types : undefined);
      return { input, types };
    });
    for (const { input, types } of inputs) {
      const fRaw = idOf(isRecord(input) ? input.from : undefined);
      const tRaw = idOf(isRecord(input) ? input.to : undefined);
      const f = live(ctx.portal, from, fRaw);
      const t = live(ctx.portal, to, tRaw);
      if (f === undefined || t === undefined) {
        missing.push(String(f === undefined ? fRaw : tRaw));
        continue;
      }
      for (const type of types) ctx.portal.associations.add(type, f, t);
      results.push(labelsBetween(ctx.portal, from, f, to, t));
    }
    const errors = missing.length ? [missingError(from, missing)] : [];
    return batch(started, results, errors, 201, ctx.portal.now());
  }),
  route('POST', `${A}/batch/read`, (ctx) => {
    const [from, to] = pairTypes(ctx);
    const started = ctx.portal.now();
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputsOf(ctx.body, 1000)) {
      const raw = idOf(input);
      const f = live(ctx.portal, from, raw);
      if (f === undefined) {
        missing.push(String(raw));
        continue;
      }
      const all = grouped(ctx.portal, from, f, to);
      if (!all.length) {
        missing.push(String(raw));
        continue;
      }
      const after = isRecord(input) && typeof input.after === 'string' ? input.after : undefined;
      const p = page(all, after, 500);
      results.push({ from: { id: String(f) }, to: p.results, ...(p.paging ? { paging: p.paging } : {}) });
    }
    const errors = missing.length
      ? [
          {
            ...missingError(from, missing),
            message: `No ${to} is associated with ${from} ${missing.join(', ')}`,
            category: 'OBJECT_NOT_FOUND',
          },
        ]
      : [];
    return batch(started, results, errors, 200, ctx.portal.now());
  }),
  route('POST', `${A}/batch/archive`, (ctx) => {
    const [from, to] = pairTypes(ctx);
    for (const input of inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT)) {
      const f = live(ctx.portal, from, idOf(isRecord(input) ? input.from : undefined));
      const targets = isRecord(input) && Array.isArray(input.to) ? input.to : [];
      if (f === undefined) continue;
      for (const tgt of targets) {
        const t = idOf(tgt);
        if (t !== undefined && /^\d+$/.test(t)) ctx.portal.associations.removeAll(from, f, to, Number(t));
      }
    }
    return noContent();
  }),
  route('POST', `${A}/batch/labels/archive`, (ctx) => {
    const [from, to] = pairTypes(ctx);
    for (const input of inputsOf(ctx.body, ASSOCIATION_WRITE_LIMIT)) {
      const types = resolveTypes(ctx.portal, from, to, isRecord(input) ? input.types : undefined);
      const f = live(ctx.portal, from, idOf(isRecord(input) ? input.from : undefined));
      const t = live(ctx.portal, to, idOf(isRecord(input) ? input.to : undefined));
      if (f === undefined || t === undefined) continue;
      for (const type of types) ctx.portal.associations.removeType(type, f, t);
    }
    return noContent();
  }),
  route('GET', `${A}/labels`, labels),
  // The current associations-schema v4 document's path for the same catalogue.
  route('GET', '/crm/associations/v4/{fromObjectType}/{toObjectType}/labels', labels),

  route('GET', `${O}/{toObjectType}`, (ctx) => {
    const from = objectType(param(ctx, 0)).name;
    const to = objectType(param(ctx, 2)).name;
    const f = live(ctx.portal, from, param(ctx, 1));
    if (f === undefined) throw new HubError(404, 'OBJECT_NOT_FOUND', `No ${from} with id ${param(ctx, 1)}`);
    const limit = Math.min(Math.max(Number(ctx.query.get('limit') ?? 500) || 500, 1), 500);
    const p = page(grouped(ctx.portal, from, f, to), ctx.query.get('after'), limit);
    return ok({ results: p.results, ...(p.paging ? { paging: p.paging } : {}) });
  }),
  route('PUT', `${O}/default/{toObjectType}/{toObjectId}`, (ctx) => {
    const from = objectType(param(ctx, 0)).name;
    const to = objectType(param(ctx, 2)).name;
    const f = live(ctx.portal, from, param(ctx, 1));
    const t = live(ctx.portal, to, param(ctx, 3));
    if (f === undefined || t === undefined)
      throw new HubError(404, 'OBJECT_NOT_FOUND', 'One of the objects does not exist');
    const type = ctx.portal.associations.defaultType(from, to);
    if (!type) throw badRequest(`No default association from ${from} to ${to}`);
    ctx.portal.associations.add(type, f, t);
    const spec = (id: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: id });
    const now = iso(ctx.portal.now());
    return ok({
      status: 'COMPLETE',
      results: [
        { from: { id: String(f) }, to: { id: String(t) }, associationSpec: spec(type.id) },
        { from: { id: String(t) }, to: { id: String(f) }, associationSpec: spec(type.inverse) },
      ],
      startedAt: now,
      completedAt: now,
    });
  }),
  route('PUT', `${O}/{toObjectType}/{toObjectId}`, (ctx) => {
    const from = objectType(param(ctx, 0)).name;
    const to = objectType(param(ctx, 2)).name;
    const types = resolveTypes(ctx.portal, from, to, ctx.body);
    const f = live(ctx.portal, from, param(ctx, 1));
    const t = live(ctx.portal, to, param(ctx, 3));
    if (f === undefined || t === undefined)
      throw new HubError(404, 'OBJECT_NOT_FOUND', 'One of the objects does not exist');
    for (const type of types) ctx.portal.associations.add(type, f, t);
    return ok(labelsBetween(ctx.portal, from, f, to, t), 201);
  }),
  route('DELETE', `${O}/{toObjectType}/{toObjectId}`, (ctx) => {
    const from = objectType(param(ctx, 0)).name;
    const to = objectType(param(ctx, 2)).name;
    const f = Number(param(ctx, 1));
    const t = Number(param(ctx, 3));
    if (Number.isInteger(f) && Number.isInteger(t)) ctx.portal.associations.removeAll(from, f, to, t);
    return noContent();
  }),
];
