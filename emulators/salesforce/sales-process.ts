// Opportunity record types and sales processes as Salesforce applies them on writes:
// - a create without RecordTypeId gets the running user's default record type (describe's
//   recordTypeInfos[].defaultRecordTypeMapping); with no active record type it stays null (Master);
// - a RecordTypeId must name an active Opportunity record type ("this ID value isn't valid for the
//   user" otherwise, also for the Master id once record types exist);
// - StageName must be an active value of the record type's sales process (Master: every active
//   stage), else INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST; a value the record already holds is kept
//   when other fields change, so old records in a retired stage stay editable.
// Sources are listed in docs/emulators/salesforce.md ("Record types and sales processes").
import type { SoqlValue } from './soql/catalog.js';
import type { Row } from './table.js';
import { RecordError } from './errors.js';
import type { SfError } from './errors.js';

/** The Master record type's id as describe reports it (records of it hold RecordTypeId null). */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

/** What the rules need from the org: its record types, stages and per-user defaults. */
export interface SalesProcessOrg {
  recordTypes(): readonly Row[];
  /** Active stage API names in sort order. */
  activeStages(): string[];
  /** Stage API names of a record type's sales process (undefined: the master list). */
  processStages(recordTypeId: string): readonly string[] | undefined;
  /** The record type a user's profile defaults to, when one was set for that user. */
  userDefault(userId: string): string | undefined;
  /** The org-wide default (the profile default every user without their own gets). */
  orgDefault(): string | undefined;
}

function activeOpportunityTypes(org: SalesProcessOrg): Row[] {
  return org.recordTypes().filter((rt) => rt.SobjectType === 'Opportunity' && rt.IsActive === true);
}

/** The record type a create without RecordTypeId gets for this user, or null for Master. */
export function defaultRecordType(org: SalesProcessOrg, userId: string): string | null {
  const active = activeOpportunityTypes(org);
  if (active.length === 0) return null;
  const isActive = (id: string | undefined) => id !== undefined && active.some((rt) => rt.Id === id);
  const own = org.userDefault(userId);
  if (isActive(own)) return own!;
  const org_ = org.orgDefault();
  if (isActive(org_)) return org_!;
  return active[0]!.Id as string;
}

/** Stage API names a record of this record type (null = Master) may be saved with. */
export function allowedStages(org: SalesProcessOrg, recordTypeId: string | null): string[] {
  const active = org.activeStages();
  const process = recordTypeId ? org.processStages(recordTypeId) : undefined;
  return process ? active.filter((s) => process.includes(s)) : active;
}

function invalidRecordType(id: string): SfError {
  return {
    errorCode: 'INVALID_CROSS_REFERENCE_KEY',
    message: `Record Type ID: this ID value isn't valid for the user: ${id}`,
    fields: ['RecordTypeId'],
  };
}

function badStage(stage: string): SfError {
  return {
    errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    message: `Stage: bad value for restricted picklist field: ${stage}`,
    fields: ['StageName'],
  };
}

/**
 * Applies the record-type and sales-process rules to an Opportunity write. `values` are the
 * validated input (RecordTypeId may be set to the record type to store); `existing` is the row
 * on update. Throws RecordError when Salesforce would refuse the write.
 */
export function applyOpportunityRules(
  org: SalesProcessOrg,
  values: Record<string, SoqlValue>,
  userId: string,
  existing?: Readonly<Row>,
): void {
  const errors: SfError[] = [];
  const given = values.RecordTypeId;
  let recordType: string | null;
  if (given === undefined || (given === null && !existing)) {
    recordType = existing
      ? ((existing.RecordTypeId as string | null) ?? null)
      : defaultRecordType(org, userId);
    if (!existing) values.RecordTypeId = recordType;
  } else if (given === null || given === MASTER_RECORD_TYPE_ID) {
    // Master can be given only in an org without active record types (then it is stored as null).
    recordType = null;
    if (activeOpportunityTypes(org).length > 0 && given === MASTER_RECORD_TYPE_ID)
      errors.push(invalidRecordType(given));
    else values.RecordTypeId = null;
  } else {
    recordType = given as string;
    const same = existing !== undefined && existing.RecordTypeId === given;
    if (!same && !activeOpportunityTypes(org).some((rt) => rt.Id === given))
      errors.push(invalidRecordType(given as string));
  }
  const stage = (values.StageName ?? existing?.StageName) as string | null | undefined;
  const stageChanged = values.StageName !== undefined && values.StageName !== existing?.StageName;
  const typeChanged =
    existing !== undefined && recordType !== ((existing.RecordTypeId as string | null) ?? null);
  if (errors.length === 0 && typeof stage === 'string' && (!existing || stageChanged || typeChanged)) {
    if (!allowedStages(org, recordType).includes(stage)) errors.push(badStage(stage));
  }
  if (errors.length > 0) throw new RecordError(errors);
}

/**
 * IsClosed/IsWon/Probability/ForecastCategoryName follow StageName (Probability and an open
 * stage's forecast category may be set explicitly in the same write); ExpectedRevenue follows
 * Amount × Probability. `stage` is the row's stage; `stageChanged` false keeps the stage's fields.
 */
export function deriveOpportunityFields(
  stage: { isClosed: boolean; isWon: boolean; probability: number; forecastCategoryName: string } | undefined,
  row: Row,
  given: Record<string, SoqlValue>,
  stageChanged: boolean,
): void {
  if (stage && stageChanged) {
    row.IsClosed = stage.isClosed;
    row.IsWon = stage.isWon;
    if (given.Probability === undefined || given.Probability === null) row.Probability = stage.probability;
    if (stage.isClosed || given.ForecastCategoryName === undefined || given.ForecastCategoryName === null) {
      row.ForecastCategoryName = stage.forecastCategoryName;
    }
  }
  const amount = row.Amount as number | null;
  const p = row.Probability as number | null;
  row.ExpectedRevenue = amount === null || p === null ? null : Math.round(amount * p) / 100;
}
