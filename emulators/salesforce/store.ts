// The org's record store: one Table per sObject type, the SOQL data source, and the write paths
// (create/update/delete/undelete with Salesforce's server-kept fields, Opportunity stage
// derivations and cascade deletes). Everything the HTTP layer and the admin API change goes here.
import type { SoqlDataSource, SoqlObjectInfo, SoqlRow, SoqlValue } from './soql/catalog.js';
import type { CustomFieldSpec, ObjectDef, OrgShape } from './schema.js';
import { buildSchema, toSoqlInfo } from './schema.js';
import type { Row } from './table.js';
import { Table } from './table.js';
import { Indexes } from './indexes.js';
import type { Clock } from './clock.js';
import { ApiError, RecordError, apiError } from './errors.js';
import { keyPrefix, normalizeId } from './ids.js';
import { checkUnique, validateInput } from './validate.js';
import { FORECAST_TYPE } from './standard-picklists.js';
import type { RefChecker } from './validate.js';
import { DAY_MS } from './time.js';
import { applyOpportunityRules, deriveOpportunityFields } from './sales-process.js';
import { diffRow, type RecordChange } from './streaming/record-change.js';
import type { SalesProcessOrg } from './sales-process.js';
import { OrgAutomation } from './automation.js';

export interface StageInfo {
  label: string;
  /** The value records hold (OpportunityStage.ApiName); defaults to the label. A rename keeps it. */
  apiName?: string;
  isClosed: boolean;
  isWon: boolean;
  probability: number;
  forecastCategoryName: string;
}

export interface CurrencyInfo {
  code: string;
  rate: number;
  decimalPlaces?: number;
}

export interface OrgOptions {
  multiCurrency?: boolean;
  currencies?: CurrencyInfo[];
  corporateCurrency?: string;
  orgName?: string;
}

/** Recycle-bin retention; getDeleted's window. */
export const RECYCLE_DAYS = 15;

export class OrgStore implements SoqlDataSource, RefChecker, SalesProcessOrg {
  readonly orgId: string;
  /** Entities selected for Change Data Capture (Setup › Change Data Capture), e.g. `Opportunity`. */
  readonly cdcSelected = new Set<string>();
  /** Receives every API write (set by the emulator state; seeds write before it is set). */
  changeSink: ((c: RecordChange) => void) | undefined;
  readonly multiCurrency: boolean;
  readonly corporateCurrency: string;
  schema: Map<string, ObjectDef>;
  private readonly tables = new Map<string, Table>();
  private soqlInfo = new Map<string, SoqlObjectInfo>();
  private readonly stages = new Map<string, StageInfo>();
  private readonly indexes = new Indexes((type) => this.table(type)?.rows ?? []);
  /** Rows deleted along with a parent (cascade), restored when the parent is undeleted. */
  private readonly cascaded = new Map<string, Row[]>();
  readonly currencyCodes: string[];
  /** Stages each opportunity record type's sales process uses (record type id → stage API names). */
  readonly recordTypeStages = new Map<string, string[]>();
  /** Per-user default opportunity record type (the user's profile default), user id → record type id. */
  readonly userDefaultRecordTypes = new Map<string, string>();
  /** The default record type of users without their own (undefined: the first active one). */
  orgDefaultRecordType: string | undefined;
  apiUserId = '';
  /** The admins' validation, duplicate and field-update rules, and field history tracking. */
  readonly automation = new OrgAutomation({
    liveRows: (type) => (this.table(type)?.rows ?? []).filter((r) => !r.IsDeleted),
    fieldType: (type, f) => this.def(type)?.fieldsByLower.get(f.toLowerCase())?.type,
  });
  /** Custom fields added through Setup since the org was created (`addCustomField`). */
  private readonly customFields: CustomFieldSpec[] = [];

