// Property values checked the way HubSpot checks them, producing HubSpot's per-property error
// codes (PROPERTY_DOESNT_EXIST, READ_ONLY_VALUE, INVALID_OPTION, INVALID_LONG, INVALID_DATE, …).
import type { Portal } from './portal.js';
import { LIFECYCLE_STAGES, type ObjectTypeName, type PropertyDef, type PropertyOption } from './schema.js';
import type { Rec } from './store/objects.js';
import { HubError, isRecord } from './http.js';

export interface PropError {
  name: string;
  code: string;
  message: string;
}

const DAY = 86_400_000;

/** Options a property accepts right now: pipelines, stages, owners and currencies are live lists. */
export function effectiveOptions(portal: Portal, type: ObjectTypeName, def: PropertyDef): PropertyOption[] {
  if (type === 'deals' && def.name === 'dealstage') {
    const out: PropertyOption[] = [];
    for (const p of portal.pipelines.values()) {
      if (p.archived) continue;
      for (const s of p.stages) if (!s.archived) out.push(opt(s.id, s.label, out.length));
    }
    return out;
  }
  if (type === 'deals' && def.name === 'pipeline') {
    return [...portal.pipelines.values()].filter((p) => !p.archived).map((p, i) => opt(p.id, p.label, i));
  }
  if (type === 'deals' && def.name === 'deal_currency_code') {
    return portal.currencies().map((c, i) => opt(c, c, i));
  }
  if (def.name === 'hubspot_owner_id') {
    return [...portal.owners.values()]
      .filter((o) => !o.archived)
      .map((o, i) => opt(String(o.id), `${o.firstName} ${o.lastName}`.trim() || o.email, i));
  }
  return def.options;
}

const opt = (value: string, label: string, displayOrder: number): PropertyOption => ({
  value,
  label,
  displayOrder,
  hidden: false,
});

function asText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw === '' ? null : raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return JSON.stringify(raw);
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

function midnightMessage(v: string, ms: number): string {
  const d = new Date(ms);
  return `${v} is at ${d.getUTCHours()}:${d.getUTCMinutes()}:${d.getUTCSeconds()}.${d.getUTCMilliseconds()} UTC, not midnight!`;
}

/** A date value as HubSpot stores it (`YYYY-MM-DD`), or an error message. */
function normDate(v: string): string | PropError {
  let ms: number;
  if (YMD.test(v)) ms = Date.parse(`${v}T00:00:00Z`);
  else if (/^-?\d+$/.test(v)) ms = Number(v);
  else ms = Date.parse(v);
  if (!Number.isFinite(ms)) return { name: '', code: 'INVALID_DATE', message: `${v} is not a valid date` };
  if (((ms % DAY) + DAY) % DAY !== 0)
    return { name: '', code: 'INVALID_DATE', message: midnightMessage(v, ms) };
  return new Date(ms).toISOString().slice(0, 10);
}

function normDateTime(v: string): string | PropError {
  let ms: number;
  if (/^-?\d+$/.test(v)) ms = Number(v);
  else if (YMD.test(v)) ms = Date.parse(`${v}T00:00:00Z`);
  else ms = /[T ]\d/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms))
    return { name: '', code: 'INVALID_DATE', message: `${v} is not a valid datetime` };
  return new Date(ms).toISOString();
}

// Plain functions, not closures in the hot path: tsx (esbuild keepNames) re-names every closure
// it creates, which costs more than the check itself.
function bad(def: PropertyDef, code: string, message: string): PropError {
  return { name: def.name, code, message };
}

function hasOption(allowed: PropertyOption[], value: string): boolean {
  for (const o of allowed) if (o.value === value) return true;
  return false;
}

/** Check one value against its definition; returns the stored form or an error. */
export function checkValue(
  portal: Portal,
  type: ObjectTypeName,
  def: PropertyDef,
  v: string,
): string | PropError {
  switch (def.type) {
    case 'number': {
      const t = v.trim();
      return NUMBER.test(t) ? t : bad(def, 'INVALID_LONG', `${v} was not a valid long.`);
    }
    case 'date': {
      const r = normDate(v.trim());
      return typeof r === 'string' ? r : { ...r, name: def.name };
    }
    case 'datetime': {
      const r = normDateTime(v.trim());
      return typeof r === 'string' ? r : { ...r, name: def.name };
    }
    case 'bool': {
      const l = v.toLowerCase();
      return l === 'true' || l === 'false' ? l : bad(def, 'INVALID_BOOLEAN', `${v} was not a valid boolean.`);
    }
    case 'enumeration': {
      if (def.name === 'hubspot_owner_id') {
        const o = portal.owners.get(Number(v));
        return o && !o.archived && /^\d+$/.test(v)
          ? v
          : bad(def, 'INVALID_OWNER_ID', `${v} is not a valid owner id`);
      }
      // Stages and pipelines are checked against the portal's cached maps; the option list is
      // only built for the error message.
      if (type === 'deals' && def.name === 'dealstage' && portal.stages().has(v)) return v;
      if (type === 'deals' && def.name === 'pipeline' && portal.pipelines.get(v)?.archived === false)
        return v;
      const allowed = effectiveOptions(portal, type, def);
      const values = def.fieldType === 'checkbox' ? v.split(';') : [v];
      for (const one of values) {
        if (!hasOption(allowed, one)) {
          return bad(
            def,
            'INVALID_OPTION',
            `${one} was not one of the allowed options: [${allowed.map((o) => o.value).join(', ')}]`,
          );
        }
      }
      return v;
    }
    default:
      return v;
  }
}

