// The admin API under /__emulator/ (no auth, JSON in and out): reset, seed, load/export, faults,
// tokens, clock, undelete, merge, limits, raw records and stats; Setup changes are in admin-setup.ts. Documented in docs/emulators/salesforce.md.
import type { EmulatorState } from '../state.js';
import type { Reply } from '../http.js';
import { isObject } from '../http.js';
import { apiError } from '../errors.js';
import type { FaultSpec } from '../faults.js';
import type { SeedOptions } from '../seed.js';
import { exportOrg, insertRecord, loadOrg } from '../data-file.js';
import type { OrgDocument } from '../data-file.js';
import { formatDateTime, parseDateTime } from '../time.js';
import type { OrgStore } from '../store.js';
import { setupAdmin } from './admin-setup.js';
import { automationAdmin } from './admin-automation.js';
import { mergeRecords } from '../merge.js';
import { normalizeId } from '../ids.js';
import { cdcAdmin } from './admin-cdc.js';

export type SeedKind = 'empty' | 'demo' | 'messy' | 'sized';
export interface SeedRequest extends SeedOptions {
  kind?: SeedKind;
}

export interface AdminHooks {
  /** Builds an org for a seed request (the emulator's seeding function). */
  seed(req: SeedRequest): OrgStore;
  /** The seed the emulator started with, for reset. */
  initial(): OrgStore;
}

function orgSummary(state: EmulatorState) {
  const counts: Record<string, { live: number; deleted: number }> = {};
  for (const t of state.store.allTables())
    counts[t.def.name] = { live: t.liveCount, deleted: t.deletedQueue.length };
  return {
    orgId: state.store.orgId,
    apiUserId: state.store.apiUserId,
    multiCurrency: state.store.multiCurrency,
    corporateCurrency: state.store.corporateCurrency,
    now: formatDateTime(state.clock.now()),
    apiUsage: { used: state.usage.used, allocation: state.usage.allocation },
    openCursors: state.cursors.size,
    records: counts,
  };
}

