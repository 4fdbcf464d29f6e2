// Owners v3, account details and the currencies settings API (company currency, exchange rates).
import { HubError, badRequest, iso, objectBody, ok } from '../http.js';
import type { ExchangeRate, Owner } from '../portal.js';
import { param, route, type Route } from '../router.js';

function ownerJson(o: Owner) {
  return {
    id: String(o.id),
    email: o.email,
    type: 'PERSON',
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    userIdIncludingInactive: o.userId,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    archived: o.archived,
    teams: [],
  };
}

function rateJson(r: ExchangeRate) {
  return {
    id: r.id,
    fromCurrencyCode: r.fromCurrencyCode,
    toCurrencyCode: r.toCurrencyCode,
    conversionRate: r.conversionRate,
    effectiveAt: iso(r.effectiveAt),
    visibleInUI: r.visibleInUI,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

/** Minutes east of UTC for the portal's time zone at `at` (via Intl, no tz database of our own). */
function utcOffsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(at / 1000) * 1000;
}

function offsetText(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const m = Math.abs(ms) / 60000;
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

const CODES: [string, string][] = [
  ['USD', 'US Dollar'],
  ['EUR', 'Euro'],
  ['GBP', 'British Pound'],
  ['CAD', 'Canadian Dollar'],
  ['AUD', 'Australian Dollar'],
  ['CHF', 'Swiss Franc'],
  ['JPY', 'Japanese Yen'],
  ['SEK', 'Swedish Krona'],
  ['NOK', 'Norwegian Krone'],
  ['DKK', 'Danish Krone'],
  ['INR', 'Indian Rupee'],
  ['BRL', 'Brazilian Real'],
  ['MXN', 'Mexican Peso'],
];

export const settingsRoutes: Route[] = [
  route('GET', '/crm/v3/owners', (ctx) => {
    const email = ctx.query.get('email')?.toLowerCase();
    const archived = ctx.query.get('archived') === 'true';
    const limit = Math.min(Math.max(Number(ctx.query.get('limit') ?? 100) || 100, 1), 500);
    const after = Number(ctx.query.get('after') ?? 0) || 0;
    const all = [...ctx.portal.owners.values()]
      .filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email))
      .sort((a, b) => a.id - b.id);
    const page = all.filter((o) => o.id >= after).slice(0, limit + 1);
    const body: Record<string, unknown> = { results: page.slice(0, limit).map(ownerJson) };
    const next = page[limit];
    if (next) body.paging = { next: { after: String(next.id), link: `?after=${next.id}` } };
    return ok(body);
  }),
  route('GET', '/crm/v3/owners/{ownerId}', (ctx) => {
    const id = Number(param(ctx, 0));
    const byUser = ctx.query.get('idProperty') === 'userId';
    const archived = ctx.query.get('archived') === 'true';
    const o = [...ctx.portal.owners.values()].find(
      (x) => (byUser ? x.userId : x.id) === id && x.archived === archived,
    );
    if (!o) throw new HubError(404, 'OBJECT_NOT_FOUND', `Unable to find owner ${param(ctx, 0)}`);
    return ok(ownerJson(o));
  }),

  route('GET', '/account-info/v3/details', (ctx) => {
    const off = utcOffsetMs(ctx.portal.timeZone, ctx.portal.now());
    return ok({
      portalId: ctx.portal.portalId,
      accountType: 'STANDARD',
      timeZone: ctx.portal.timeZone,
      companyCurrency: ctx.portal.companyCurrency,
      additionalCurrencies: ctx.portal.currencies().slice(1),
      utcOffset: offsetText(off),
      utcOffsetMilliseconds: off,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
  }),

  route('GET', '/settings/v3/currencies/codes', () =>
    ok({ results: CODES.map(([currencyCode, currencyName]) => ({ currencyCode, currencyName })) }),
  ),
  route('GET', '/settings/v3/currencies/company-currency', (ctx) =>
    ok({
      currencyCode: ctx.portal.companyCurrency,
      currencyName: CODES.find(([c]) => c === ctx.portal.companyCurrency)?.[1] ?? '',
    }),
  ),
  route('GET', '/settings/v3/currencies/exchange-rates', (ctx) =>
    ok({ results: [...ctx.portal.rates.values()].map(rateJson) }),
  ),
  route('GET', '/settings/v3/currencies/exchange-rates/current', (ctx) => {
    const now = ctx.portal.now();
    const current = new Map<string, ExchangeRate>();
    for (const r of ctx.portal.rates.values()) {
      const prev = current.get(r.fromCurrencyCode);
      if (r.effectiveAt <= now && (!prev || r.effectiveAt >= prev.effectiveAt))
        current.set(r.fromCurrencyCode, r);
    }
    return ok({ results: [...current.values()].map(rateJson) });
  }),
  route('POST', '/settings/v3/currencies/exchange-rates', (ctx) => {
    const b = objectBody(ctx.body);
    const code = typeof b.fromCurrencyCode === 'string' ? b.fromCurrencyCode.toUpperCase() : '';
    if (!CODES.some(([c]) => c === code))
      throw badRequest(`fromCurrencyCode ${code} is not a supported currency code`);
    if (code === ctx.portal.companyCurrency)
      throw badRequest('fromCurrencyCode cannot be the company currency');
    const rate = Number(b.conversionRate);
    if (!(rate > 0)) throw badRequest('conversionRate must be greater than 0');
    const effectiveAt = typeof b.effectiveAt === 'string' ? Date.parse(b.effectiveAt) : undefined;
    return ok(rateJson(ctx.portal.addRate(code, rate, effectiveAt)), 201);
  }),
];
