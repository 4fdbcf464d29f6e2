// Records as HubSpot returns them (SimplePublicObject), and the write path every route shares:
// validate → uniqueness → apply → publish webhook events.
import type { Portal } from './portal.js';
import { OBJECT_TYPES, type ObjectTypeName } from './schema.js';
import type { Rec } from './store/objects.js';
import { HubError, iso } from './http.js';
import { planWrite, validationError, type PropError } from './validate.js';

/** Computed on read, never stored (keeps records small and always consistent). */
export function derivedValue(
  portal: Portal,
  type: ObjectTypeName,
  rec: Rec,
  name: string,
): string | undefined {
  switch (name) {
    case 'hs_object_id':
      return String(rec.id);
    case 'createdate':
      return rec.p.createdate ?? iso(rec.createdAt);
    case 'hs_lastmodifieddate':
    case 'lastmodifieddate':
      return iso(rec.updatedAt);
  }
  if (type === 'deals') {
    const stage = rec.p.dealstage ? portal.stages().get(rec.p.dealstage) : undefined;
    switch (name) {
      case 'hs_is_closed':
        return String(stage?.isClosed ?? false);
      case 'hs_is_closed_won':
        return String(stage?.isWon ?? false);
      case 'hs_deal_stage_probability':
        return stage?.probability;
      case 'amount_in_home_currency': {
        if (rec.p.amount === undefined) return undefined;
        const rate = portal.rateFor(rec.p.deal_currency_code ?? portal.companyCurrency);
        return rate === undefined ? undefined : String(Number(rec.p.amount) * rate);
      }
      case 'num_associated_contacts':
        return String(portal.associations.visibleIds('deals', rec.id, 'contacts').length);
    }
  } else if (name === 'num_associated_deals') {
    return String(portal.associations.visibleIds(type, rec.id, 'deals').length);
  } else if (name === 'num_associated_contacts' && type === 'companies') {
    return String(portal.associations.visibleIds(type, rec.id, 'contacts').length);
  }
  return rec.p[name];
}

export function propertyValues(
  portal: Portal,
  type: ObjectTypeName,
  rec: Rec,
  wanted: string[] | undefined,
): Record<string, string | null> {
  const names = wanted && wanted.length ? wanted : OBJECT_TYPES[type].defaults;
  const defs = portal.properties[type];
  const out: Record<string, string | null> = {};
  for (const n of names) {
    if (!defs.has(n)) continue; // HubSpot ignores unknown names in `properties`
    out[n] = derivedValue(portal, type, rec, n) ?? null;
  }
  // HubSpot always includes these three, whatever was asked.
  out.hs_object_id = String(rec.id);
  out.createdate ??= derivedValue(portal, type, rec, 'createdate') ?? null;
  const lm = OBJECT_TYPES[type].lastModifiedProp;
  out[lm] ??= iso(rec.updatedAt);
  return out;
}

export function toObject(
  portal: Portal,
  type: ObjectTypeName,
  rec: Rec,
  wanted: string[] | undefined,
): Record<string, unknown> {
  const o: Record<string, unknown> = {
    id: String(rec.id),
    properties: propertyValues(portal, type, rec, wanted),
    createdAt: iso(rec.createdAt),
    updatedAt: iso(rec.updatedAt),
    archived: rec.archivedAt !== 0,
  };
  if (rec.archivedAt) o.archivedAt = iso(rec.archivedAt);
  return o;
}

/** v3 `associations=` on reads: `{contacts: {results: [{id, type: 'deal_to_contact'}]}}`. */
export function v3Associations(
  portal: Portal,
  type: ObjectTypeName,
  rec: Rec,
  toTypes: ObjectTypeName[],
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const to of toTypes) {
    const flat = portal.associations.visible(type, rec.id, to);
    if (!flat.length) continue;
    const results: { id: string; type: string }[] = [];
    const pairHasPrimary = portal.associations.typesBetween(type, to).some((t) => t.label === 'Primary');
    for (let i = 0; i < flat.length; i += 2) {
      const t = portal.associations.types.get(flat[i + 1]!);
      const base = `${OBJECT_TYPES[type].singular}_to_${OBJECT_TYPES[to].singular}`;
      const name = t && t.label === null && pairHasPrimary ? `${base}_unlabeled` : base;
      results.push({
        id: String(flat[i]),
        type: t && t.category !== 'HUBSPOT_DEFINED' ? String(t.id) : name,
      });
    }
    out[to] = { results };
  }
  return Object.keys(out).length ? out : undefined;
}

export interface PreparedWrite {
  changes: Record<string, string | null>;
}

