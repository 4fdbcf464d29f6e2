// SalesforcePort on jsforce 3. Queries stream page by page (GET query / queryAll, then each
// nextRecordsUrl — what jsforce's query without autoFetch + queryMore does, but through our client
// so numbers stay exact, see lossless-json.ts); every row is parsed by schemas.ts.
//
// serverTime(): the `Date` header of a GET /limits (cheap, and it refreshes the API usage reading);
// the header has second precision, which is fine for a change-feed start read with `>=`.
// jsforce's core (connection, OAuth2, query, sObject): the package's main entry also loads the
// Bulk, Metadata, Streaming and SOAP APIs, ~10 MB of memory that the connector never uses.
import jsforce from 'jsforce/lib/core.js';
import type { Connection, ConnectionConfig, TokenResponse } from 'jsforce';
import { DealbridgeError } from '../errors/index.js';
import type {
  ApiUsageReading,
  ChangeCursor,
  IsoDateTime,
  SfAccount,
  SfContact,
  SfContactRole,
  SfCurrencyRate,
  SfOrgInfo,
  SfRecordType,
  SfStage,
  SfUser,
} from '../domain/salesforce.js';
import type {
  ChangeFeedReads,
  SalesforcePort,
  SfOpportunityUpdate,
  SfOpportunityWithRoles,
  SfWriteResult,
} from '../engine/ports/remote.js';
import { deleteOpportunities, updateOpportunities } from './opportunity-writes.js';
import { deletedOpportunities } from './deleted-feed.js';
import { opportunityChangeTimes } from './change-times.js';
import type { RetryPolicy } from '../http/retry.js';
import { readingAnswers } from './answers.js';
import { SalesforceClient } from './client.js';
import {
  accountSchema,
  contactRoleSchema,
  contactSchema,
  describeSchema,
  parseOpportunity,
  picklistValuesSchema,
  queryPageSchema,
  recordTypeSchema,
  stageSchema,
  userSchema,
} from './schemas.js';
import { followPages, followPagesFrom, nextPageUrl, type PageInfo } from './paging.js';
import { FirstPages } from './first-pages.js';
import { currencyRates, loadOrgInfo, type OrgReader } from './org-info.js';
import * as soql from './soql.js';
import { chunk } from '../lib/chunk.js';
import type { ChangeEventPort } from '../engine/ports/change-events.js';
import { createChangeEventPort } from './change-events.js';
import { opportunityIdsOfRoles } from './contact-role-lookup.js';

export interface SalesforceAdapterConfig {
  loginUrl?: string;
  instanceUrl?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  accessToken?: string;
  /** `62.0` (with or without a leading `v`). */
  apiVersion: string;
  /** Stop sending at this percentage of the org's daily API allocation. */
  budgetPercent: number;
  /** Tests: faster retries. */
  retryPolicy?: RetryPolicy;
  /** Page size asked for with Sforce-Query-Options (200–2,000; Salesforce may return fewer). */
  batchSize?: number;
  /** Tests: a short wait for a body that stopped arriving (SalesforceClientOptions.bodyTimeoutMs). */
  bodyTimeoutMs?: number;
}

const IDS_PER_QUERY = 500;

export type SalesforceAdapter = SalesforcePort & {
  close(): void;
  /** Change Data Capture over the Streaming API (change-events.ts). */
  changeEvents(): ChangeEventPort;
  readonly client: SalesforceClient;
};

