// Admin routes for Setup changes to opportunity record types and stages (docs/emulators/salesforce.md,
// "Setup changes"): list, add, rename, (de)activate, change a sales process, set a default.
import type { EmulatorState } from '../state.js';
import type { Reply } from '../http.js';
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