/** Validate a write; throws HubSpot's 400 VALIDATION_ERROR listing every bad property. */
export function prepare(
  portal: Portal,
  type: ObjectTypeName,
  properties: unknown,
  existing: Rec | undefined,
  index?: number,
): PreparedWrite {
  const { changes, errors } = planWrite(portal, type, properties, existing);
  if (errors.length) throw validationError(errors, portal.portalId, index);
  return { changes };
}

/** 409 when a unique value (contacts' email, hasUniqueValue properties) is already taken. */
export function checkUnique(
  portal: Portal,
  type: ObjectTypeName,
  changes: Record<string, string | null>,
  selfId: number | undefined,
  claimed?: Map<string, number>,
): void {
  const store = portal.objects[type];
  for (const prop of store.unique.keys()) {
    const v = changes[prop];
    if (v === undefined || v === null) continue;
    const other = store.conflict(prop, v, selfId);
    const key = `${prop}\u0000${type === 'contacts' && prop === 'email' ? v.toLowerCase() : v}`;
    const inBatch = claimed?.get(key);
    const existing = other ?? (inBatch !== undefined && inBatch !== selfId ? inBatch : undefined);
    if (existing !== undefined) {
      const single = OBJECT_TYPES[type].singular;
      const message =
        type === 'contacts' && prop === 'email'
          ? `Contact already exists. Existing ID: ${existing}`
          : `A ${single} with ${prop} "${v}" already exists. Existing ID: ${existing}`;
      throw new HubError(409, 'CONFLICT', message, {
        errors: [
          {
            message: `A ${single} with ${prop} ${v} already exists. Existing ID: ${existing}`,
            in: prop,
            code: 'DUPLICATE_VALUE',
            context: { propertyName: [prop] },
          },
        ],
      });
    }
    claimed?.set(key, selfId ?? -1);
  }
}

const singular = (t: ObjectTypeName) => OBJECT_TYPES[t].singular;

export function commitCreate(
  portal: Portal,
  type: ObjectTypeName,
  changes: Record<string, string | null>,
  source = 'INTEGRATION',
): Rec {
  const at = portal.now();
  const p: Record<string, string> = {};
  for (const k in changes) {
    const v = changes[k];
    if (v !== null && v !== undefined) p[k] = v;
  }
  const rec: Rec = { id: portal.newId(), p, createdAt: at, updatedAt: at, archivedAt: 0 };
  const store = portal.objects[type];
  store.insert(rec);
  const objectId = String(rec.id);
  const events = portal.eventsWanted();
  if (events) {
    portal.onEvent({
      objectType: singular(type),
      kind: 'creation',
      objectId,
      occurredAt: at,
      changeSource: source,
    });
  }
  for (const k in p) {
    const v = p[k]!;
    store.logValue(rec, k, v, at, source);
    if (events)
      portal.onEvent({
        objectType: singular(type),
        kind: 'propertyChange',
        objectId,
        propertyName: k,
        propertyValue: v,
        occurredAt: at,
        changeSource: source,
      });
  }
  return rec;
}

export function commitUpdate(
  portal: Portal,
  type: ObjectTypeName,
  rec: Rec,
  changes: Record<string, string | null>,
  source = 'INTEGRATION',
): void {
  const at = portal.now();
  const store = portal.objects[type];
  const changed = store.apply(rec, changes, at);
  const events = portal.eventsWanted();
  for (const k of changed) {
    store.logValue(rec, k, rec.p[k] ?? null, at, source);
    if (events)
      portal.onEvent({
        objectType: singular(type),
        kind: 'propertyChange',
        objectId: String(rec.id),
        propertyName: k,
        propertyValue: rec.p[k] ?? '',
        occurredAt: at,
        changeSource: source,
      });
  }
}

export function commitArchive(portal: Portal, type: ObjectTypeName, rec: Rec, source = 'INTEGRATION'): void {
  if (rec.archivedAt) return;
  const at = portal.now();
  portal.objects[type].archive(rec, at);
  portal.onEvent({
    objectType: singular(type),
    kind: 'deletion',
    objectId: String(rec.id),
    occurredAt: at,
    changeSource: source,
  });
}

export function commitRestore(portal: Portal, type: ObjectTypeName, rec: Rec, source = 'CRM_UI'): void {
  if (!rec.archivedAt) return;
  for (const prop of portal.objects[type].unique.keys()) {
    const v = rec.p[prop];
    const other = v === undefined ? undefined : portal.objects[type].conflict(prop, v, rec.id);
    if (other !== undefined) {
      throw new HubError(409, 'CONFLICT', `Cannot restore: ${prop} "${v}" is now used by ${other}`);
    }
  }
  const at = portal.now();
  portal.objects[type].restore(rec, at);
  portal.onEvent({
    objectType: singular(type),
    kind: 'restore',
    objectId: String(rec.id),
    occurredAt: at,
    changeSource: source,
  });
}

export type { PropError };
