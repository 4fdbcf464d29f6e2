// The narrow interfaces the engine depends on. src/salesforce and src/hubspot implement the remote
// ones with jsforce and @hubspot/api-client; src/store implements StateStore with Kysely. The engine
// never sees an SDK, a URL or SQL, so it can be tested against fakes and pointed at any backend.
import type { ErrorCode } from '../../errors/index.js';
import type {
  ApiUsageReading,
  ChangeCursor,
  IsoDateTime,
  SfAccount,
  SfContact,
  SfContactRole,
  SfCurrencyRate,
  SfDeleted,
  SfOpportunity,
  SfOrgInfo,
  SfRecordType,
  SfStage,
  SfUser,
} from '../../domain/salesforce.js';
import type {
  HsAccountInfo,
  HsAssociationInput,
  HsInputError,
  HsObject,
  HsObjectType,
  HsObjectWithHistory,
  HsOwner,
  HsPipeline,
  HsPipelineStage,
  HsProperties,
  HsPropertyDefinition,
} from '../../domain/hubspot.js';

/** An opportunity with its contact roles, as one SOQL query with a child subquery returns it. */
export interface SfOpportunityWithRoles extends SfOpportunity {
  contactRoles: SfContactRole[];
  /**
   * The account as the query's parent fields read it (`Account.Name`, `Account.Website`, …): null
   * when the opportunity has none, absent when not read — then the engine reads it by id.
   */
  account?: SfAccount | null;
}

/** The change feeds a pass is about to read, from these cursors (as the feeds would read them). */
export interface ChangeFeedReads {
  opportunities?: { cursor: ChangeCursor; extraFields: string[] };
  contactRoles?: { cursor: ChangeCursor };
  accounts?: { cursor: ChangeCursor };
}

