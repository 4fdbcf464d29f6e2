// Properties v3: definitions and groups per object type, with HubSpot's defaults and 409 on an
// existing name. Enumeration options of pipelines, stages, owners and currencies are live lists.
import { HubError, badRequest, inputsOf, iso, isRecord, noContent, objectBody, ok } from '../http.js';
import type { Portal } from '../portal.js';
import { objectType, param, route, type Ctx, type Route } from '../router.js';
import type { ObjectTypeName, PropertyDef, PropertyOption, PropertyType } from '../schema.js';
import { effectiveOptions } from '../validate.js';

const FIELD_TYPES: Record<PropertyType, string[]> = {
  string: ['text', 'textarea', 'phonenumber', 'html', 'file'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  bool: ['booleancheckbox'],
  phone_number: ['phonenumber'],
};

export function propertyJson(portal: Portal, type: ObjectTypeName, d: PropertyDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    updatedAt: iso(d.updatedAt),
    createdAt: iso(d.createdAt),
    name: d.name,
    label: d.label,
    type: d.type,
    fieldType: d.fieldType,
    description: d.description,
    groupName: d.groupName,
    options: effectiveOptions(portal, type, d),
    displayOrder: d.displayOrder,
    calculated: d.calculated,
    externalOptions: d.externalOptions,
    hasUniqueValue: d.hasUniqueValue,
    hidden: d.hidden,
    hubspotDefined: d.hubspotDefined,
    modificationMetadata: {
      archivable: !d.hubspotDefined,
      readOnlyDefinition: d.readOnlyDefinition,
      readOnlyValue: d.readOnlyValue,
    },
    formField: d.formField,
    archived: d.archived,
  };
  return out;
}

function parseOptions(raw: unknown): PropertyOption[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw badRequest('options must be an array');
  return raw.map((o, i) => {
    if (!isRecord(o) || typeof o.label !== 'string' || typeof o.value !== 'string') {
      throw badRequest(`options[${i}] needs a label and a value`);
    }
    return {
      label: o.label,
      value: o.value,
      displayOrder: typeof o.displayOrder === 'number' ? o.displayOrder : i,
      hidden: o.hidden === true,
      ...(typeof o.description === 'string' ? { description: o.description } : {}),
    };
  });
}

function createOne(portal: Portal, type: ObjectTypeName, raw: unknown): PropertyDef {
  const b = objectBody(raw);
  for (const k of ['name', 'label', 'type', 'fieldType', 'groupName']) {
    if (typeof b[k] !== 'string' || b[k] === '')
      throw badRequest(`${k} is required`, {
        errors: [{ message: `${k} is required`, code: 'REQUIRED_FIELD', in: k }],
      });
  }
  const name = b.name as string;
  if (!/^[a-z][a-z0-9_]*$/.test(name))
    throw badRequest(`Property name "${name}" must be lower-case letters, digits and underscores`);
  const defs = portal.properties[type];
  const existing = defs.get(name);
  if (existing && !existing.archived) {
    throw new HubError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`, {
      errors: [{ message: `Property named '${name}' already exists.`, code: 'PROPERTY_EXISTS', in: 'name' }],
    });
  }
  const ptype = b.type as PropertyType;
  if (!(ptype in FIELD_TYPES)) throw badRequest(`Invalid type: ${ptype}`);
  if (!FIELD_TYPES[ptype].includes(b.fieldType as string)) {
    throw badRequest(`Field type ${String(b.fieldType)} is not compatible with type ${ptype}`);
  }
  if (!portal.groups[type].has(b.groupName as string)) {
    throw badRequest(`Property group ${String(b.groupName)} does not exist`);
  }
  const unique = b.hasUniqueValue === true;
  if (unique && ptype !== 'string' && ptype !== 'number')
    throw badRequest('Only string and number properties can have unique values');
  const at = portal.now();
  const def: PropertyDef = {
    name,
    label: b.label as string,
    type: ptype,
    fieldType: b.fieldType as string,
    groupName: b.groupName as string,
    description: typeof b.description === 'string' ? b.description : '',
    options: parseOptions(b.options),
    displayOrder: typeof b.displayOrder === 'number' ? b.displayOrder : -1,
    hasUniqueValue: unique,
    hidden: b.hidden === true,
    formField: b.formField === true,
    calculated: false,
    externalOptions: b.externalOptions === true,
    hubspotDefined: false,
    readOnlyValue: false,
    readOnlyDefinition: false,
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
  defs.set(name, def);
  if (unique) portal.objects[type].addUniqueProperty(name);
  return def;
}

function getDef(portal: Portal, type: ObjectTypeName, name: string, archived = false): PropertyDef {
  const d = portal.properties[type].get(name);
  if (!d || d.archived !== archived) {
    throw new HubError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name} for object type ${type}`);
  }
  return d;
}

const t = (ctx: Ctx) => objectType(param(ctx, 0)).name;

