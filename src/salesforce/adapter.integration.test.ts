// The adapter against a tiny fake Salesforce (wire shapes from API-FACTS.md §2): auth flows,
// paging, exact decimals, limits, retries and error mapping. The emulator suite checks the same
// adapter against the full Salesforce emulator.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDealbridgeError } from '../errors/index.js';
import { createSalesforceAdapter, type SalesforceAdapterConfig } from './adapter.js';

const V = '/services/data/v62.0';
const OPP1 = '006000000000001AAA';
const OPP2 = '006000000000002AAA';
const fast = { maxAttempts: 3, baseMs: 1, capMs: 5, maxWaitMs: 1000 };

interface FakeState {
  tokensIssued: number;
  validToken: string;
  multiCurrency: boolean;
  used: number;
  max: number;
  failNext: { status: number; body: unknown }[];
  always401: boolean;
  log: { method: string; url: string; auth?: string }[];
  queries: string[];
  /** Raw query pages by path, instead of PAGE1 / PAGE2. */
  pages?: Record<string, string>;
}

let state: FakeState;
let server: Server;
let base = '';

function reset(): void {
  state = {
    tokensIssued: 0,
    validToken: 'none',
    multiCurrency: false,
    used: 10,
    max: 1000,
    failNext: [],
    always401: false,
    log: [],
    queries: [],
  };
}

// Raw JSON text with numbers as Salesforce writes them (1.39E8 and 18 significant digits included).
const PAGE1 = `{"totalSize":3,"done":false,"nextRecordsUrl":"${V}/query/01gFAKE-2","records":[
 {"attributes":{"type":"Opportunity"},"Id":"${OPP1}","Name":"Big","Amount":1234567890123456.78,"CloseDate":"2024-06-30",
  "CreatedDate":"2024-05-20T20:49:32.000+0000","StageName":"Prospecting","IsClosed":false,"IsWon":false,"Type":null,
  "Description":"multi\\nline","OwnerId":"005000000000001AAA","AccountId":null,"SystemModstamp":"2024-05-21T10:00:00.123+0000",
  "IsDeleted":false,"Score__c":1.5E2,"Account":null,
  "OpportunityContactRoles":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"OpportunityContactRole"},
   "Id":"00K000000000001AAA","OpportunityId":"${OPP1}","ContactId":"003000000000001AAA","Role":"Decision Maker","IsPrimary":true,
   "SystemModstamp":"2024-05-21T10:00:00.000+0000","IsDeleted":false}]}},
 {"attributes":{"type":"Opportunity"},"Id":"${OPP2}","Name":"Rev","Amount":1.39E8,"CloseDate":null,
  "CreatedDate":"2024-05-20T20:49:32.000+0000","StageName":"Closed Won","IsClosed":true,"IsWon":true,"Type":"New Customer",
  "Description":null,"OwnerId":null,"AccountId":"001000000000001AAA","SystemModstamp":"2024-05-21T10:00:01.000+0000",
  "IsDeleted":true,"Score__c":null,"OpportunityContactRoles":null}]}`;
const PAGE2 = `{"totalSize":3,"done":true,"records":[
 {"attributes":{"type":"Opportunity"},"Id":"006000000000003AAA","Name":"Small","Amount":0.1,"CloseDate":"2024-01-01",
  "CreatedDate":"2024-01-01T00:00:00.000+0000","StageName":"Prospecting","IsClosed":false,"IsWon":false,"Type":null,
  "Description":null,"OwnerId":null,"AccountId":null,"SystemModstamp":"2024-05-21T10:00:02.000+0000","IsDeleted":false,
  "Score__c":3,"OpportunityContactRoles":null}]}`;