  constructor(
    readonly clock: Clock,
    readonly options: OrgOptions = {},
  ) {
    this.multiCurrency = options.multiCurrency ?? false;
    this.corporateCurrency = options.corporateCurrency ?? options.currencies?.[0]?.code ?? 'USD';
    this.currencyCodes = this.multiCurrency
      ? (options.currencies?.map((c) => c.code) ?? [this.corporateCurrency])
      : [];
    this.schema = buildSchema(this.shape());
    let offset = 0x2f0000;
    for (const def of this.schema.values())
      this.tables.set(def.name.toLowerCase(), new Table(def, (offset += 0x1000)));
    const org = this.insertRaw('Organization', {
      Name: options.orgName ?? 'Dealbridge Emulated Org',
      OrganizationType: 'Enterprise Edition',
      InstanceName: 'EMU1',
      IsSandbox: false,
      DefaultLocaleSidKey: 'en_US',
      TimeZoneSidKey: 'GMT',
      LanguageLocaleKey: 'en_US',
    });
    this.orgId = org.Id as string;
    if (this.multiCurrency) {
      for (const c of options.currencies ?? [{ code: this.corporateCurrency, rate: 1 }]) {
        this.insertRaw('CurrencyType', {
          IsoCode: c.code,
          ConversionRate: c.code === this.corporateCurrency ? 1 : c.rate,
          DecimalPlaces: c.decimalPlaces ?? 2,
          IsActive: true,
          IsCorporate: c.code === this.corporateCurrency,
        });
      }
    }
  }

  private shape(): OrgShape {
    return {
      multiCurrency: this.multiCurrency,
      currencyCodes: this.currencyCodes,
      corporateCurrency: this.corporateCurrency,
      stages: this.stageRows().map((r) => ({
        value: r.ApiName as string,
        label: r.MasterLabel as string,
        active: r.IsActive === true,
        defaultValue: false,
      })),
      customFields: this.customFields,
    };
  }

  /** Setup › Object Manager › Fields › New: the field exists from now on, empty on every record. */
  addCustomField(spec: CustomFieldSpec): void {
    this.customFields.push(spec);
    this.refreshSchema();
  }

  /** OpportunityStage rows in SortOrder (the order Setup shows and the picklist lists). */
  stageRows(): Row[] {
    return [...(this.table('OpportunityStage')?.rows ?? [])].sort(
      (a, b) => (a.SortOrder as number) - (b.SortOrder as number),
    );
  }

  /** Rebuilds picklists that depend on data (StageName from OpportunityStage); call after Setup changes. */
  refreshSchema(): void {
    this.schema = buildSchema(this.shape());
    for (const def of this.schema.values()) this.tables.get(def.name.toLowerCase())!.def = def;
    this.soqlInfo = new Map();
  }

  // ---- SoqlDataSource ----

  describe(sobject: string): SoqlObjectInfo | undefined {
    const key = sobject.toLowerCase();
    let info = this.soqlInfo.get(key);
    if (!info) {
      const def = this.schema.get(key);
      if (!def) return undefined;
      info = toSoqlInfo(def);
      this.soqlInfo.set(key, info);
    }
    return info;
  }

  *scan(sobject: string, opts: { includeDeleted: boolean }): Iterable<SoqlRow> {
    const t = this.tables.get(sobject.toLowerCase());
    if (!t) return;
    if (opts.includeDeleted || t.deletedQueue.length === 0) {
      yield* t.rows;
      return;
    }
    for (const r of t.rows) if (!r.IsDeleted) yield r;
  }

  get(sobject: string, id: string): SoqlRow | undefined {
    return this.tables.get(sobject.toLowerCase())?.byId.get(id);
  }

  children(
    childSObject: string,
    field: string,
    parentId: string,
    opts: { includeDeleted: boolean },
  ): Iterable<SoqlRow> {
    const rows = this.indexes.children(childSObject, field, parentId);
    return opts.includeDeleted ? rows : rows.filter((r) => !r.IsDeleted);
  }

  now(): Date {
    return new Date(this.clock.now());
  }

  // ---- lookups ----

  def(type: string): ObjectDef | undefined {
    return this.schema.get(type.toLowerCase());
  }

  table(type: string): Table | undefined {
    return this.tables.get(type.toLowerCase());
  }

  allTables(): Table[] {
    return [...this.tables.values()];
  }

  typeOfId(id: string): ObjectDef | undefined {
    const p = keyPrefix(id);
    for (const def of this.schema.values()) if (def.keyPrefix === p) return def;
    return undefined;
  }

