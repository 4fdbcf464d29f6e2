// A tiny method+regex router; each route also names a stable key used by stats, faults and the
// search rate limit (e.g. `POST /crm/v3/objects/{objectType}/batch/upsert`).
import type { Portal } from './portal.js';
import type { Reply } from './http.js';
import { HubError } from './http.js';
import { resolveObjectType, type ObjectTypeInfo } from './schema.js';

export interface Ctx {
  portal: Portal;
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  params: string[];
}

export interface Route {
  method: string;
  re: RegExp;
  key: string;
  /** Counted against search's own per-second limit instead of the burst window. */
  search?: boolean;
  handle(ctx: Ctx): Reply | Promise<Reply>;
}

export function route(
  method: string,
  pattern: string,
  handle: Route['handle'],
  opts: { search?: boolean } = {},
): Route {
  // `{name}` segments match one path segment.
  const re = new RegExp('^' + pattern.replace(/\{[^}]+\}/g, '([^/]+)') + '/?$');
  return { method, re, key: `${method} ${pattern}`, handle, ...opts };
}

export function match(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.re.exec(path);
    if (m) return { route: r, params: m.slice(1).map((s) => decodeURIComponent(s)) };
  }
  return undefined;
}

export function objectType(raw: string | undefined): ObjectTypeInfo {
  const t = raw === undefined ? undefined : resolveObjectType(raw);
  if (!t) throw new HubError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
  return t;
}

/** `properties=a,b` and `properties=a&properties=b` both work in HubSpot. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (!all.length) return undefined;
  return all
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function param(ctx: Ctx, i: number): string {
  return ctx.params[i] ?? '';
}
