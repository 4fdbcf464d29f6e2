// CRM objects v3, single-record endpoints and list: /crm/v3/objects/{objectType}[/{objectId}].
import { HubError, badRequest, noContent, objectBody, ok } from '../http.js';
import type { Portal } from '../portal.js';
import {
  commitArchive,
  commitCreate,
  commitUpdate,
  checkUnique,
  prepare,
  toObject,
  v3Associations,
} from '../records.js';
import { listParam, objectType, param, route, type Ctx, type Route } from '../router.js';
import { OBJECT_TYPES, resolveObjectType, type ObjectTypeName } from '../schema.js';
import { lowerBound, type Rec } from '../store/objects.js';
import { isRecord } from '../http.js';
import { withHistory } from '../history.js';
import { currentRecord, mergeRecords } from '../merge.js';

function assocTypes(ctx: Ctx): ObjectTypeName[] {
  return (listParam(ctx.query, 'associations') ?? [])
    .map((s) => resolveObjectType(s)?.name)
    .filter((s): s is ObjectTypeName => s !== undefined);
}

function withAssociations(ctx: Ctx, type: ObjectTypeName, rec: Rec): Record<string, unknown> {
  const history = listParam(ctx.query, 'propertiesWithHistory');
  const o = withHistory(ctx.portal, type, rec, listParam(ctx.query, 'properties'), history);
  const toTypes = assocTypes(ctx);
  if (toTypes.length) {
    const a = v3Associations(ctx.portal, type, rec, toTypes);
    if (a) o.associations = a;
  }
  return o;
}

/** Find by record id, or by a unique property when `idProperty` is given. */
export function findRecord(
  portal: Portal,
  type: ObjectTypeName,
  id: string,
  idProperty: string | undefined,
  archived = false,
): Rec | undefined {
  const store = portal.objects[type];
  if (idProperty && idProperty !== 'hs_object_id') {
    requireUniqueProperty(portal, type, idProperty);
    return archived ? undefined : store.byUnique(idProperty, id);
  }
  if (!/^\d+$/.test(id)) return undefined;
  // An id merged away reads as the record the merge produced (HubSpot: "fetching any records using
  // the original IDs will return the new merged record with the new ID").
  if (!archived) return currentRecord(portal, type, Number(id));
  const rec = store.get(Number(id));
  return rec && inRecycleBin(portal, rec) ? rec : undefined;
}

/**
 * HubSpot keeps deleted records restorable for 90 days ("Restore deleted records", knowledge base),
 * then deletes them for good: `archived=true` reads and lists no longer return them.
 */
export const RECYCLE_BIN_MS = 90 * 24 * 3600_000;

function inRecycleBin(portal: Portal, rec: Rec): boolean {
  return rec.archivedAt !== 0 && portal.now() - rec.archivedAt <= RECYCLE_BIN_MS;
}

export function requireUniqueProperty(portal: Portal, type: ObjectTypeName, prop: string): void {
  if (!portal.objects[type].unique.has(prop)) {
    throw badRequest(
      `Unable to perform update/upsert by non-unique ${OBJECT_TYPES[type].typeId} property ${prop} in portal ID ${portal.portalId}`,
    );
  }
}

function objectNotFound(id: string): HubError {
  return new HubError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
    context: { id: [id] },
  });
}

/** Inline `associations` on create: [{to: {id}, types: [{associationCategory, associationTypeId}]}]. */
export function inlineAssociations(portal: Portal, type: ObjectTypeName, raw: unknown): [number, number][] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest('Invalid input JSON: associations must be an array');
  const out: [number, number][] = [];
  for (const a of raw) {
    const to = isRecord(a) && isRecord(a.to) ? String(a.to.id) : undefined;
    const types = isRecord(a) && Array.isArray(a.types) ? a.types : [];
    for (const t of types) {
      const typeId = isRecord(t) ? Number(t.associationTypeId) : NaN;
      const def = portal.associations.types.get(typeId);
      if (!def || def.from !== type) {
        throw badRequest(
          `${String(isRecord(t) ? t.associationTypeId : t)} is not a valid association type id for ${type}`,
        );
      }
      if (!to || !portal.objects[def.to].live(Number(to))) {
        throw badRequest(`No ${OBJECT_TYPES[def.to].singular} with id ${to} exists to associate with`, {
          errors: [{ message: `Object ${to} of type ${def.to} not found`, code: 'INVALID_ASSOCIATION' }],
        });
      }
      out.push([typeId, Number(to)]);
    }
  }
  return out;
}