function send(res: ServerResponse, status: number, body: unknown, raw = false): void {
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'sforce-limit-info': `api-usage=${state.used}/${state.max}`,
  });
  res.end(raw ? (body as string) : JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const url = new URL(req.url ?? '/', base);
  state.log.push({
    method: req.method ?? '',
    url: url.pathname + url.search,
    auth: req.headers.authorization,
  });
  if (url.pathname === '/services/oauth2/token') {
    const p = new URLSearchParams(body);
    const ok =
      (p.get('grant_type') === 'client_credentials' && p.get('client_secret') === 'secret') ||
      (p.get('grant_type') === 'refresh_token' && p.get('refresh_token') === 'rt-good');
    if (!ok || p.get('client_id') !== 'cid') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'authentication failure' }));
      return;
    }
    state.validToken = `tok${++state.tokensIssued}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: state.validToken,
        instance_url: base,
        id: `${base}/id/00D000000000001AAA/005000000000001AAA`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'x',
      }),
    );
    return;
  }
  if (state.always401 || req.headers.authorization !== `Bearer ${state.validToken}`) {
    send(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    return;
  }
  const fail = state.failNext.shift();
  if (fail) return send(res, fail.status, fail.body);
  state.used++;
  if (url.pathname === `${V}/sobjects/Opportunity/describe`) {
    const fields = [
      'Id',
      'Name',
      'Amount',
      'StageName',
      'Type',
      ...(state.multiCurrency ? ['CurrencyIsoCode'] : []),
    ];
    return send(res, 200, {
      name: 'Opportunity',
      fields: fields.map((name) => ({
        name,
        label: name,
        type: name === 'Type' ? 'picklist' : 'string',
        picklistValues:
          name === 'Type'
            ? [
                { value: 'New Customer', active: true },
                { value: 'Old', active: false },
              ]
            : [],
      })),
    });
  }
  if (url.pathname === `${V}/queryAll` || url.pathname === `${V}/query`) {
    const q = url.searchParams.get('q') ?? '';
    state.queries.push(q);
    if (q.includes('MALFORMED'))
      return send(res, 400, [{ message: 'unexpected token', errorCode: 'MALFORMED_QUERY' }]);
    return send(res, 200, state.pages?.[url.pathname] ?? PAGE1, true);
  }
  const page = state.pages?.[url.pathname];
  if (page !== undefined) return send(res, 200, page, true);
  if (url.pathname === `${V}/query/01gFAKE-2`) return send(res, 200, PAGE2, true);
  if (url.pathname === `${V}/limits`) {
    res.writeHead(200, { 'content-type': 'application/json', date: 'Tue, 21 May 2024 10:00:05 GMT' });
    res.end(JSON.stringify({ DailyApiRequests: { Max: state.max, Remaining: state.max - state.used } }));
    return;
  }
  if (url.pathname === `${V}/sobjects/Opportunity/deleted/`) {
    return send(res, 200, {
      deletedRecords: [{ id: OPP2, deletedDate: '2024-05-21T09:00:00.000+0000' }],
      earliestDateAvailable: '2024-05-01T00:00:00.000+0000',
      latestDateCovered: '2024-05-21T10:00:00.000+0000',
    });
  }
  send(res, 404, [{ message: 'not found', errorCode: 'NOT_FOUND' }]);
}

before(async () => {
  reset();
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(reset);

function cfg(over: Partial<SalesforceAdapterConfig> = {}): SalesforceAdapterConfig {
  return {
    loginUrl: base,
    clientId: 'cid',
    clientSecret: 'secret',
    apiVersion: '62.0',
    budgetPercent: 80,
    retryPolicy: fast,
    ...over,
  };
}

const SINCE = { modstamp: '2024-05-21T00:00:00.000Z', id: OPP1 };

function roleRow(id: string): string {
  return (
    `{"attributes":{"type":"OpportunityContactRole"},"Id":"${id}","OpportunityId":"${OPP1}","ContactId":"003${id.slice(3)}",` +
    `"Role":null,"IsPrimary":false,"SystemModstamp":"2024-05-21T10:00:00.000+0000","IsDeleted":false}`
  );
}

const paging = (p: { done: boolean; next?: string }) =>
  `"done":${p.done}${p.next ? `,"nextRecordsUrl":"${V}/query/${p.next}"` : ''}`;

/** A page of one opportunity row whose OpportunityContactRoles result pages as given. */
function rowPage(
  page: { done: boolean; next?: string },
  roles: { done: boolean; next?: string; ids: string[] },
) {
  return `{"totalSize":1,${paging(page)},"records":[{"attributes":{"type":"Opportunity"},"Id":"${OPP1}","Name":"Big",
  "Amount":1,"CloseDate":null,"CreatedDate":"2024-05-20T20:49:32.000+0000","StageName":"Prospecting","IsClosed":false,
  "IsWon":false,"Type":null,"Description":null,"OwnerId":null,"AccountId":null,"SystemModstamp":"2024-05-21T10:00:00.000+0000",
  "IsDeleted":false,"OpportunityContactRoles":{"totalSize":3,${paging(roles)},"records":[${roles.ids.map(roleRow).join(',')}]}}]}`;
}

/** A queryMore page of contact roles. */
function rolesPage(done: boolean, ids: string[], next?: string): string {
  return `{"totalSize":3,${paging({ done, ...(next ? { next } : {}) })},"records":[${ids.map(roleRow).join(',')}]}`;
}

async function collect<T>(it: AsyncIterable<T[]>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const p of it) pages.push(p);
  return pages;
}

async function rejectsWith(p: Promise<unknown>, code: string, msg?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isDealbridgeError(e), `not a DealbridgeError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (msg) assert.match(e.message, msg);
    return true;
  });
}