function parseDuration(v: unknown): number {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? /^(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(v.trim()) : null;
  if (!m)
    throw apiError(
      400,
      'INVALID_ARGUMENT',
      `duration must be milliseconds or like "90s", "15m", "2h", "16d": ${String(v)}`,
    );
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

function faultSpec(v: unknown): FaultSpec {
  if (!isObject(v) || typeof v.route !== 'string')
    throw apiError(400, 'INVALID_ARGUMENT', 'a fault needs a route (route name or "*")');
  const num = (k: string) => (v[k] === undefined ? undefined : Number(v[k]));
  return {
    route: v.route,
    ...(v.status !== undefined ? { status: Number(v.status) } : {}),
    ...(v.body !== undefined ? { body: v.body } : {}),
    ...(isObject(v.headers) ? { headers: v.headers as Record<string, string> } : {}),
    ...(num('probability') !== undefined ? { probability: num('probability')! } : {}),
    ...(num('everyNth') !== undefined ? { everyNth: num('everyNth')! } : {}),
    ...(num('times') !== undefined ? { times: num('times')! } : {}),
    ...(v.delayMs !== undefined ? { delayMs: parseDuration(v.delayMs) } : {}),
    ...(v.expireTokens === true ? { expireTokens: true } : {}),
    ...(typeof v.rawBody === 'string' ? { rawBody: v.rawBody } : {}),
    ...(typeof v.contentType === 'string' ? { contentType: v.contentType } : {}),
    ...(num('truncateAfter') !== undefined ? { truncateAfter: num('truncateAfter')! } : {}),
  };
}

export async function admin(
  state: EmulatorState,
  hooks: AdminHooks,
  method: string,
  path: string[],
  body: () => Promise<unknown>,
): Promise<Reply> {
  const [what, sub, extra] = path;
  const ok = (b: unknown, status = 200): Reply => ({ status, body: b });
  const obj = async () => {
    const b = await body().catch(() => ({}));
    return isObject(b) ? b : {};
  };
  const route = `${method} ${what ?? ''}${sub !== undefined ? '/' + sub : ''}`;
  switch (route) {
    case 'GET state':
      return ok(orgSummary(state));
    case 'POST reset': {
      state.clock.set(Date.now());
      state.replaceStore(hooks.initial());
      state.events.reset();
      state.streaming.drop();
      state.faults.clear();
      state.stats.reset();
      state.usage.reset();
      return ok(orgSummary(state));
    }
    case 'POST seed': {
      const b = (await obj()) as SeedRequest;
      state.replaceStore(hooks.seed(b));
      return ok(orgSummary(state));
    }
    case 'POST load': {
      const b = (await obj()) as OrgDocument;
      try {
        state.replaceStore(loadOrg(state.clock, b));
      } catch (e) {
        throw apiError(400, 'INVALID_ARGUMENT', (e as Error).message);
      }
      return ok(orgSummary(state));
    }
    case 'GET export':
      return ok(exportOrg(state.store));
    case 'GET faults':
      return ok({ faults: state.faults.list() });
    case 'POST faults': {
      const b = await obj();
      const specs = Array.isArray(b.faults) ? b.faults : [b];
      return ok({ faults: specs.map((s) => state.faults.add(faultSpec(s))) }, 201);
    }
    case 'DELETE faults':
      state.faults.clear();
      return { status: 204 };
    case 'POST tokens': {
      const b = await obj();
      const userId =
        typeof b.username === 'string' ? state.userByUsername(b.username) : state.store.apiUserId;
      if (!userId) throw apiError(404, 'NOT_FOUND', 'no such active user');
      const { token, info } = state.tokens.issueAccess(state.store.orgId, userId);
      return ok({
        accessToken: token,
        refreshToken: state.tokens.issueRefresh(state.store.orgId, userId),
        instanceUrl: state.baseUrl,
        id: `${state.baseUrl}/id/${state.store.orgId}/${userId}`,
        userId,
        expiresAt: formatDateTime(info.expiresAt),
      });
    }
    case 'POST tokens/expire':
      return ok({ expired: state.tokens.expireAll() });
    case 'POST tokens/revoke':
      // The admin revoking every app's OAuth access (Setup › Connected Apps OAuth Usage).
      return ok({ revoked: state.tokens.revokeAllRefresh() });
    case 'GET clock':
      return ok({
        now: formatDateTime(state.clock.now()),
        epochMs: state.clock.now(),
        frozen: state.clock.frozen,
      });
    case 'POST clock': {
      const b = await obj();
      if (b.set !== undefined) {
        const t = typeof b.set === 'number' ? b.set : parseDateTime(String(b.set));
        if (t === undefined) throw apiError(400, 'INVALID_ARGUMENT', `bad time ${String(b.set)}`);
        state.clock.set(t, b.freeze === true);
      } else if (b.freeze === true) state.clock.set(state.clock.now(), true);
      else if (b.freeze === false) state.clock.unfreeze();
      if (b.advance !== undefined) state.clock.advance(parseDuration(b.advance));
      return ok({
        now: formatDateTime(state.clock.now()),
        epochMs: state.clock.now(),
        frozen: state.clock.frozen,
      });
    }
    case 'POST undelete': {
      const b = await obj();
      const ids = Array.isArray(b.ids) ? b.ids.map(String) : typeof b.id === 'string' ? [b.id] : [];
      if (ids.length === 0) throw apiError(400, 'INVALID_ARGUMENT', 'give ids: [...] or id');
      const results = ids.map((id) => {
        try {
          return { id: state.store.undelete(id).Id, success: true, errors: [] };
        } catch (e) {
          return { id, success: false, errors: [{ message: (e as Error).message }] };
        }
      });
      return ok({ results });
    }
    case 'POST transaction': {
      // Anonymous Apex's `update records;`: many records, one transaction (one set of change events).
      const b = await obj();
      const ids = Array.isArray(b.ids) ? b.ids.map(String) : [];
      if (typeof b.type !== 'string' || ids.length === 0 || !isObject(b.values))
        throw apiError(400, 'INVALID_ARGUMENT', 'give type, ids: [...] and values: {...}');
      const userId = state.store.apiUserId;
      for (const id of ids) state.store.update(b.type, id, b.values, userId);
      return ok({ updated: ids.length });
    }
    case 'POST merge': {
      // Salesforce merges through SOAP merge() and Apex, not REST: this is that merge (merge.ts).
      const b = await obj();
      const type = b.type;
      const ids = Array.isArray(b.mergeIds) ? b.mergeIds.map(String) : [];
      if ((type !== 'Account' && type !== 'Contact') || typeof b.masterId !== 'string')
        throw apiError(
          400,
          'INVALID_ARGUMENT',
          'give type (Account or Contact), masterId and mergeIds: [...]',
        );
      const id = (raw: string) => normalizeId(raw) ?? raw;
      mergeRecords(state.store, type, id(b.masterId), ids.map(id));
      return ok({ id: id(b.masterId), mergedIds: ids.map(id) });
    }
    case 'GET limits':
      return ok({
        used: state.usage.used,
        allocation: state.usage.allocation,
        remaining: state.usage.remaining(),
      });
    case 'POST limits': {
      const b = await obj();
      if (b.allocation !== undefined) state.usage.allocation = Number(b.allocation);
      if (b.used !== undefined) state.usage.used = Number(b.used);
      return ok({
        used: state.usage.used,
        allocation: state.usage.allocation,
        remaining: state.usage.remaining(),
      });
    }
    case 'GET stats':
      return ok(state.stats.toJSON());
    case 'DELETE stats':
      state.stats.reset();
      return { status: 204 };
    default:
      break;
  }
  if (what === 'cdc' && extra === undefined) {
    const r = cdcAdmin(state, method, sub, method === 'GET' ? {} : await obj());
    if (r) return r;
  }
  if (what === 'faults' && sub !== undefined && extra === undefined && method === 'DELETE') {
    return state.faults.remove(Number(sub))
      ? { status: 204 }
      : ok([{ errorCode: 'NOT_FOUND', message: 'no such fault' }], 404);
  }
  if (what === 'records' && sub !== undefined && extra === undefined && method === 'POST') {
    // Raw insert, bypassing validation: lets tests plant records with past timestamps.
    const b = await obj();
    const list = Array.isArray(b.records) ? b.records : [b];
    try {
      const refs = new Map<string, string>();
      const ids = list.map(
        (r, i) => insertRecord(state.store, sub, isObject(r) ? r : {}, refs, `${sub}[${i}]`).Id as string,
      );
      return ok({ ids }, 201);
    } catch (e) {
      throw apiError(400, 'INVALID_ARGUMENT', (e as Error).message);
    }
  }
  const setup =
    (await setupAdmin(state, method, path, obj)) ?? (await automationAdmin(state, method, path, obj));
  if (setup) return setup;
  return ok(
    [{ errorCode: 'NOT_FOUND', message: `no admin route ${method} /__emulator/${path.join('/')}` }],
    404,
  );
}