  prefixOf(type: string): string | undefined {
    return this.def(type)?.keyPrefix;
  }

  refState(type: string, id: string): 'ok' | 'missing' | 'deleted' {
    const row = this.table(type)?.byId.get(id);
    return !row ? 'missing' : row.IsDeleted ? 'deleted' : 'ok';
  }

  stage(apiName: string): StageInfo | undefined {
    return this.stages.get(apiName);
  }

  // ---- SalesProcessOrg ----

  recordTypes(): Row[] {
    return this.table('RecordType')?.rows ?? [];
  }

  activeStages(): string[] {
    return this.stageRows()
      .filter((r) => r.IsActive === true)
      .map((r) => r.ApiName as string);
  }

  processStages(recordTypeId: string): readonly string[] | undefined {
    return this.recordTypeStages.get(recordTypeId);
  }

  userDefault(userId: string): string | undefined {
    return this.userDefaultRecordTypes.get(userId);
  }

  orgDefault(): string | undefined {
    return this.orgDefaultRecordType;
  }

  // ---- setup (seed, admin) ----

  /** Inserts a row without validation (seeding, setup objects); server fields default to now. */
  insertRaw(type: string, values: Record<string, SoqlValue>): Row {
    const t = this.table(type);
    if (!t) throw new Error(`unknown sObject ${type}`);
    const row = t.newRow();
    const now = this.clock.stampNow();
    row.CreatedDate = now;
    row.LastModifiedDate = now;
    row.SystemModstamp = now;
    if ('CreatedById' in row) row.CreatedById = this.apiUserId || null;
    if ('LastModifiedById' in row) row.LastModifiedById = this.apiUserId || null;
    if ('CurrencyIsoCode' in row) row.CurrencyIsoCode = this.corporateCurrency;
    for (const k in values) row[k] = values[k]!;
    if (type === 'Opportunity') this.deriveOpportunity(row, values);
    if (type === 'Contact') row.Name = [row.FirstName, row.LastName].filter(Boolean).join(' ');
    if (type === 'User' && row.Name === null)
      row.Name = [row.FirstName, row.LastName].filter(Boolean).join(' ');
    t.add(row);
    this.indexes.inserted(t.def.name, row);
    return row;
  }

  /** Overwrites fields of an existing row without validation (data files naming an existing id). */
  mergeRaw(type: string, row: Row, values: Record<string, SoqlValue>): Row {
    const def = this.def(type)!;
    for (const k in values) this.indexes.write(def.name, row, k, values[k]!);
    if (def.name === 'Opportunity') this.deriveOpportunity(row, values);
    return row;
  }

  addStage(s: StageInfo & { sortOrder?: number; isActive?: boolean }): Row {
    const apiName = s.apiName ?? s.label;
    this.stages.set(apiName, { ...s, apiName });
    const row = this.insertRaw('OpportunityStage', {
      MasterLabel: s.label,
      ApiName: apiName,
      IsActive: s.isActive ?? true,
      SortOrder: s.sortOrder ?? this.stages.size,
      IsClosed: s.isClosed,
      IsWon: s.isWon,
      ForecastCategory: FORECAST_TYPE[s.forecastCategoryName] ?? 'Pipeline',
      ForecastCategoryName: s.forecastCategoryName,
      DefaultProbability: s.probability,
    });
    this.refreshSchema();
    return row;
  }

  /** Replaces a stage's derivation data (closed/won/probability/forecast) after a Setup edit. */
  setStageInfo(apiName: string, info: StageInfo): void {
    this.stages.set(apiName, { ...info, apiName });
  }

  addDatedRate(code: string, rate: number, startDate: string, nextStartDate: string): Row {
    return this.insertRaw('DatedConversionRate', {
      IsoCode: code,
      ConversionRate: rate,
      StartDate: startDate,
      NextStartDate: nextStartDate,
    });
  }

  // ---- Opportunity derivations ----

  private deriveOpportunity(row: Row, given: Record<string, SoqlValue>, stageChanged = true): void {
    deriveOpportunityFields(this.stages.get(row.StageName as string), row, given, stageChanged);
  }

