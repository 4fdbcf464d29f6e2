// Setup changes an admin makes to opportunity record types and stages (Salesforce has no data-API
// write for these: RecordType and OpportunityStage are read-only to API clients). Each change
// stamps the Setup row as Salesforce does (LastModifiedDate/SystemModstamp), and the StageName
// picklist (describe, UI API, validation) follows at once. Records keep the values they hold:
// a renamed stage keeps its API name, a deactivated stage or record type stays on old records.
import type { Row } from './table.js';
import type { OrgStore, StageInfo } from './store.js';
import { FORECAST_TYPE } from './standard-picklists.js';
import { apiError } from './errors.js';
import { normalizeId } from './ids.js';

export interface RecordTypeInput {
  name?: unknown;
  developerName?: unknown;
  description?: unknown;
  active?: unknown;
  /** Stage API names of the record type's sales process, in any order (the picklist's order rules). */
  stages?: unknown;
}

export interface StageInput {
  label?: unknown;
  apiName?: unknown;
  active?: unknown;
  isClosed?: unknown;
  isWon?: unknown;
  probability?: unknown;
  forecastCategoryName?: unknown;
  sortOrder?: unknown;
  /** Record types whose sales process gets the new stage (Setup asks which processes to add it to). */
  recordTypeIds?: unknown;
}

function bad(message: string): never {
  throw apiError(400, 'INVALID_ARGUMENT', message);
}

function text(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string' || v.trim() === '') bad(`${what} must be a non-empty string`);
  if (v.length > max) bad(`${what} is longer than ${max} characters`);
  return v;
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') bad(`${what} must be true or false`);
  return v;
}

function touch(store: OrgStore, row: Row): void {
  const now = store.clock.stampNow();
  row.LastModifiedDate = now;
  row.SystemModstamp = now;
  row.LastModifiedById = store.apiUserId || null;
}

/** An opportunity record type by id (15 or 18 characters), or 404. */
export function opportunityRecordType(store: OrgStore, rawId: string): Row {
  const id = normalizeId(rawId);
  const row = id ? store.get('RecordType', id) : undefined;
  if (!row || row.SobjectType !== 'Opportunity')
    throw apiError(404, 'NOT_FOUND', `no opportunity record type ${rawId}`);
  return row as Row;
}

function stageRow(store: OrgStore, apiName: string): Row {
  const row = store.stageRows().find((r) => r.ApiName === apiName);
  if (!row) throw apiError(404, 'NOT_FOUND', `no opportunity stage with API name ${apiName}`);
  return row;
}

function stageList(store: OrgStore, v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) bad('stages must be a non-empty array of stage API names');
  const known = new Set(store.stageRows().map((r) => r.ApiName as string));
  const out = v.map((s) => {
    if (typeof s !== 'string' || !known.has(s))
      bad(`stages: no opportunity stage with API name ${String(s)}`);
    return s;
  });
  return [...new Set(out)];
}

function developerName(v: unknown, name: string): string {
  const dev = v === undefined ? name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') : v;
  const s = text(dev, 'developerName', 80);
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(s) || s.includes('__') || s.endsWith('_'))
    bad(`developerName ${s} must start with a letter and hold only letters, digits and single underscores`);
  return s;
}

function checkUniqueDeveloperName(store: OrgStore, dev: string, selfId?: string): void {
  const clash = store
    .recordTypes()
    .find((rt) => rt.SobjectType === 'Opportunity' && rt.Id !== selfId && rt.DeveloperName === dev);
  if (clash) bad(`an opportunity record type named ${dev} exists already (${String(clash.Id)})`);
}

/** Setup › Record Types › New: a record type with its sales process. */
export function addRecordType(store: OrgStore, input: RecordTypeInput): Row {
  const name = text(input.name, 'name', 80);
  const dev = developerName(input.developerName, name);
  checkUniqueDeveloperName(store, dev);
  const stages = stageList(store, input.stages);
  const row = store.insertRaw('RecordType', {
    Name: name,
    DeveloperName: dev,
    SobjectType: 'Opportunity',
    Description: input.description === undefined ? null : text(input.description, 'description', 255),
    IsActive: input.active === undefined ? true : bool(input.active, 'active'),
  });
  store.recordTypeStages.set(row.Id as string, stages);
  return row;
}

/** Setup › Record Types › Edit: rename, (de)activate, or change the sales process's stages. */
export function editRecordType(store: OrgStore, rawId: string, input: RecordTypeInput): Row {
  const row = opportunityRecordType(store, rawId);
  if (input.name !== undefined) row.Name = text(input.name, 'name', 80);
  if (input.developerName !== undefined) {
    const dev = developerName(input.developerName, row.Name as string);
    checkUniqueDeveloperName(store, dev, row.Id as string);
    row.DeveloperName = dev;
  }
  if (input.description !== undefined)
    row.Description = input.description === null ? null : text(input.description, 'description', 255);
  if (input.active !== undefined) row.IsActive = bool(input.active, 'active');
  if (input.stages !== undefined)
    store.recordTypeStages.set(row.Id as string, stageList(store, input.stages));
  touch(store, row);
  return row;
}

