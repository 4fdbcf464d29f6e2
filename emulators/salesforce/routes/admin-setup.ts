// Admin routes for Setup changes to opportunity record types and stages (docs/emulators/salesforce.md,
// "Setup changes"): list, add, rename, (de)activate, change a sales process, set a default; and
// custom fields (`POST fields`).
import type { EmulatorState } from '../state.js';
import type { Reply } from '../http.js';
import { CUSTOM_FIELD_TYPES, type CustomFieldSpec } from '../schema.js';
import type { SoqlFieldType } from '../soql/catalog.js';
import { apiError } from '../errors.js';
import {
  addRecordType,
  addSetupStage,
  editRecordType,
  editStage,
  recordTypeSummary,
  setDefaultRecordType,
  stageSummary,
} from '../org-setup.js';

/** Answers a Setup admin route, or undefined when the path is not one. */
export async function setupAdmin(
  state: EmulatorState,
  method: string,
  path: string[],
  obj: () => Promise<Record<string, unknown>>,
): Promise<Reply | undefined> {
  const store = state.store;
  const [what, sub, extra] = path;
  if (extra !== undefined) return undefined;
  const ok = (body: unknown, status = 200): Reply => ({ status, body });
  if (what === 'record-types') {
    if (sub === undefined && method === 'GET') return ok({ recordTypes: recordTypeSummary(store) });
    if (sub === undefined && method === 'POST') {
      const row = addRecordType(store, await obj());
      return ok({ id: row.Id, recordTypes: recordTypeSummary(store) }, 201);
    }
    if (sub !== undefined && method === 'PATCH') {
      const row = editRecordType(store, decodeURIComponent(sub), await obj());
      return ok({ id: row.Id, recordTypes: recordTypeSummary(store) });
    }
    return undefined;
  }
  if (what === 'default-record-type' && sub === undefined && method === 'PUT') {
    const b = await obj();
    if (typeof b.recordTypeId !== 'string')
      throw apiError(400, 'INVALID_ARGUMENT', 'give recordTypeId (and username for one user)');
    let userId: string | undefined;
    if (b.username !== undefined) {
      userId = typeof b.username === 'string' ? state.userByUsername(b.username) : undefined;
      if (!userId) throw apiError(404, 'NOT_FOUND', `no active user ${String(b.username)}`);
    }
    const id = setDefaultRecordType(store, b.recordTypeId, userId);
    return ok({ recordTypeId: id, userId: userId ?? null });
  }
  if (what === 'fields' && sub === undefined && method === 'POST') {
    const spec = customField(store, await obj());
    store.addCustomField(spec);
    return ok({ field: spec }, 201);
  }
  if (what === 'stages') {
    if (sub === undefined && method === 'GET') return ok({ stages: stageSummary(store) });
    if (sub === undefined && method === 'POST') {
      const row = addSetupStage(store, await obj());
      return ok({ id: row.Id, stages: stageSummary(store) }, 201);
    }
    if (sub !== undefined && method === 'PATCH') {
      const row = editStage(store, decodeURIComponent(sub), await obj());
      return ok({ id: row.Id, stages: stageSummary(store) });
    }
  }
  return undefined;
}

/** Text types' default and largest lengths, as Setup offers them (a Long Text Area: 131,072). */
const MAX_LENGTH: Partial<Record<SoqlFieldType, number>> = { string: 255, textarea: 131_072, picklist: 255 };

function customField(store: EmulatorState['store'], b: Record<string, unknown>): CustomFieldSpec {
  const sobject = typeof b.sobject === 'string' ? store.def(b.sobject)?.name : undefined;
  if (!sobject)
    throw apiError(400, 'INVALID_ARGUMENT', 'give sobject (an object of the org, e.g. Opportunity)');
  const name = typeof b.name === 'string' ? b.name : '';
  if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(name))
    throw apiError(400, 'INVALID_ARGUMENT', `a custom field name ends in __c: ${name || '(none)'}`);
  if (store.def(sobject)?.fieldsByLower.has(name.toLowerCase()))
    throw apiError(400, 'DUPLICATE_DEVELOPER_NAME', `${sobject} already has a field ${name}`);
  const type = CUSTOM_FIELD_TYPES.find((t) => t === b.type);
  if (!type) throw apiError(400, 'INVALID_ARGUMENT', `type is one of ${CUSTOM_FIELD_TYPES.join(', ')}`);
  const max = MAX_LENGTH[type] ?? 0;
  const length = b.length === undefined ? max : Number(b.length);
  if (max > 0 && !(Number.isInteger(length) && length >= 1 && length <= max))
    throw apiError(400, 'INVALID_ARGUMENT', `length of a ${type} field is 1 to ${max}`);
  const picklist = Array.isArray(b.picklist) ? b.picklist.map(String) : [];
  return {
    sobject,
    name,
    label: typeof b.label === 'string' ? b.label : name.replace(/__c$/, '').replace(/_/g, ' '),
    type,
    length: max > 0 ? length : 0,
    picklist,
    restrictedPicklist: b.restrictedPicklist === true,
  };
}