describe('Salesforce adapter (fake server)', () => {
  it('client credentials, paged queryAll, exact decimals, normalised datetimes, contact roles, extras', async () => {
    const sf = await createSalesforceAdapter(cfg());
    const pages = await collect(
      sf.opportunitiesChangedSince(
        { modstamp: '2024-05-21T10:00:00.500Z', id: OPP1 },
        { extraFields: ['Score__c', 'Account.Name'] },
      ),
    );
    assert.deepEqual(
      pages.map((p) => p.length),
      [2, 1],
    );
    const [o1, o2] = pages[0]!;
    assert.equal(o1!.Amount, '1234567890123456.78');
    assert.equal(o2!.Amount, '139000000');
    assert.equal(pages[1]![0]!.Amount, '0.1');
    assert.equal(o1!.CreatedDate, '2024-05-20T20:49:32.000Z');
    assert.equal(o1!.SystemModstamp, '2024-05-21T10:00:00.123Z');
    assert.equal(o1!.Description, 'multi\nline');
    assert.equal(o1!.CurrencyIsoCode, null);
    assert.equal(o1!.contactRoles.length, 1);
    assert.equal(o1!.contactRoles[0]!.ContactId, '003000000000001AAA');
    assert.deepEqual(o2!.contactRoles, []);
    assert.equal(o2!.IsDeleted, true);
    assert.deepEqual(o1!.extra, { Score__c: '150', 'Account.Name': null });
    const q = state.queries[0]!;
    assert.match(
      q,
      /FROM OpportunityContactRoles\) FROM Opportunity WHERE SystemModstamp >= 2024-05-21T10:00:00Z/,
    );
    assert.doesNotMatch(q, /CurrencyIsoCode|RecordTypeId/);
    assert.ok(state.log.some((l) => l.url.startsWith(`${V}/queryAll?q=`)));
    assert.ok(
      state.log.every((l) => !l.url.startsWith(`${V}/query?`)),
      'change feed uses queryAll',
    );
    assert.deepEqual(sf.usage() && { used: sf.usage()!.used, max: sf.usage()!.max }, {
      used: state.used,
      max: 1000,
    });
    sf.close();
  });

  it('contact roles past the first page of a row are read from its nextRecordsUrl, page by page', async () => {
    state.pages = {
      [`${V}/queryAll`]: rowPage(
        { done: true },
        { done: false, next: '01gROLES-2', ids: ['00K000000000001AAA'] },
      ),
      [`${V}/query/01gROLES-2`]: rolesPage(false, ['00K000000000002AAA'], '01gROLES-3'),
      [`${V}/query/01gROLES-3`]: rolesPage(true, ['00K000000000003AAA']),
    };
    const sf = await createSalesforceAdapter(cfg());
    const [page] = await collect(sf.opportunitiesChangedSince(SINCE, { extraFields: [] }));
    assert.deepEqual(
      page?.[0]?.contactRoles.map((r) => r.Id),
      ['00K000000000001AAA', '00K000000000002AAA', '00K000000000003AAA'],
    );
    sf.close();
  });

  it("done:false without a nextRecordsUrl is refused, for a query page and for a row's contact roles", async () => {
    const sf = await createSalesforceAdapter(cfg());
    // The roles of a row, cut short: before, the opportunity synced with one of its three roles.
    state.pages = {
      [`${V}/queryAll`]: rowPage({ done: true }, { done: false, ids: ['00K000000000001AAA'] }),
    };
    await rejectsWith(
      collect(sf.opportunitiesChangedSince(SINCE, { extraFields: [] })),
      'SALESFORCE_QUERY_FAILED',
      /contact roles of opportunity 006000000000001AAA: a page has done:false but no nextRecordsUrl/,
    );
    // A later page of the roles, cut short the same way.
    state.pages = {
      [`${V}/queryAll`]: rowPage(
        { done: true },
        { done: false, next: '01gROLES-2', ids: ['00K000000000001AAA'] },
      ),
      [`${V}/query/01gROLES-2`]: rolesPage(false, ['00K000000000002AAA']),
    };
    await rejectsWith(
      collect(sf.opportunitiesChangedSince(SINCE, { extraFields: [] })),
      'SALESFORCE_QUERY_FAILED',
      /contact roles of opportunity/,
    );
    // The query's own page.
    state.pages = { [`${V}/queryAll`]: rowPage({ done: false }, { done: true, ids: [] }) };
    await rejectsWith(
      collect(sf.opportunitiesChangedSince(SINCE, { extraFields: [] })),
      'SALESFORCE_QUERY_FAILED',
      /^query: a page has done:false/,
    );
    sf.close();
  });

  it('selects CurrencyIsoCode only in a multi-currency org', async () => {
    state.multiCurrency = true;
    const sf = await createSalesforceAdapter(cfg());
    await collect(sf.allOpportunities(null, { extraFields: [] }));
    assert.match(state.queries[0]!, /CurrencyIsoCode/);
    assert.match(state.queries[0]!, /ORDER BY Id$/);
    assert.ok(
      state.log.some((l) => l.url.startsWith(`${V}/query?q=`)),
      'import reads live rows with query',
    );
  });

  it('refresh-token flow: a 401 INVALID_SESSION_ID refreshes once and replays', async () => {
    const sf = await createSalesforceAdapter(cfg({ clientSecret: undefined, refreshToken: 'rt-good' }));
    assert.equal(state.tokensIssued, 1);
    state.validToken = 'rotated-away';
    const fields = await sf.opportunityFields();
    assert.equal(state.tokensIssued, 2);
    assert.deepEqual(fields.find((f) => f.name === 'Type')?.picklistValues, ['New Customer']);
  });

  it('instance URL + access token, no refresh possible: 401 → AUTH_FAILED', async () => {
    state.validToken = 'given';
    const sf = await createSalesforceAdapter({
      instanceUrl: base,
      accessToken: 'given',
      apiVersion: '62.0',
      budgetPercent: 80,
    });
    assert.equal((await sf.opportunityFields()).length, 5);
    state.validToken = 'other';
    await rejectsWith(sf.users(), 'AUTH_FAILED', /INVALID_SESSION_ID/);
  });

  it('a server that keeps answering 401 ends in AUTH_FAILED after a bounded number of refreshes', async () => {
    const sf = await createSalesforceAdapter(cfg());
    state.always401 = true;
    await rejectsWith(sf.users(), 'AUTH_FAILED');
    assert.ok(state.tokensIssued <= 4, `tokens issued: ${state.tokensIssued}`);
  });

  it('bad credentials → AUTH_FAILED', async () => {
    await rejectsWith(
      createSalesforceAdapter(cfg({ clientSecret: 'wrong' })),
      'AUTH_FAILED',
      /authentication failure/,
    );
  });

  it('5xx is retried, then reported as SALESFORCE_UNAVAILABLE', async () => {
    const sf = await createSalesforceAdapter(cfg());
    state.failNext = [{ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }] }];
    assert.equal((await sf.opportunityFields()).length, 5);
    sf.close();
    state.failNext = Array.from({ length: 5 }, () => ({
      status: 500,
      body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'x' }],
    }));
    await rejectsWith(sf.opportunityFields(), 'SALESFORCE_UNAVAILABLE', /UNKNOWN_EXCEPTION/);
    assert.equal(state.failNext.length, 2, 'three attempts with maxAttempts 3');
  });

  it('400 MALFORMED_QUERY → SALESFORCE_QUERY_FAILED naming the code; bad extra field refused before sending', async () => {
    const sf = await createSalesforceAdapter(cfg());
    await rejectsWith(
      collect(sf.allOpportunities(null, { extraFields: ['MALFORMED__c'] })),
      'SALESFORCE_QUERY_FAILED',
      /MALFORMED_QUERY/,
    );
    await assert.rejects(
      collect(sf.allOpportunities(null, { extraFields: ['x) FROM User --'] })),
      /invalid Salesforce field name/,
    );
  });

  it('stops at the budget before sending, and on 403 REQUEST_LIMIT_EXCEEDED', async () => {
    const sf = await createSalesforceAdapter(cfg({ budgetPercent: 50 }));
    state.used = 499;
    await sf.opportunityFields(); // the response reports 500/1000
    const before = state.log.length;
    await rejectsWith(sf.users(), 'SALESFORCE_LIMIT_REACHED', /500 of 1000/);
    assert.equal(state.log.length, before, 'no request sent');
    const sf2 = await createSalesforceAdapter(cfg());
    state.used = 0;
    state.failNext = [
      {
        status: 403,
        body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
      },
    ];
    await rejectsWith(sf2.users(), 'SALESFORCE_LIMIT_REACHED');
    // Salesforce's way of saying "limit": counted with 429s for /metrics (dealbridge_api_rate_limited_total).
    assert.equal(sf2.rateLimitedCount(), 1);
    assert.equal(sf.rateLimitedCount(), 0, 'a refusal before sending is not an answer');
  });

  it('serverTime from the Date header; getDeleted parsed', async () => {
    const sf = await createSalesforceAdapter(cfg());
    assert.equal(await sf.serverTime(), '2024-05-21T10:00:05.000Z');
    const d = await sf.deletedOpportunities('2024-05-20T00:00:00.000Z', '2024-05-21T10:00:00.000Z');
    assert.deepEqual(d.deleted, [{ id: OPP2, deletedDate: '2024-05-21T09:00:00.000Z' }]);
    assert.equal(d.earliestDateAvailable, '2024-05-01T00:00:00.000Z');
    assert.ok(state.log.some((l) => l.url.includes('start=2024-05-20T00%3A00%3A00%2B00%3A00')));
  });
});