/** A profile's default record type: for one user, or (userId undefined) for every user without one. */
export function setDefaultRecordType(store: OrgStore, rawId: string, userId?: string): string {
  const row = opportunityRecordType(store, rawId);
  if (row.IsActive !== true) bad(`record type ${String(row.Id)} is inactive and cannot be a default`);
  if (userId) store.userDefaultRecordTypes.set(userId, row.Id as string);
  else store.orgDefaultRecordType = row.Id as string;
  return row.Id as string;
}

function stageInfo(row: Row, input: StageInput, base?: StageInfo): StageInfo {
  const isClosed =
    input.isClosed === undefined ? (base?.isClosed ?? false) : bool(input.isClosed, 'isClosed');
  const isWon = input.isWon === undefined ? (base?.isWon ?? false) : bool(input.isWon, 'isWon');
  if (isWon && !isClosed) bad('a won stage must be closed (isClosed true)');
  let probability = base?.probability ?? (isWon ? 100 : isClosed ? 0 : 10);
  if (input.probability !== undefined) {
    const p = input.probability;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 100)
      bad('probability must be a whole number from 0 to 100');
    probability = p;
  }
  let forecast = base?.forecastCategoryName ?? (isWon ? 'Closed' : isClosed ? 'Omitted' : 'Pipeline');
  if (input.forecastCategoryName !== undefined) {
    const f = input.forecastCategoryName;
    if (typeof f !== 'string' || !(f in FORECAST_TYPE))
      bad(`forecastCategoryName must be one of ${Object.keys(FORECAST_TYPE).join(', ')}`);
    forecast = f;
  }
  return { label: row.MasterLabel as string, isClosed, isWon, probability, forecastCategoryName: forecast };
}

/** Setup › Opportunity › Stage › New: a stage value, optionally added to some sales processes. */
export function addSetupStage(store: OrgStore, input: StageInput): Row {
  const label = text(input.label, 'label', 255);
  const apiName = input.apiName === undefined ? label : text(input.apiName, 'apiName', 255);
  if (store.stageRows().some((r) => r.ApiName === apiName || r.MasterLabel === label))
    bad(`a stage with label ${label} or API name ${apiName} exists already`);
  const rts = input.recordTypeIds === undefined ? [] : input.recordTypeIds;
  if (!Array.isArray(rts)) bad('recordTypeIds must be an array of record type ids');
  const types = rts.map((id) => opportunityRecordType(store, String(id)));
  const rows = store.stageRows();
  const last = rows.length > 0 ? (rows[rows.length - 1]!.SortOrder as number) : 0;
  const info = stageInfo({ MasterLabel: label } as Row, input);
  const sortOrder = input.sortOrder === undefined ? last + 1 : Number(input.sortOrder);
  if (!Number.isInteger(sortOrder)) bad('sortOrder must be a whole number');
  const row = store.addStage({
    ...info,
    apiName,
    sortOrder,
    isActive: input.active === undefined ? true : bool(input.active, 'active'),
  });
  for (const rt of types) {
    const id = rt.Id as string;
    store.recordTypeStages.set(id, [...(store.recordTypeStages.get(id) ?? []), apiName]);
  }
  return row;
}

/** Setup › Opportunity › Stage › Edit/Deactivate/Activate. The API name never changes here. */
export function editStage(store: OrgStore, apiName: string, input: StageInput): Row {
  const row = stageRow(store, apiName);
  if (input.apiName !== undefined && input.apiName !== apiName)
    bad('changing a stage API name is not emulated; rename its label instead');
  if (input.label !== undefined) {
    const label = text(input.label, 'label', 255);
    if (store.stageRows().some((r) => r !== row && r.MasterLabel === label))
      bad(`a stage labelled ${label} exists already`);
    row.MasterLabel = label;
  }
  if (input.active !== undefined) row.IsActive = bool(input.active, 'active');
  if (input.sortOrder !== undefined) {
    const n = input.sortOrder;
    if (typeof n !== 'number' || !Number.isInteger(n)) bad('sortOrder must be a whole number');
    row.SortOrder = n;
  }
  const info = stageInfo(row, input, store.stage(apiName));
  store.setStageInfo(apiName, info);
  row.IsClosed = info.isClosed;
  row.IsWon = info.isWon;
  row.DefaultProbability = info.probability;
  row.ForecastCategoryName = info.forecastCategoryName;
  row.ForecastCategory = FORECAST_TYPE[info.forecastCategoryName] ?? 'Pipeline';
  touch(store, row);
  store.refreshSchema();
  return row;
}

/** The record types with their sales processes and defaults, as the admin API lists them. */
export function recordTypeSummary(store: OrgStore) {
  return store
    .recordTypes()
    .filter((rt) => rt.SobjectType === 'Opportunity')
    .map((rt) => ({
      id: rt.Id,
      name: rt.Name,
      developerName: rt.DeveloperName,
      description: rt.Description,
      active: rt.IsActive,
      stages: store.recordTypeStages.get(rt.Id as string) ?? null,
      orgDefault: store.orgDefaultRecordType === rt.Id,
    }));
}

export function stageSummary(store: OrgStore) {
  return store.stageRows().map((r) => ({
    apiName: r.ApiName,
    label: r.MasterLabel,
    active: r.IsActive,
    sortOrder: r.SortOrder,
    isClosed: r.IsClosed,
    isWon: r.IsWon,
    probability: r.DefaultProbability,
    forecastCategoryName: r.ForecastCategoryName,
  }));
}
