// Admin routes for what an org's admins build around a save (docs/emulators/salesforce.md,
// "Automation"): validation rules, duplicate rules, field updates, field history tracking, and
// row locks held by another transaction.
import type { EmulatorState } from '../state.js';
import type { Reply } from '../http.js';
import { apiError } from '../errors.js';
import type { DuplicateRule, FieldUpdateRule, OrgAutomation, ValidationRule } from '../automation.js';
import type { SoqlValue } from '../soql/catalog.js';

const CONDITIONS = ['blank', 'equals', 'not-equals', 'less-than', 'greater-than'] as const;

function bad(message: string): never {
  throw apiError(400, 'INVALID_ARGUMENT', message);
}

const str = (b: Record<string, unknown>, k: string): string => {
  const v = b[k];
  if (typeof v !== 'string' || v === '') bad(`${k} must be a non-empty string`);
  return v;
};

function validationRule(store: EmulatorState['store'], b: Record<string, unknown>): ValidationRule {
  const sobject = str(b, 'sobject');
  const def = store.def(sobject) ?? bad(`no sObject ${sobject}`);
  const field = str(b, 'field');
  if (!def.fieldsByLower.has(field.toLowerCase())) bad(`no field ${field} on ${def.name}`);
  const condition = b.condition as ValidationRule['condition'];
  if (!CONDITIONS.includes(condition)) bad(`condition must be one of ${CONDITIONS.join(', ')}`);
  if (condition !== 'blank' && typeof b.value !== 'string' && typeof b.value !== 'number')
    bad('value (a string or number) is required for this condition');
  return {
    name: str(b, 'name'),
    sobject: def.name,
    field: def.fieldsByLower.get(field.toLowerCase())!.name,
    condition,
    value: b.value as string | number | undefined,
    onlyWhenChanged: b.onlyWhenChanged === true,
    message: str(b, 'message'),
    errorDisplayField: typeof b.errorDisplayField === 'string' ? b.errorDisplayField : undefined,
    active: b.active !== false,
  };
}

function duplicateRule(b: Record<string, unknown>): DuplicateRule {
  const sobject = str(b, 'sobject');
  if (sobject !== 'Account' && sobject !== 'Contact') bad('duplicate rules exist for Account and Contact');
  const matchFields = b.matchFields;
  if (
    !Array.isArray(matchFields) ||
    matchFields.length === 0 ||
    !matchFields.every((f) => typeof f === 'string')
  )
    bad('matchFields must be a non-empty array of field names');
  const action = b.action ?? 'block';
  if (action !== 'block' && action !== 'allow') bad('action must be block or allow');
  return {
    name: str(b, 'name'),
    sobject,
    matchFields: matchFields as string[],
    action,
    active: b.active !== false,
  };
}

function fieldUpdate(b: Record<string, unknown>): FieldUpdateRule {
  const set = b.set;
  if (typeof set !== 'object' || set === null || Array.isArray(set))
    bad('set must be an object of field values');
  return {
    name: str(b, 'name'),
    sobject: str(b, 'sobject'),
    whenChanged: str(b, 'whenChanged'),
    set: set as Record<string, SoqlValue>,
    active: b.active !== false,
  };
}

type RuleList = 'validationRules' | 'duplicateRules' | 'fieldUpdates';
const LISTS: Record<string, RuleList> = {
  'validation-rules': 'validationRules',
  'duplicate-rules': 'duplicateRules',
  'field-updates': 'fieldUpdates',
};

/** Answers an automation admin route, or undefined when the path is not one. */
export async function automationAdmin(
  state: EmulatorState,
  method: string,
  path: string[],
  obj: () => Promise<Record<string, unknown>>,
): Promise<Reply | undefined> {
  const auto: OrgAutomation = state.store.automation;
  const [what, sub, extra] = path;
  if (what === undefined || extra !== undefined) return undefined;
  const list = LISTS[what];
  if (list) {
    if (sub === undefined && method === 'GET') return { status: 200, body: { rules: auto[list] } };
    if (sub === undefined && method === 'POST') {
      const b = await obj();
      const rule =
        list === 'validationRules'
          ? validationRule(state.store, b)
          : list === 'duplicateRules'
            ? duplicateRule(b)
            : fieldUpdate(b);
      const rules = auto[list] as { name: string }[];
      const kept = rules.filter((r) => r.name !== rule.name);
      (auto[list] as unknown[]) = [...kept, rule];
      return { status: 201, body: { rules: auto[list] } };
    }
    if (sub !== undefined && method === 'DELETE') {
      const name = decodeURIComponent(sub);
      const before = auto[list].length;
      (auto[list] as unknown[]) = (auto[list] as { name: string }[]).filter((r) => r.name !== name);
      if (auto[list].length === before) throw apiError(404, 'NOT_FOUND', `no rule ${name}`);
      return { status: 200, body: { rules: auto[list] } };
    }
    return undefined;
  }
  if (what === 'field-history' && sub === undefined) {
    if (method === 'GET')
      return {
        status: 200,
        body: { tracked: Object.fromEntries([...auto.tracked].map(([k, v]) => [k, [...v]])) },
      };
    if (method === 'PUT') {
      const b = await obj();
      if (b.sobject !== 'Opportunity') bad('field history is emulated for Opportunity');
      const fields = b.fields;
      if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string'))
        bad('fields must be an array');
      // Salesforce tracks up to 20 fields per object.
      if (fields.length > 20) bad('at most 20 fields per object can be tracked');
      const def = state.store.def('Opportunity')!;
      const names = (fields as string[]).map(
        (f) => def.fieldsByLower.get(f.toLowerCase())?.name ?? bad(`no field ${f} on Opportunity`),
      );
      auto.tracked.set('Opportunity', new Set(names));
      return { status: 200, body: { tracked: { Opportunity: names } } };
    }
    return undefined;
  }
  if (what === 'row-locks' && sub === undefined && method === 'POST') {
    const b = await obj();
    const ids = b.ids;
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string'))
      bad('ids must be an array of record ids');
    const attempts = typeof b.attempts === 'number' && b.attempts > 0 ? Math.floor(b.attempts) : 1;
    for (const id of ids as string[]) auto.locks.set(id, attempts);
    return { status: 200, body: { locked: ids, attempts } };
  }
  return undefined;
}