export async function createSalesforceAdapter(cfg: SalesforceAdapterConfig): Promise<SalesforceAdapter> {
  const version = cfg.apiVersion.replace(/^v/, '');
  const hasClient = Boolean(cfg.clientId);
  let refreshesWithoutSuccess = 0;
  // Our refresh function, for both OAuth flows: jsforce's default only knows refresh tokens, and
  // would refresh forever if the server kept answering 401 — we give up after two in a row.
  const refreshFn: NonNullable<ConnectionConfig['refreshFn']> = (c, callback) => {
    if (++refreshesWithoutSuccess > 2) {
      callback(new Error('the new access token was rejected as well'));
      return;
    }
    const grant: Promise<TokenResponse> = cfg.refreshToken
      ? c.oauth2.refreshToken(cfg.refreshToken)
      : c.oauth2.requestToken({ grant_type: 'client_credentials' });
    grant.then(
      (res) => {
        if (res.instance_url) c.instanceUrl = res.instance_url;
        callback(undefined, res.access_token, res);
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  };
  const conn: Connection = new jsforce.Connection({
    version,
    ...(cfg.loginUrl ? { loginUrl: cfg.loginUrl } : {}),
    ...(cfg.instanceUrl ? { instanceUrl: cfg.instanceUrl } : {}),
    ...(cfg.accessToken ? { accessToken: cfg.accessToken } : {}),
    ...(cfg.refreshToken ? { refreshToken: cfg.refreshToken } : {}),
    ...(hasClient
      ? {
          oauth2: {
            ...(cfg.loginUrl ? { loginUrl: cfg.loginUrl } : {}),
            clientId: cfg.clientId!,
            ...(cfg.clientSecret ? { clientSecret: cfg.clientSecret } : {}),
          },
          refreshFn,
        }
      : {}),
  });
  const client = new SalesforceClient(conn, {
    budgetPercent: cfg.budgetPercent,
    ...(cfg.retryPolicy ? { retryPolicy: cfg.retryPolicy } : {}),
    ...(cfg.bodyTimeoutMs ? { bodyTimeoutMs: cfg.bodyTimeoutMs } : {}),
  });
  const origOnResponse = client.onResponse.bind(client);
  client.onResponse = (res) => {
    if (res.statusCode !== 401) refreshesWithoutSuccess = 0;
    origOnResponse(res);
  };

  if (!cfg.accessToken) {
    if (!hasClient) {
      throw new DealbridgeError(
        'CONFIG_INVALID',
        'Salesforce: set an access token, or a client id (and secret or refresh token)',
      );
    }
    try {
      if (cfg.refreshToken) {
        const res = await conn.oauth2.refreshToken(cfg.refreshToken);
        conn.accessToken = res.access_token;
        conn.instanceUrl = res.instance_url;
      } else {
        await conn.authorize({ grant_type: 'client_credentials' });
      }
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const network = typeof code === 'string' || /ECONN|ENOTFOUND|ETIMEDOUT|fetch failed/i.test(String(err));
      throw new DealbridgeError(
        network ? 'SALESFORCE_UNAVAILABLE' : 'AUTH_FAILED',
        `Salesforce login failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
        { cause: err },
      );
    }
  } else if (!cfg.instanceUrl) {
    throw new DealbridgeError('CONFIG_INVALID', 'Salesforce: an access token needs the instance URL');
  }
  return readingAnswers(new SalesforceAdapterImpl(client, version, cfg.batchSize ?? 2000));
}

class SalesforceAdapterImpl implements SalesforcePort {
  private describes = new Map<string, Promise<ReturnType<typeof describeSchema.parse>>>();
  private org: Promise<SfOrgInfo> | undefined;
  private readonly firstPages: FirstPages;

  constructor(
    readonly client: SalesforceClient,
    private readonly version: string,
    private readonly batchSize: number,
  ) {
    this.firstPages = new FirstPages(client, this.path('/composite'));
  }

  close(): void {
    this.describes.clear();
  }

  private path(rest: string): string {
    return `/services/data/v${this.version}${rest}`;
  }

  private queryUrl(q: string, all: boolean): string {
    return this.path(`/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(q)}`);
  }

  private get queryHeaders(): Record<string, string> {
    return { 'Sforce-Query-Options': `batchSize=${this.batchSize}` };
  }

  /** Pages of a query as Salesforce returns them; only one page is held at a time. */
  pages(q: string, all: boolean): AsyncGenerator<Record<string, unknown>[]> {
    const headers = this.queryHeaders;
    const url = this.queryUrl(q, all);
    const get = (u: string) => this.client.get(u, headers);
    const first = this.firstPages.take(url);
    return first === undefined ? followPages(get, url, 'query') : followPagesFrom(first, get, 'query');
  }

  async prefetchChangeFeeds(reads: ChangeFeedReads): Promise<void> {
    const urls: string[] = [];
    if (reads.opportunities) {
      const { cursor, extraFields } = reads.opportunities;
      const select = await this.opportunitySelect(extraFields);
      urls.push(this.queryUrl(soql.opportunitiesChangedSoql(cursor, select), true));
    }
    if (reads.contactRoles)
      urls.push(this.queryUrl(soql.contactRolesChangedSoql(reads.contactRoles.cursor), true));
    if (reads.accounts) urls.push(this.queryUrl(soql.accountsChangedSoql(reads.accounts.cursor), false));
    await this.firstPages.read(urls, this.queryHeaders);
  }

  private async rows(q: string, all = false): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const page of this.pages(q, all)) out.push(...page);
    return out;
  }

  private describe(sobject: string): Promise<ReturnType<typeof describeSchema.parse>> {
    let d = this.describes.get(sobject);
    if (!d) {
      d = this.client
        .get(this.path(`/sobjects/${sobject}/describe`))
        .then((raw) => describeSchema.parse(raw));
      d.catch(() => this.describes.delete(sobject));
      this.describes.set(sobject, d);
    }
    return d;
  }

  private async opportunitySelect(extraFields: string[]): Promise<soql.OpportunitySelect> {
    const names = new Set((await this.describe('Opportunity')).fields.map((f) => f.name));
    return { optional: soql.OPTIONAL_OPPORTUNITY_FIELDS.filter((f) => names.has(f)), extraFields };
  }

  /** Opportunities whose child result was cut short (> page of roles) get the rest fetched. */
  private async withAllRoles(raw: Record<string, unknown>, extra: string[]): Promise<SfOpportunityWithRoles> {
    const opp = parseOpportunity(raw, extra);
    const child = raw.OpportunityContactRoles as PageInfo | null | undefined;
    const what = `contact roles of opportunity ${opp.Id}`;
    const rest = child ? nextPageUrl(child, what) : undefined;
    for await (const records of followPages((u) => this.client.get(u), rest, what))
      opp.contactRoles.push(...records.map((r) => contactRoleSchema.parse(r)));
    return opp;
  }

  private async *opportunityPages(
    q: string,
    all: boolean,
    extra: string[],
  ): AsyncGenerator<SfOpportunityWithRoles[]> {
    for await (const page of this.pages(q, all)) {
      const out: SfOpportunityWithRoles[] = [];
      for (const r of page) out.push(await this.withAllRoles(r, extra));
      yield out;
    }
  }

  async serverTime(): Promise<IsoDateTime> {
    const res = await this.client.request('GET', this.path('/limits'));
    const limits = res.data as { DailyApiRequests?: { Max?: unknown; Remaining?: unknown } } | undefined;
    const max = Number(limits?.DailyApiRequests?.Max);
    const remaining = Number(limits?.DailyApiRequests?.Remaining);
    if (!this.client.usage() && Number.isFinite(max) && Number.isFinite(remaining))
      this.client.noteLimits(max, remaining);
    const server = res.headers.date ? Date.parse(res.headers.date) : NaN;
    return new Date(Number.isNaN(server) ? Date.now() : server).toISOString();
  }

  async refreshUsage(): Promise<ApiUsageReading | undefined> {
    const res = await this.client.request('GET', this.path('/limits'), undefined, {}, { probe: true });
    const limits = res.data as { DailyApiRequests?: { Max?: unknown; Remaining?: unknown } } | undefined;
    const max = Number(limits?.DailyApiRequests?.Max);
    const remaining = Number(limits?.DailyApiRequests?.Remaining);
    // The body is the org's count as of this call; it wins over any earlier header.
    if (Number.isFinite(max) && Number.isFinite(remaining)) this.client.noteLimits(max, remaining);
    return this.client.usage();
  }

  /** What org-info.ts reads with. */
  private get reader(): OrgReader {
    return { describe: (o) => this.describe(o), rows: (q) => this.rows(q) };
  }

  orgInfo(): Promise<SfOrgInfo> {
    this.org ??= loadOrgInfo(this.reader);
    this.org.catch(() => (this.org = undefined));
    return this.org;
  }

  async users(): Promise<SfUser[]> {
    return (await this.rows('SELECT Id, Email, Name, IsActive FROM User')).map((r) => userSchema.parse(r));
  }

  async opportunityRecordTypes(): Promise<SfRecordType[]> {
    const q = `SELECT Id, Name, DeveloperName, IsActive FROM RecordType WHERE SobjectType = ${soql.quote('Opportunity')}`;
    return (await this.rows(q)).map((r) => recordTypeSchema.parse(r));
  }

  async opportunityStages(): Promise<SfStage[]> {
    const q =
      'SELECT Id, ApiName, MasterLabel, SortOrder, DefaultProbability, IsClosed, IsWon, IsActive FROM OpportunityStage ORDER BY SortOrder';
    return (await this.rows(q)).map((r) => stageSchema.parse(r));
  }

  async opportunityTypeValues(): Promise<string[]> {
    const type = (await this.describe('Opportunity')).fields.find((f) => f.name === 'Type');
    return (type?.picklistValues ?? []).map((v) => v.value);
  }

  /**
   * The StageName values of a record type's sales process, as the User Interface API gives them to
   * API clients (`picklist-values/{recordTypeId}/StageName`, API 41.0+): active values only, in
   * picklist order. Describe lists the master picklist, not a record type's subset.
   */
  async salesProcessStages(recordTypeId: string): Promise<string[]> {
    const raw = await this.client.get(
      this.path(
        `/ui-api/object-info/Opportunity/picklist-values/${encodeURIComponent(recordTypeId)}/StageName`,
      ),
    );
    return picklistValuesSchema.parse(raw).values.map((v) => v.value);
  }

  /** One row at most: whether any opportunity has the Master record type (RecordTypeId null). */
  async hasMasterOpportunities(): Promise<boolean> {
    const [row] = await this.rows('SELECT Id FROM Opportunity WHERE RecordTypeId = null LIMIT 1');
    return row !== undefined;
  }

  async currencyRates(): Promise<SfCurrencyRate[]> {
    return currencyRates(await this.orgInfo(), this.reader);
  }

  async *opportunitiesChangedSince(
    cursor: ChangeCursor,
    opts: { extraFields: string[]; before?: IsoDateTime },
  ): AsyncIterable<SfOpportunityWithRoles[]> {
    const q = soql.opportunitiesChangedSoql(
      cursor,
      await this.opportunitySelect(opts.extraFields),
      opts.before,
    );
    yield* this.opportunityPages(q, true, opts.extraFields);
  }

  async *contactRolesChangedSince(
    cursor: ChangeCursor,
    opts: { before?: IsoDateTime } = {},
  ): AsyncIterable<SfContactRole[]> {
    for await (const page of this.pages(soql.contactRolesChangedSoql(cursor, opts.before), true)) {
      yield page.map((r) => contactRoleSchema.parse(r));
    }
  }

  deletedOpportunities(start: IsoDateTime, end: IsoDateTime) {
    return deletedOpportunities(this.client, (p) => this.path(p), start, end);
  }

  async opportunitiesByIds(
    ids: string[],
    opts: { extraFields: string[] },
  ): Promise<SfOpportunityWithRoles[]> {
    const select = await this.opportunitySelect(opts.extraFields);
    const out: SfOpportunityWithRoles[] = [];
    for (const part of chunk([...new Set(ids)], IDS_PER_QUERY)) {
      for await (const page of this.opportunityPages(
        soql.opportunitiesByIdsSoql(part, select),
        true,
        opts.extraFields,
      )) {
        out.push(...page);
      }
    }
    return out;
  }

  async *allOpportunities(
    afterId: string | null,
    opts: { extraFields: string[] },
  ): AsyncIterable<SfOpportunityWithRoles[]> {
    const q = soql.allOpportunitiesSoql(afterId, await this.opportunitySelect(opts.extraFields));
    yield* this.opportunityPages(q, false, opts.extraFields);
  }

  async *allOpportunityIds(): AsyncIterable<string[]> {
    for await (const page of this.pages(soql.allOpportunityIdsSoql(), false)) {
      yield page.map((r) => {
        if (typeof r.Id !== 'string' || r.Id === '')
          throw new DealbridgeError('SALESFORCE_QUERY_FAILED', 'an Opportunity row without an Id');
        return r.Id;
      });
    }
  }

  /**
   * Live opportunities in the org (what `allOpportunities` streams from the start): the import's
   * progress total and ETA. One call; the count comes in `totalSize` with no rows.
   */
  async countOpportunities(): Promise<number> {
    const page = queryPageSchema.parse(
      await this.client.get(this.path(`/query?q=${encodeURIComponent('SELECT COUNT() FROM Opportunity')}`)),
    );
    return page.totalSize;
  }

  async contactsByIds(ids: string[]): Promise<SfContact[]> {
    const out: SfContact[] = [];
    for (const part of chunk([...new Set(ids)], IDS_PER_QUERY)) {
      for (const r of await this.rows(soql.byIdsSoql('Contact', soql.CONTACT_FIELDS, part)))
        out.push(contactSchema.parse(r));
    }
    return out;
  }

  async contactsByEmails(emails: string[]): Promise<SfContact[]> {
    const out: SfContact[] = [];
    // 200 emails keep the query well under SOQL's length limit (100,000 characters).
    for (const part of chunk([...new Set(emails)], 200)) {
      for (const r of await this.rows(soql.contactsByEmailsSoql(part))) out.push(contactSchema.parse(r));
    }
    return out;
  }

  opportunityIdsOfRoles = (roleIds: string[]) => opportunityIdsOfRoles(this, roleIds);

  async opportunityIdsOfContacts(contactIds: string[]): Promise<string[]> {
    const out = new Set<string>();
    for (const part of chunk([...new Set(contactIds)], IDS_PER_QUERY)) {
      for (const r of await this.rows(soql.contactRolesOfContactsSoql(part))) {
        const id = r.OpportunityId;
        if (typeof id === 'string') out.add(id);
      }
    }
    return [...out];
  }

  async accountsByIds(ids: string[]): Promise<SfAccount[]> {
    const out: SfAccount[] = [];
    for (const part of chunk([...new Set(ids)], IDS_PER_QUERY)) {
      for (const r of await this.rows(soql.byIdsSoql('Account', soql.ACCOUNT_FIELDS, part)))
        out.push(accountSchema.parse(r));
    }
    return out;
  }

  async *accountsChangedSince(cursor: ChangeCursor): AsyncIterable<SfAccount[]> {
    for await (const page of this.pages(soql.accountsChangedSoql(cursor), false)) {
      yield page.map((r) => accountSchema.parse(r));
    }
  }

  async opportunityFields() {
    return (await this.describe('Opportunity')).fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      ...(f.type === 'picklist' || f.type === 'multipicklist'
        ? { picklistValues: f.picklistValues.filter((p) => p.active !== false).map((p) => p.value) }
        : {}),
    }));
  }

  requestCount(): number {
    return this.client.requests;
  }
  rateLimitedCount(): number {
    return this.client.rateLimited;
  }

  updateOpportunities(updates: SfOpportunityUpdate[]): Promise<SfWriteResult[]> {
    return updateOpportunities(this.client, this.path('/composite/sobjects'), updates);
  }
  deleteOpportunities(ids: string[]): Promise<SfWriteResult[]> {
    return deleteOpportunities(this.client, this.path('/composite/sobjects'), ids);
  }
  opportunityChangeTimes(ids: string[], fields: string[]) {
    return opportunityChangeTimes((q, all) => this.pages(q, all), ids, fields);
  }

  private cdc: ChangeEventPort | undefined;
  changeEvents(): ChangeEventPort {
    return (this.cdc ??= createChangeEventPort(this.client.conn, this.client, this.version));
  }
  usage() {
    return this.client.usage();
  }
}
