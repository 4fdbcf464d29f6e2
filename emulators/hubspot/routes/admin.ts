// The admin API under /__emulator/ (no auth; loopback only): reset, seed, faults, limits, clock,
// stats, owners, currencies, restore, export. Documented in docs/emulators/hubspot.md.
import { HubError, badRequest, isRecord, noContent, objectBody, ok } from '../http.js';
import type { Faults, FaultSpec, Stats } from '../control.js';
import type { Portal } from '../portal.js';
import { TIER_LIMITS, type RateLimiter, type Tier } from '../ratelimit.js';
import { commitRestore, toObject } from '../records.js';
import { objectType, param, route, type Route } from '../router.js';
import { exportPortalData, loadPortalData, seedDemo, seedSizes } from '../seed.js';
import { seedMessy } from '../seed-messy.js';

export interface AdminContext {
  portal: Portal;
  limiter: RateLimiter;
  faults: Faults;
  stats: Stats;
  clock: { now(): number; set(ms: number): void; advance(ms: number): void; freeze(on: boolean): void };
  accessToken: string;
  /** The private-app token's scopes (`PUT /__emulator/token`). */
  scopes: string[];
  /** The webhooks engine, reset with the portal. */
  webhooks: { reset(): void };
}

const num = (v: unknown, name: string): number => {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n)) throw badRequest(`${name} must be a number`);
  return n;
};

function limitsView(a: AdminContext) {
  return { ...a.limiter.settings, usage: a.limiter.usage(a.accessToken) };
}