export interface SalesforcePort {
  /** Salesforce's clock, from the server (not ours): where a change feed starts. */
  serverTime(): Promise<IsoDateTime>;
  orgInfo(): Promise<SfOrgInfo>;
  users(): Promise<SfUser[]>;
  opportunityRecordTypes(): Promise<SfRecordType[]>;
  opportunityStages(): Promise<SfStage[]>;
  /** The values of Opportunity.Type's picklist (describe), in picklist order. */
  opportunityTypeValues(): Promise<string[]>;
  /** Active StageName API names of a record type's sales process, in picklist order. */
  salesProcessStages(recordTypeId: string): Promise<string[]>;
  /** Whether the org holds any opportunity of the Master record type (RecordTypeId null). */
  hasMasterOpportunities(): Promise<boolean>;
  /** CurrencyType rates, or DatedConversionRate periods when advanced currency management is on. */
  currencyRates(): Promise<SfCurrencyRate[]>;
  /**
   * Opportunities (deleted ones included, IsDeleted=true) with (SystemModstamp, Id) >= cursor,
   * ordered by (SystemModstamp, Id), in pages as Salesforce returns them. `extraFields` are the
   * custom-mapped Opportunity fields to select as well. With `before`, only rows whose
   * SystemModstamp is earlier (the late-commit sweep's settled range; SOQL literals are whole
   * seconds, so both ends are floored alike and consecutive ranges neither gap nor overlap).
   */
  opportunitiesChangedSince(
    cursor: ChangeCursor,
    opts: { extraFields: string[]; before?: IsoDateTime },
  ): AsyncIterable<SfOpportunityWithRoles[]>;
  /** Contact roles (deleted ones included) with (SystemModstamp, Id) >= cursor, ordered likewise. */
  contactRolesChangedSince(
    cursor: ChangeCursor,
    opts?: { before?: IsoDateTime },
  ): AsyncIterable<SfContactRole[]>;
  /** getDeleted for Opportunity; `earliestDateAvailable` tells when the cursor is too old for it. */
  deletedOpportunities(
    start: IsoDateTime,
    end: IsoDateTime,
  ): Promise<{ deleted: SfDeleted[]; earliestDateAvailable: IsoDateTime; latestDateCovered: IsoDateTime }>;
  /** By id, deleted ones included; ids not found are absent from the result. */
  opportunitiesByIds(ids: string[], opts: { extraFields: string[] }): Promise<SfOpportunityWithRoles[]>;
  /** How many live opportunities the org has: an import's total (its progress and ETA). */
  countOpportunities(): Promise<number>;
  /** Every live opportunity with Id > afterId, ordered by Id: the import's resumable stream. */
  allOpportunities(
    afterId: string | null,
    opts: { extraFields: string[] },
  ): AsyncIterable<SfOpportunityWithRoles[]>;
  /**
   * The Id of every live opportunity (not the recycle bin), ordered by Id, in pages: the full
   * comparison that finds deletes once getDeleted's 15 days are exceeded.
   */
  allOpportunityIds(): AsyncIterable<string[]>;
  contactsByIds(ids: string[]): Promise<SfContact[]>;
  /** Contacts whose Email is one of these (Salesforce compares text case-insensitively). */
  contactsByEmails(emails: string[]): Promise<SfContact[]>;
  /** Ids of the live opportunities on which one of these contacts has a contact role. */
  opportunityIdsOfContacts(contactIds: string[]): Promise<string[]>;
  /**
   * The opportunity of each of these contact roles, deleted roles included (queryAll); roles not
   * found are absent. The CDC feed's last resort for a role event it cannot place.
   */
  opportunityIdsOfRoles(roleIds: string[]): Promise<Map<string, string>>;
  accountsByIds(ids: string[]): Promise<SfAccount[]>;
  /** Accounts with (SystemModstamp, Id) >= cursor (a changed account re-syncs its opportunities' company). */
  accountsChangedSince(cursor: ChangeCursor): AsyncIterable<SfAccount[]>;
  /**
   * Reads the first page of each of these change feeds in one call (Salesforce's composite
   * request counts as one call toward the allocation); the `…ChangedSince` reads of the same
   * cursors that follow start from those pages. What it could not read, the feed reads itself,
   * with its own retries and errors. Each call replaces the pages of the one before: `{}` drops
   * them (read before writes that made them stale).
   */
  prefetchChangeFeeds(reads: ChangeFeedReads): Promise<void>;
  /** Describe of Opportunity fields, for custom mappings' type checks. */
  opportunityFields(): Promise<{ name: string; label: string; type: string; picklistValues?: string[] }[]>;
  /** The latest Sforce-Limit-Info reading (org-wide, every integration's calls), if any request has been made. */
  usage(): ApiUsageReading | undefined;
  /**
   * Asks Salesforce's `/limits` for the org's usage now, even while the cached reading says the
   * budget is spent (that reading may be hours old), and returns the fresh reading.
   */
  refreshUsage(): Promise<ApiUsageReading | undefined>;
  /** HTTP requests this connector sent to the Salesforce instance since start (retries and query pages each count). */
  requestCount(): number;
  /**
   * Of those, the answers that refused for a limit (HTTP 429, or 403 REQUEST_LIMIT_EXCEEDED, which
   * is how Salesforce reports its request limits), since start: the `dealbridge_api_rate_limited_total`
   * metric.
   */
  rateLimitedCount(): number;
  /**
   * Updates opportunities through sObject Collections (≤ 200 a call, `allOrNone: false`): one
   * result per update, in order; a record Salesforce refuses fails alone with its coded error (a
   * row lock is sent again alone first). PATCH is idempotent, so a lost answer is simply resent.
   */
  updateOpportunities(updates: SfOpportunityUpdate[]): Promise<SfWriteResult[]>;
  /**
   * When these opportunities last changed, and by whom: `LastModifiedDate`/`LastModifiedById`,
   * and, for the given fields where the org tracks their history, the newest
   * `OpportunityFieldHistory` row of each (a conflict is decided per field when it can be).
   */
  opportunityChangeTimes(ids: string[], fields: string[]): Promise<Map<string, SfChangeTimes>>;
  /**
   * Deletes opportunities (sObject Collections, ≤ 200 a call, `allOrNone=false`; to the recycle
   * bin): one result per id; one deleted already counts as deleted.
   */
  deleteOpportunities(ids: string[]): Promise<SfWriteResult[]>;
}