const LIFECYCLE_ORDER = new Map(LIFECYCLE_STAGES.map((o, i) => [o.value, i] as const));

/**
 * Turn a `properties` input into validated changes (null = clear). `existing` is the record on
 * update, undefined on create. Collects every error, as HubSpot lists them all.
 */
export function planWrite(
  portal: Portal,
  type: ObjectTypeName,
  input: unknown,
  existing: Rec | undefined,
): { changes: Record<string, string | null>; errors: PropError[] } {
  const changes: Record<string, string | null> = {};
  const errors: PropError[] = [];
  if (input === undefined || input === null) return { changes, errors };
  if (!isRecord(input))
    throw new HubError(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties must be an object');
  const defs = portal.properties[type];
  for (const name in input) {
    const raw = input[name];
    const def = defs.get(name);
    if (!def || def.archived) {
      errors.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (def.readOnlyValue || (def.createOnly && existing)) {
      errors.push({
        name,
        code: 'READ_ONLY_VALUE',
        message: `"${name}" is a read only property; its value cannot be set.`,
      });
      continue;
    }
    const text = asText(raw);
    if (text === null) {
      changes[name] = null;
      continue;
    }
    const r = checkValue(portal, type, def, text);
    if (typeof r === 'string') changes[name] = r;
    else errors.push(r);
  }
  if (type === 'deals') dealRules(portal, changes, existing, errors);
  if (type === 'contacts' || type === 'companies') lifecycleRule(changes, existing);
  return { changes, errors };
}

function dealRules(
  portal: Portal,
  changes: Record<string, string | null>,
  existing: Rec | undefined,
  errors: PropError[],
): void {
  const stages = portal.stages();
  const stage = 'dealstage' in changes ? changes.dealstage : existing?.p.dealstage;
  let pipeline = 'pipeline' in changes ? changes.pipeline : existing?.p.pipeline;
  // HubSpot puts a deal without a pipeline into the default one.
  if (!pipeline && stage) {
    pipeline = portal.pipelines.has('default') ? 'default' : null;
    if (pipeline && !existing?.p.pipeline) changes.pipeline = pipeline;
  }
  if (stage && pipeline && ('dealstage' in changes || 'pipeline' in changes)) {
    const info = stages.get(stage);
    if (!info || info.pipelineId !== pipeline) {
      if (!errors.some((e) => e.name === 'dealstage')) {
        const ids =
          portal.pipelines
            .get(pipeline)
            ?.stages.filter((s) => !s.archived)
            .map((s) => s.id) ?? [];
        errors.push({
          name: 'dealstage',
          code: 'INVALID_OPTION',
          message: `${stage} was not one of the allowed options: [${ids.join(', ')}]`,
        });
      }
    } else if (info.isClosed && 'dealstage' in changes && !('closedate' in changes)) {
      // HubSpot stamps closedate when a deal enters a closed stage and none is given.
      const was = existing?.p.dealstage ? stages.get(existing.p.dealstage) : undefined;
      if (!was?.isClosed) changes.closedate = new Date(portal.now()).toISOString();
    }
  }
}

/**
 * HubSpot moves lifecycle stage forward only: a value earlier than the current one is ignored
 * (no error), and moving back takes clearing the property first. `other` is outside the order.
 */
function lifecycleRule(changes: Record<string, string | null>, existing: Rec | undefined): void {
  const next = changes.lifecyclestage;
  const cur = existing?.p.lifecyclestage;
  if (!next || !cur) return;
  const a = LIFECYCLE_ORDER.get(cur);
  const b = LIFECYCLE_ORDER.get(next);
  if (a === undefined || b === undefined || cur === 'other' || next === 'other') return;
  if (b < a) delete changes.lifecyclestage;
}

/** HubSpot's VALIDATION_ERROR body for a list of property errors. */
export function validationError(errors: PropError[], portalId: number, index?: number): HubError {
  const results = errors.map((e) => ({
    isValid: false,
    message: e.message,
    error: e.code,
    name: e.name,
    localizedErrorMessage: e.message,
    portalId,
  }));
  const ctx: Record<string, string[]> | undefined =
    index === undefined ? undefined : { index: [String(index)] };
  return new HubError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(results)}`, {
    errors: errors.map((e) => ({ message: e.message, code: e.code, context: { propertyName: [e.name] } })),
    ...(ctx ? { context: ctx } : {}),
  });
}
