// HubSpot's batch errors mapped to dealbridge codes and to the inputs that caused them.
// Shapes (spec `Error` / `StandardError`, and HubSpot's answers as seen in public threads):
//   whole batch: 400 {status:'error', category:'VALIDATION_ERROR', message:'Property values were not valid: [...]',
//                     errors:[{message, code:'INVALID_OPTION', context:{propertyName:['dealstage']}}], context?}
//                409 {category:'CONFLICT', message:'… already exists. Existing ID: 123', errors:[{code:'DUPLICATE_VALUE', in:'prop'}]}
//   per input (207): errors:[{status:'error', category:'OBJECT_NOT_FOUND', message, context:{ids:['…']}}]
// `context.ids` names inputs by the value they were sent with (id or idProperty value).
import type { ErrorCode } from '../errors/index.js';
import type { HsInputError } from '../domain/hubspot.js';

interface ErrorDetail {
  message?: string;
  code?: string;
  in?: string;
  context?: Record<string, unknown>;
}

export interface HubspotErrorBody {
  status?: string;
  category?: string;
  subCategory?: string;
  message?: string;
  errors?: ErrorDetail[];
  context?: Record<string, unknown>;
}

export function asErrorBody(v: unknown): HubspotErrorBody {
  return typeof v === 'object' && v !== null ? (v as HubspotErrorBody) : {};
}

/** HubSpot's per-property error code → our catalogue. */
export function mapHubspotCode(code: string | undefined, status: number, property?: string): ErrorCode {
  if (status === 409 || code === 'DUPLICATE_VALUE' || code === 'CONFLICT') return 'HUBSPOT_CONFLICT';
  if (code === 'OBJECT_NOT_FOUND' || status === 404) return 'HUBSPOT_NOT_FOUND';
  // An owner HubSpot no longer has (removed, deactivated): whatever the detail code (the owner is an
  // enumeration of live owners), the engine refreshes its owner map and writes the deal again.
  if (property === 'hubspot_owner_id' || code === 'INVALID_OWNER_ID') return 'OWNER_NOT_FOUND';
  if (code === 'INVALID_OPTION')
    return property === 'deal_currency_code' ? 'CURRENCY_NOT_ENABLED' : 'INVALID_PICKLIST';
  if (code && /TOO_LONG|MAX_LENGTH|EXCEEDS/.test(code)) return 'VALUE_TOO_LONG';
  if (code && /^REQUIRED/.test(code)) return 'REQUIRED_VALUE_MISSING';
  if (code && /^INVALID_(DATE|LONG|INTEGER|BOOLEAN|DOUBLE|NUMBER|EMAIL|DATETIME)/.test(code))
    return 'INVALID_VALUE';
  return 'HUBSPOT_VALIDATION';
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/** The first property-level detail: code and property name. */
export function firstDetail(body: HubspotErrorBody): { code?: string; property?: string; message?: string } {
  const d = body.errors?.[0];
  if (d) {
    const property = strings(d.context?.propertyName)[0] ?? d.in;
    return { code: d.code, property, message: d.message };
  }
  // The legacy text form: 'Property values were not valid: [{"error":"INVALID_OPTION","name":"dealstage",…}]'
  const m = /Property values were not valid: (\[.*\])/s.exec(body.message ?? '');
  if (m) {
    try {
      const arr = JSON.parse(m[1]!) as { error?: string; name?: string; message?: string }[];
      const first = arr[0];
      if (first) return { code: first.error, property: first.name, message: first.message };
    } catch {
      // not JSON after all: fall through
    }
  }
  return {};
}

/**
 * Indexes of the inputs an error names: `context.index(es)`, `context.ids` matched against the
 * values inputs were sent with, ids listed in "Duplicate IDs found in batch input: [a, b]", or
 * the unique value quoted in a conflict message matched against the inputs' property values.
 */
export function culpritsOf(
  body: HubspotErrorBody,
  keys: readonly string[],
  inputProps?: readonly Record<string, string | null>[],
): number[] {
  const out = new Set<number>();
  const byKey = new Map<string, number[]>();
  keys.forEach((k, i) => byKey.set(k, [...(byKey.get(k) ?? []), i]));
  const contexts = [body.context, ...(body.errors ?? []).map((e) => e.context)];
  for (const ctx of contexts) {
    if (!ctx) continue;
    for (const v of [...strings(ctx.index), ...strings(ctx.indexes)]) {
      const n = Number(v);
      if (Number.isInteger(n) && n >= 0 && n < keys.length) out.add(n);
    }
    for (const id of [...strings(ctx.ids), ...strings(ctx.id)])
      for (const i of byKey.get(id) ?? []) out.add(i);
  }
  const dup = /Duplicate IDs found in batch input: \[([^\]]*)\]/.exec(body.message ?? '');
  if (dup)
    for (const id of dup[1]!.split(',').map((s) => s.trim())) for (const i of byKey.get(id) ?? []) out.add(i);
  if (out.size === 0 && inputProps) {
    const conflict = /with (\w+) "?([^"]+?)"? already exists/.exec(
      body.message ?? body.errors?.[0]?.message ?? '',
    );
    if (conflict) {
      const [, prop, value] = conflict;
      inputProps.forEach((p, i) => {
        if (p[prop!] === value) out.add(i);
      });
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Per-input errors of a 207: each error attributed to the inputs it names; inputs that got no
 * result and no attributed error share the unattributed errors' message.
 */
export function inputErrorsOf207(
  errors: unknown[],
  keys: readonly string[],
  answered: ReadonlySet<number>,
): HsInputError[] {
  const out: HsInputError[] = [];
  const blamed = new Set<number>();
  let unattributed: HsInputError | undefined;
  for (const raw of errors) {
    const e = asErrorBody(raw);
    const detail = firstDetail(e);
    const code = mapHubspotCode(detail.code ?? e.category, statusOf(e), detail.property);
    const message = e.message ?? detail.message ?? 'HubSpot error';
    const idx = culpritsOf(e, keys);
    for (const i of idx) {
      blamed.add(i);
      out.push({ index: i, code, message, ...(detail.property ? { property: detail.property } : {}) });
    }
    if (idx.length === 0)
      unattributed ??= {
        index: -1,
        code,
        message,
        ...(detail.property ? { property: detail.property } : {}),
      };
  }
  if (unattributed) {
    keys.forEach((_, i) => {
      if (!answered.has(i) && !blamed.has(i)) out.push({ ...unattributed!, index: i });
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

function statusOf(e: HubspotErrorBody): number {
  if (e.category === 'OBJECT_NOT_FOUND') return 404;
  if (e.category === 'CONFLICT') return 409;
  return 400;
}