export interface SfChangeTimes {
  lastModifiedDate: IsoDateTime;
  lastModifiedById: string | null;
  /** Field API name → its newest history row (only tracked fields that changed appear). */
  fields: Record<string, { at: IsoDateTime; byId: string | null }>;
}

/** Field values to write to one opportunity (API names; null clears). */
export interface SfOpportunityUpdate {
  id: string;
  fields: Record<string, string | number | boolean | null>;
}

export type SfWriteResult =
  | { id: string; ok: true }
  | {
      id: string;
      ok: false;
      code: ErrorCode;
      /** Salesforce's own status code (FIELD_CUSTOM_VALIDATION_EXCEPTION, …). */
      salesforceCode: string;
      /** Names the record, the field(s) and Salesforce's reason. */
      message: string;
      fields: string[];
    };

/** A stage as updateDealPipeline takes it: with the HubSpot id of the stage it updates, if known. */
export type PipelineStageInput = Omit<HsPipelineStage, 'id'> & { id?: string };

/** Outcome of a batch call: per-input results and per-input errors; never throws for a bad input. */
export interface BatchOutcome<T> {
  results: T[];
  errors: HsInputError[];
}

export interface DealUpsertInput {
  opportunityId: string;
  properties: HsProperties;
}

/** A deal believed new, created with its associations in the same call. */
export interface DealCreateInput extends DealUpsertInput {
  /** deal→contact (type 3) and deal→company (type 5, primary) associations, by HubSpot id. */
  associations: { toId: string; typeId: number }[];
}

export interface DealUpsertResult {
  opportunityId: string;
  dealId: string;
  created: boolean;
}

/** A deal in HubSpot's recycle bin: deleted by a user, or archived by dealbridge. */
export interface ArchivedDeal {
  dealId: string;
  /** When it was archived, as HubSpot lists it (null if HubSpot leaves it out). */
  archivedAt: IsoDateTime | null;
}

export interface HubspotPort {
  accountInfo(): Promise<HsAccountInfo>;
  owners(): Promise<HsOwner[]>;
  dealPipelines(): Promise<HsPipeline[]>;
  createDealPipeline(p: {
    label: string;
    displayOrder: number;
    stages: Omit<HsPipelineStage, 'id'>[];
  }): Promise<HsPipeline>;
  /**
   * Renames an existing pipeline and brings its stages to what is given: a stage with an `id` is
   * updated in place (label, order, probability, closed: a rename keeps its deals), one without is
   * matched by label, else created. Stages not given are left alone.
   */
  updateDealPipeline(id: string, p: { label: string; stages: PipelineStageInput[] }): Promise<HsPipeline>;
  properties(objectType: HsObjectType): Promise<HsPropertyDefinition[]>;
  /**
   * Creates the group; an existing one whose label is one of `relabel` (labels setup gave it, in
   * any language) gets `label` instead, and one someone renamed keeps their label.
   */
  ensurePropertyGroup(
    objectType: HsObjectType,
    name: string,
    label: string,
    relabel?: readonly string[],
  ): Promise<void>;
  /** Changes only a property's label (PATCH /crm/v3/properties/{objectType}/{name}). */
  setPropertyLabel(objectType: HsObjectType, name: string, label: string): Promise<void>;
  createProperty(objectType: HsObjectType, def: Omit<HsPropertyDefinition, 'readOnlyValue'>): Promise<void>;
  /**
   * Replaces an enumeration property's options (PATCH /crm/v3/properties/{objectType}/{name}):
   * HubSpot has no "append", so `options` is the whole list, the existing options included.
   */
  setPropertyOptions(
    objectType: HsObjectType,
    name: string,
    options: NonNullable<HsPropertyDefinition['options']>,
  ): Promise<void>;