  // ---- API writes ----

  private requireWritable(type: string, op: 'create' | 'update' | 'delete'): { def: ObjectDef; t: Table } {
    const def = this.def(type);
    const t = this.table(type);
    if (!def || !t) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const ok = op === 'create' ? def.createable : op === 'update' ? def.updateable : def.deletable;
    if (!ok) {
      const verb = op === 'create' ? 'inserted' : op === 'update' ? 'updated' : 'deleted';
      throw apiError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be ${verb}: ${def.name}`);
    }
    return { def, t };
  }

  /**
   * Everything a save checks before it writes, in Salesforce's order: field values, record type
   * and sales process, unique fields, then the admins' validation and duplicate rules. `row` is
   * the record on update. Throws what Salesforce would answer.
   */
  private prepare(type: string, input: Record<string, unknown>, userId: string, row?: Row) {
    const { def, t } = this.requireWritable(type, row ? 'update' : 'create');
    const values = validateInput(def, input, this, row);
    if (def.name === 'Opportunity') applyOpportunityRules(this, values, userId, row);
    checkUnique(def, values, (f, v) => this.findByExternalId(def.name, f, v), row?.Id as string | undefined);
    this.automation.check(def.name, row ? { ...row, ...values } : values, row);
    return { def, t, values };
  }

  /** Runs create's validation without writing (sObject Collections with allOrNone). */
  checkCreate(type: string, input: Record<string, unknown>, userId: string): void {
    this.prepare(type, input, userId);
  }

  /** Runs update's checks without writing. */
  checkUpdate(type: string, rawId: string, input: Record<string, unknown>, userId: string): void {
    this.requireWritable(type, 'update');
    const row = this.liveRow(type, rawId);
    this.automation.lockCheck(row.Id as string, false);
    this.prepare(type, input, userId, row);
  }

  create(type: string, input: Record<string, unknown>, userId: string): Row {
    const { def, values } = this.prepare(type, input, userId);
    const extra: Record<string, SoqlValue> = { ...values };
    if (def.fieldsByLower.has('ownerid') && (values.OwnerId === undefined || values.OwnerId === null))
      extra.OwnerId = userId;
    const row = this.insertRaw(def.name, extra);
    row.CreatedById = userId;
    row.LastModifiedById = userId;
    if (def.name === 'Opportunity') this.deriveOpportunity(row, values);
    if (def.name === 'OpportunityContactRole' && this.multiCurrency && values.CurrencyIsoCode === undefined) {
      row.CurrencyIsoCode =
        this.get('Opportunity', row.OpportunityId as string)?.CurrencyIsoCode ?? this.corporateCurrency;
    }
    this.afterSave(def, row, undefined, userId);
    // After the field updates: the change event carries the record as the transaction saved it.
    this.changeSink?.({ entity: def.name, op: 'CREATE', row, userId });
    return row;
  }

  /** After the save: the field updates it triggers, then the history of tracked fields. */
  private afterSave(def: ObjectDef, row: Row, before: Readonly<Row> | undefined, userId: string): void {
    const updates = this.automation.fieldUpdatesFor(def.name, row, before, row.SystemModstamp as number);
    for (const k in updates) this.indexes.write(def.name, row, k, updates[k]!);
    if (def.name === 'Opportunity' && Object.keys(updates).length > 0)
      this.deriveOpportunity(row, updates, updates.StageName !== undefined);
    if (def.name !== 'Opportunity') return;
    for (const h of this.automation.historyFor(def.name, row, before))
      this.insertRaw('OpportunityFieldHistory', { OpportunityId: row.Id as string, ...h }).CreatedById =
        userId;
  }

  /** The live row of a type by a client-supplied id, or the error Salesforce answers. */
  liveRow(type: string, rawId: string): Row {
    const t = this.table(type);
    const id = normalizeId(rawId);
    const row = id && t ? t.byId.get(id) : undefined;
    if (!row) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (row.IsDeleted) throw apiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return row;
  }

  update(type: string, rawId: string, input: Record<string, unknown>, userId: string): Row {
    this.requireWritable(type, 'update');
    const row = this.liveRow(type, rawId);
    this.automation.lockCheck(row.Id as string, true);
    const { def, values } = this.prepare(type, input, userId, row);
    const before = { ...row };
    for (const k in values) this.indexes.write(def.name, row, k, values[k]!);
    if (def.name === 'Opportunity') this.deriveOpportunity(row, values, values.StageName !== undefined);
    if (def.name === 'Contact') row.Name = [row.FirstName, row.LastName].filter(Boolean).join(' ');
    this.touch(row, userId);
    this.afterSave(def, row, before, userId);
    this.changeSink?.({ entity: def.name, op: 'UPDATE', row, changed: diffRow(before, row), userId });
    return row;
  }

  private touch(row: Row, userId: string): void {
    const now = this.clock.stampNow();
    row.LastModifiedDate = now;
    row.SystemModstamp = now;
    row.LastModifiedById = userId;
  }

  /** Deletes a record to the recycle bin, with the children Salesforce deletes along with it. */
  remove(type: string, rawId: string, userId: string): void {
    const { def, t } = this.requireWritable(type, 'delete');
    const row = this.liveRow(type, rawId);
    const now = this.clock.stampNow();
    const markDeleted = (r: Row, table: Table) => {
      r.IsDeleted = true;
      r.SystemModstamp = now;
      r.LastModifiedById = userId;
      table.deletedQueue.push(r);
      this.changeSink?.({ entity: table.def.name, op: 'DELETE', row: r, userId });
    };
    const withIt: Row[] = [];
    const cascade = (parentDef: ObjectDef, parent: Row) => {
      for (const rel of parentDef.childRelationships) {
        if (!rel.cascadeDelete) continue;
        const childTable = this.table(rel.childSObject)!;
        for (const c of [...this.indexes.children(rel.childSObject, rel.field, parent.Id as string)]) {
          if (c.IsDeleted) continue;
          markDeleted(c, childTable);
          withIt.push(c);
          cascade(childTable.def, c);
        }
      }
    };
    markDeleted(row, t);
    cascade(def, row);
    if (withIt.length > 0) this.cascaded.set(row.Id as string, withIt);
  }

  /** Restores a record (and what was deleted with it) from the recycle bin. */
  undelete(rawId: string, userId = this.apiUserId): Row {
    const id = normalizeId(rawId);
    const def = id ? this.typeOfId(id) : undefined;
    const t = def ? this.table(def.name) : undefined;
    const row = id && t ? t.byId.get(id) : undefined;
    if (!row || !t)
      throw apiError(404, 'NOT_FOUND', `No deleted record with id ${rawId} (purged or never existed)`);
    if (!row.IsDeleted) throw apiError(400, 'UNDELETE_FAILED', 'Entity is not in the recycle bin');
    const now = this.clock.stampNow();
    const restore = (r: Row) => {
      const table = this.table(this.typeOfId(r.Id as string)!.name)!;
      r.IsDeleted = false;
      r.SystemModstamp = now;
      r.LastModifiedDate = now;
      table.deletedQueue = table.deletedQueue.filter((x) => x !== r);
      this.changeSink?.({ entity: table.def.name, op: 'UNDELETE', row: r, userId });
    };
    restore(row);
    for (const c of this.cascaded.get(row.Id as string) ?? []) restore(c);
    this.cascaded.delete(row.Id as string);
    return row;
  }

  /** Empties recycle-bin entries older than the retention (called lazily by replication reads). */
  purgeRecycleBin(): void {
    const before = this.clock.now() - RECYCLE_DAYS * DAY_MS;
    for (const t of this.tables.values()) {
      for (const r of t.purgeDeletedBefore(before)) {
        this.indexes.purged(t.def.name, r);
        this.cascaded.delete(r.Id as string);
      }
    }
  }

  /** Live rows whose external-id (or unique) field equals value, case-insensitively as Salesforce matches. */
  findByExternalId(type: string, fieldName: string, value: string): Row[] {
    return this.indexes.external(type, fieldName, value).filter((r) => !r.IsDeleted);
  }
}

export { ApiError, RecordError };