export const propertyRoutes: Route[] = [
  route('GET', '/crm/v3/properties/{objectType}/groups', (ctx) =>
    ok({ results: [...ctx.portal.groups[t(ctx)].values()].filter((g) => !g.archived) }),
  ),
  route('POST', '/crm/v3/properties/{objectType}/groups', (ctx) => {
    const b = objectBody(ctx.body);
    if (typeof b.name !== 'string' || typeof b.label !== 'string')
      throw badRequest('name and label are required');
    const groups = ctx.portal.groups[t(ctx)];
    if (groups.get(b.name)?.archived === false) {
      throw new HubError(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${b.name}' already exists.`);
    }
    const g = {
      name: b.name,
      label: b.label,
      displayOrder: typeof b.displayOrder === 'number' ? b.displayOrder : -1,
      archived: false,
    };
    groups.set(g.name, g);
    return ok(g, 201);
  }),
  route('GET', '/crm/v3/properties/{objectType}/groups/{groupName}', (ctx) => {
    const g = ctx.portal.groups[t(ctx)].get(param(ctx, 1));
    if (!g || g.archived)
      throw new HubError(404, 'OBJECT_NOT_FOUND', `Unable to find property group ${param(ctx, 1)}`);
    return ok(g);
  }),
  route('PATCH', '/crm/v3/properties/{objectType}/groups/{groupName}', (ctx) => {
    const g = ctx.portal.groups[t(ctx)].get(param(ctx, 1));
    if (!g || g.archived)
      throw new HubError(404, 'OBJECT_NOT_FOUND', `Unable to find property group ${param(ctx, 1)}`);
    const b = objectBody(ctx.body);
    if (typeof b.label === 'string') g.label = b.label;
    if (typeof b.displayOrder === 'number') g.displayOrder = b.displayOrder;
    return ok(g);
  }),
  route('DELETE', '/crm/v3/properties/{objectType}/groups/{groupName}', (ctx) => {
    const g = ctx.portal.groups[t(ctx)].get(param(ctx, 1));
    if (g) g.archived = true;
    return noContent();
  }),
  route('POST', '/crm/v3/properties/{objectType}/batch/read', (ctx) => {
    const type = t(ctx);
    const started = ctx.portal.now();
    const archived = isRecord(ctx.body) && ctx.body.archived === true;
    const results = inputsOf(ctx.body, 1000)
      .map((i) => ctx.portal.properties[type].get(isRecord(i) ? String(i.name) : ''))
      .filter((d): d is PropertyDef => d !== undefined && d.archived === archived)
      .map((d) => propertyJson(ctx.portal, type, d));
    return ok({ status: 'COMPLETE', results, startedAt: iso(started), completedAt: iso(ctx.portal.now()) });
  }),
  route('POST', '/crm/v3/properties/{objectType}/batch/create', (ctx) => {
    const type = t(ctx);
    const started = ctx.portal.now();
    const results = inputsOf(ctx.body, 100).map((i) =>
      propertyJson(ctx.portal, type, createOne(ctx.portal, type, i)),
    );
    return ok(
      { status: 'COMPLETE', results, startedAt: iso(started), completedAt: iso(ctx.portal.now()) },
      201,
    );
  }),
  route('POST', '/crm/v3/properties/{objectType}/batch/archive', (ctx) => {
    const type = t(ctx);
    for (const i of inputsOf(ctx.body, 100)) {
      const d = ctx.portal.properties[type].get(isRecord(i) ? String(i.name) : '');
      if (d && !d.hubspotDefined) d.archived = true;
    }
    return noContent();
  }),
  route('GET', '/crm/v3/properties/{objectType}', (ctx) => {
    const type = t(ctx);
    const archived = ctx.query.get('archived') === 'true';
    const results = [...ctx.portal.properties[type].values()]
      .filter((d) => d.archived === archived)
      .map((d) => propertyJson(ctx.portal, type, d));
    return ok({ results });
  }),
  route('POST', '/crm/v3/properties/{objectType}', (ctx) => {
    const type = t(ctx);
    return ok(propertyJson(ctx.portal, type, createOne(ctx.portal, type, ctx.body)), 201);
  }),
  route('GET', '/crm/v3/properties/{objectType}/{propertyName}', (ctx) => {
    const type = t(ctx);
    return ok(
      propertyJson(
        ctx.portal,
        type,
        getDef(ctx.portal, type, param(ctx, 1), ctx.query.get('archived') === 'true'),
      ),
    );
  }),
  route('PATCH', '/crm/v3/properties/{objectType}/{propertyName}', (ctx) => {
    const type = t(ctx);
    const d = getDef(ctx.portal, type, param(ctx, 1));
    const b = objectBody(ctx.body);
    if (d.readOnlyDefinition && (b.type !== undefined || b.fieldType !== undefined)) {
      throw badRequest(`The definition of ${d.name} is read-only`);
    }
    if (typeof b.label === 'string') d.label = b.label;
    if (typeof b.description === 'string') d.description = b.description;
    if (typeof b.groupName === 'string') {
      if (!ctx.portal.groups[type].has(b.groupName))
        throw badRequest(`Property group ${b.groupName} does not exist`);
      d.groupName = b.groupName;
    }
    if (typeof b.hidden === 'boolean') d.hidden = b.hidden;
    if (typeof b.formField === 'boolean') d.formField = b.formField;
    if (typeof b.displayOrder === 'number') d.displayOrder = b.displayOrder;
    if (b.options !== undefined) d.options = parseOptions(b.options);
    if (typeof b.type === 'string') d.type = b.type as PropertyType;
    if (typeof b.fieldType === 'string') d.fieldType = b.fieldType;
    d.updatedAt = ctx.portal.now();
    return ok(propertyJson(ctx.portal, type, d));
  }),
  route('DELETE', '/crm/v3/properties/{objectType}/{propertyName}', (ctx) => {
    const type = t(ctx);
    const d = getDef(ctx.portal, type, param(ctx, 1));
    if (d.hubspotDefined) throw badRequest(`${d.name} is a HubSpot-defined property and cannot be archived`);
    d.archived = true;
    d.updatedAt = ctx.portal.now();
    return noContent();
  }),
];