  /**
   * Batch upsert by `salesforce_opportunity_id` (≤ 100 inputs). A 207 yields per-input errors; a
   * whole-batch 4xx caused by input content is thrown as BatchRejectedError so the engine can split.
   */
  upsertDeals(inputs: DealUpsertInput[]): Promise<BatchOutcome<DealUpsertResult>>;
  /**
   * Batch create (≤ 100 inputs) with inline associations and `salesforce_opportunity_id` set: one
   * call where an upsert and an association batch would be two. A deal that exists already (its
   * unique id is taken: a crash replay) or any other refusal rejects the whole batch
   * (BatchRejectedError); the engine then upserts and associates as for an update.
   */
  createDeals(inputs: DealCreateInput[]): Promise<BatchOutcome<DealUpsertResult>>;
  archiveDeals(dealIds: string[]): Promise<void>;
  /**
   * Every deal in HubSpot's recycle bin, from `GET /crm/v3/objects/deals?archived=true` (100 per
   * page). HubSpot keeps archived deals for 90 days and the list has no filter by time (search
   * does not reach archived records), so this pages through all of them: a few pages normally.
   */
  archivedDeals(): Promise<ArchivedDeal[]>;
  /**
   * Every live object of a type with these properties, page by page (`GET /crm/v3/objects/{type}`,
   * 100 a page): verify reads HubSpot afresh this way, which also finds what should not be there.
   */
  listObjects(objectType: HsObjectType, properties: string[]): AsyncIterable<HsObject[]>;
  /** Batch read by a unique property (≤ 100 values); missing values are absent from the result. */
  readByUniqueProperty(
    objectType: HsObjectType,
    property: string,
    values: string[],
    properties: string[],
  ): Promise<HsObject[]>;
  /** Batch read by HubSpot id. */
  readByIds(objectType: HsObjectType, ids: string[], properties: string[]): Promise<HsObject[]>;
  /**
   * Contacts whose `createdate` is at or after `since`, oldest first, in pages (search, 200 per
   * call; past search's 10,000-result cap the query starts again from the last createdate). Polled
   * once a minute by the new-contacts feed, never per record.
   */
  contactsCreatedSince(since: IsoDateTime, properties: string[]): AsyncIterable<HsObject[]>;
  /**
   * Deals whose `hs_lastmodifieddate` is at or after `since`, oldest first, in pages (search, 200
   * per call, paced to search's 4 a second; past the 10,000-result cap the window is split at the
   * last timestamp read): the HubSpot → Salesforce poll.
   */
  dealsModifiedSince(since: IsoDateTime, properties: string[]): AsyncIterable<HsObject[]>;
  /** Deals by id with these properties and their history (`propertiesWithHistory`, 50 per call). */
  readDealHistory(ids: string[], properties: string[]): Promise<HsObjectWithHistory[]>;
  /** Companies whose `domain` is one of these (search; not for the hot path). */
  findCompaniesByDomain(domains: string[]): Promise<HsObject[]>;
  createObjects(
    objectType: HsObjectType,
    inputs: { properties: HsProperties }[],
  ): Promise<BatchOutcome<HsObject>>;
  updateObjects(
    objectType: HsObjectType,
    inputs: { id: string; properties: HsProperties }[],
  ): Promise<BatchOutcome<HsObject>>;
  /** v4 batch associate from deals (≤ 100 per call inside; the adapter chunks). */
  associate(toType: 'contacts' | 'companies', inputs: HsAssociationInput[]): Promise<void>;
  dissociate(toType: 'contacts' | 'companies', inputs: HsAssociationInput[]): Promise<void>;
  /** v4 batch read of deals' associations (≤ 1,000 ids per call inside). */
  readAssociations(
    toType: 'contacts' | 'companies',
    dealIds: string[],
  ): Promise<Map<string, { toId: string; typeIds: number[] }[]>>;
  /**
   * Latest X-HubSpot-RateLimit-* reading and request count, for status and pacing; `rateLimited`:
   * the answers among those requests that were HTTP 429 (since start, for /metrics).
   */
  usage(): { requests: number; rateLimited: number; dailyRemaining?: number; dailyMax?: number };
}

/** Thrown by an adapter when HubSpot rejects a whole batch because of its content (400/409). */
export class BatchRejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** Indexes of inputs HubSpot named as at fault, when it names them. */
    readonly culprits: number[],
    readonly property?: string,
  ) {
    super(message);
    this.name = 'BatchRejectedError';
  }
}