export function adminRoutes(a: AdminContext): Route[] {
  const { portal } = a;
  return [
    route('POST', '/__emulator/reset', () => {
      portal.reset();
      a.limiter.reset();
      a.faults.clear();
      a.stats.reset();
      a.webhooks.reset();
      return noContent();
    }),
    route('POST', '/__emulator/seed', (ctx) => {
      const body = isRecord(ctx.body) ? ctx.body : {};
      if (body.reset !== false) portal.reset();
      if (body.kind === 'demo') seedDemo(portal);
      else if (body.kind === 'messy') seedMessy(portal);
      else if (body.data !== undefined) loadPortalData(portal, body.data);
      const made = seedSizes(portal, {
        deals: optNum(body.deals),
        contacts: optNum(body.contacts),
        companies: optNum(body.companies),
        associations: optNum(body.associations),
        uniqueProperty: typeof body.uniqueProperty === 'string' ? body.uniqueProperty : undefined,
        materialize: body.materialize === true,
      });
      return ok(counts(portal, made));
    }),
    route('GET', '/__emulator/export', () => ok(exportPortalData(portal))),
    route('GET', '/__emulator/token', () => ok({ accessToken: a.accessToken, scopes: a.scopes })),
    // A new token for the portal (`accessToken`, optional) with the given scopes: what an admin
    // gets by changing a private app's scopes in HubSpot (the token is rotated, the scopes set).
    route('PUT', '/__emulator/token', (ctx) => {
      const body = objectBody(ctx.body);
      const scopes = body.scopes;
      if (!Array.isArray(scopes) || !scopes.every((x): x is string => typeof x === 'string'))
        throw badRequest('scopes must be a list of scope names');
      if (body.accessToken !== undefined) {
        if (typeof body.accessToken !== 'string' || !body.accessToken)
          throw badRequest('accessToken must be a non-empty string');
        a.accessToken = body.accessToken;
      }
      a.scopes = [...scopes];
      return ok({ accessToken: a.accessToken, scopes: a.scopes });
    }),
    route('GET', '/__emulator/counts', () => ok(counts(portal))),

    route('GET', '/__emulator/faults', () => ok({ results: a.faults.all() })),
    route('POST', '/__emulator/faults', (ctx) => {
      const b = objectBody(ctx.body);
      if (typeof b.path !== 'string')
        throw badRequest('path (a glob such as /crm/v3/objects/deals/*) is required');
      return ok(a.faults.add(b as unknown as FaultSpec), 201);
    }),
    route('DELETE', '/__emulator/faults', () => {
      a.faults.clear();
      return noContent();
    }),
    route('DELETE', '/__emulator/faults/{id}', (ctx) => {
      if (!a.faults.remove(param(ctx, 0))) throw new HubError(404, 'OBJECT_NOT_FOUND', 'No such fault');
      return noContent();
    }),

    route('GET', '/__emulator/limits', () => ok(limitsView(a))),
    route('POST', '/__emulator/limits', (ctx) => {
      const b = objectBody(ctx.body);
      const s = a.limiter.settings;
      if (b.tier !== undefined) {
        if (!(String(b.tier) in TIER_LIMITS))
          throw badRequest('tier must be starter, professional or enterprise');
        s.tier = b.tier as Tier;
        s.burst = TIER_LIMITS[s.tier].burst;
        s.daily = TIER_LIMITS[s.tier].daily;
      }
      if (b.burst !== undefined) s.burst = num(b.burst, 'burst');
      if (b.daily !== undefined) s.daily = num(b.daily, 'daily');
      if (b.searchPerSecond !== undefined) s.searchPerSecond = num(b.searchPerSecond, 'searchPerSecond');
      if (b.intervalMs !== undefined) s.intervalMs = num(b.intervalMs, 'intervalMs');
      if (b.enabled !== undefined) s.enabled = b.enabled === true;
      if (b.resetUsage === true) a.limiter.reset();
      return ok(limitsView(a));
    }),

    route('GET', '/__emulator/clock', () =>
      ok({ now: new Date(a.clock.now()).toISOString(), ms: a.clock.now() }),
    ),
    route('POST', '/__emulator/clock', (ctx) => {
      const b = objectBody(ctx.body);
      if (b.set !== undefined) a.clock.set(typeof b.set === 'string' ? Date.parse(b.set) : num(b.set, 'set'));
      if (b.advanceMs !== undefined) a.clock.advance(num(b.advanceMs, 'advanceMs'));
      if (b.freeze !== undefined) a.clock.freeze(b.freeze === true);
      return ok({ now: new Date(a.clock.now()).toISOString(), ms: a.clock.now() });
    }),

    route('GET', '/__emulator/stats', () => ok(a.stats.toJSON())),
    route('DELETE', '/__emulator/stats', () => {
      a.stats.reset();
      return noContent();
    }),

    route('GET', '/__emulator/owners', () => ok({ results: [...portal.owners.values()] })),
    route('POST', '/__emulator/owners', (ctx) => {
      const b = objectBody(ctx.body);
      if (typeof b.email !== 'string') throw badRequest('email is required');
      const o = portal.addOwner({
        email: b.email,
        firstName: typeof b.firstName === 'string' ? b.firstName : undefined,
        lastName: typeof b.lastName === 'string' ? b.lastName : undefined,
        id: b.id === undefined ? undefined : num(b.id, 'id'),
      });
      return ok(o, 201);
    }),
    route('DELETE', '/__emulator/owners/{id}', (ctx) => {
      const o = portal.owners.get(Number(param(ctx, 0)));
      if (!o) throw new HubError(404, 'OBJECT_NOT_FOUND', 'No such owner');
      o.archived = true;
      o.updatedAt = portal.now();
      return noContent();
    }),

    route('POST', '/__emulator/currencies', (ctx) => {
      const b = objectBody(ctx.body);
      if (typeof b.companyCurrency === 'string') portal.companyCurrency = b.companyCurrency.toUpperCase();
      if (typeof b.code === 'string') {
        portal.addRate(
          b.code.toUpperCase(),
          num(b.rate, 'rate'),
          b.effectiveAt === undefined ? undefined : Date.parse(String(b.effectiveAt)),
        );
      }
      return ok({
        companyCurrency: portal.companyCurrency,
        currencies: portal.currencies(),
        rates: [...portal.rates.values()],
      });
    }),

    route('POST', '/__emulator/objects/{objectType}/{objectId}/restore', (ctx) => {
      const type = objectType(param(ctx, 0)).name;
      const rec = portal.objects[type].get(Number(param(ctx, 1)));
      if (!rec) throw new HubError(404, 'OBJECT_NOT_FOUND', 'No such record');
      commitRestore(portal, type, rec);
      return ok(toObject(portal, type, rec, undefined));
    }),
  ];
}

const optNum = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));

function counts(portal: Portal, _made?: unknown) {
  return {
    contacts: portal.objects.contacts.liveCount,
    companies: portal.objects.companies.liveCount,
    deals: portal.objects.deals.liveCount,
    associations: portal.associations.count,
    owners: portal.owners.size,
  };
}