export function applyInline(portal: Portal, recId: number, pairs: [number, number][]): void {
  for (const [typeId, to] of pairs)
    portal.associations.add(portal.associations.types.get(typeId)!, recId, to);
}

function list(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const store = ctx.portal.objects[type];
  // Asking for history lowers the page size (spec: "will reduce the maximum number of objects").
  const max = listParam(ctx.query, 'propertiesWithHistory')?.length ? 50 : 100;
  const limit = Math.min(Math.max(Number(ctx.query.get('limit') ?? 10) || 10, 1), max);
  const archived = ctx.query.get('archived') === 'true';
  const after = ctx.query.get('after');
  let i = after && /^\d+$/.test(after) ? lowerBound(store.order, Number(after)) : 0;
  const results: Record<string, unknown>[] = [];
  let next: number | undefined;
  for (; i < store.order.length; i++) {
    const rec = store.get(store.order[i]!);
    if (!rec || (archived ? !inRecycleBin(ctx.portal, rec) : rec.archivedAt !== 0)) continue;
    if (results.length === limit) {
      next = rec.id;
      break;
    }
    results.push(withAssociations(ctx, type, rec));
  }
  const body: Record<string, unknown> = { results };
  if (next !== undefined) body.paging = { next: { after: String(next), link: `?after=${next}` } };
  return ok(body);
}

function get(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const id = param(ctx, 1);
  const rec = findRecord(
    ctx.portal,
    type,
    id,
    ctx.query.get('idProperty') ?? undefined,
    ctx.query.get('archived') === 'true',
  );
  if (!rec) throw objectNotFound(id);
  return ok(withAssociations(ctx, type, rec));
}

function create(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const body = objectBody(ctx.body);
  const { changes } = prepare(ctx.portal, type, body.properties ?? {}, undefined);
  checkUnique(ctx.portal, type, changes, undefined);
  const pairs = inlineAssociations(ctx.portal, type, body.associations);
  const rec = commitCreate(ctx.portal, type, changes);
  applyInline(ctx.portal, rec.id, pairs);
  return ok(toObject(ctx.portal, type, rec, Object.keys(changes)), 201);
}

function update(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const id = param(ctx, 1);
  const rec = findRecord(ctx.portal, type, id, ctx.query.get('idProperty') ?? undefined);
  if (!rec) throw objectNotFound(id);
  const body = objectBody(ctx.body);
  const { changes } = prepare(ctx.portal, type, body.properties ?? {}, rec);
  checkUnique(ctx.portal, type, changes, rec.id);
  commitUpdate(ctx.portal, type, rec, changes);
  return ok(toObject(ctx.portal, type, rec, Object.keys(changes)));
}

function archive(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  const id = param(ctx, 1);
  // Only the record of this very id: an id merged away does not archive the merge's result.
  const rec = /^\d+$/.test(id) ? ctx.portal.objects[type].live(Number(id)) : undefined;
  // HubSpot answers 204 for an id that does not exist or is already archived.
  if (rec) commitArchive(ctx.portal, type, rec);
  return noContent();
}

function merge(ctx: Ctx) {
  const type = objectType(param(ctx, 0)).name;
  if (type !== 'contacts' && type !== 'companies')
    throw badRequest(`Merging ${type} is not supported by this emulator (contacts and companies only)`);
  const rec = mergeRecords(ctx.portal, type, objectBody(ctx.body));
  return ok(toObject(ctx.portal, type, rec, undefined));
}

export const objectRoutes: Route[] = [
  route('POST', '/crm/v3/objects/{objectType}/merge', merge),
  route('GET', '/crm/v3/objects/{objectType}', list),
  route('POST', '/crm/v3/objects/{objectType}', create),
  route('GET', '/crm/v3/objects/{objectType}/{objectId}', get),
  route('PATCH', '/crm/v3/objects/{objectType}/{objectId}', update),
  route('DELETE', '/crm/v3/objects/{objectType}/{objectId}', archive),
];
