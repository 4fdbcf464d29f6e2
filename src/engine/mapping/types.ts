import type { HsProperties, HsPropertyDefinition } from '../../domain/hubspot.js';
import type { ErrorCode } from '../../errors/index.js';

/** One problem with one record: `message` names the record, the field and the reason. */
export interface RecordIssue {
  code: ErrorCode;
  /** The Salesforce field (or, for configuration problems, the HubSpot property) at fault. */
  field: string;
  message: string;
}

export interface StageTarget {
  pipelineId: string;
  stageId: string;
}

/**
 * key: `${recordTypeId ?? 'default'}` → StageName (API name) → target. An opportunity whose record
 * type has no key of its own uses the `default` key, so one map keyed `default` serves an org that
 * wants a single pipeline for all record types.
 */
export type StageMap = Map<string, Map<string, StageTarget>>;

/** The per-field rules HubSpot's own Salesforce connector offers. */
export type SyncRule = 'prefer_salesforce_unless_blank' | 'always_salesforce' | 'two_way' | 'dont_sync';

export interface FieldMapping {
  salesforceField: string;
  hubspotProperty: string;
  rule: SyncRule;
  /**
   * true: any Opportunity field (value in `SfOpportunity.extra`) → any deal property.
   * false: changes the rule of a default mapping (e.g. `Description` → `description`, `dont_sync`).
   */
  custom: boolean;
}

export interface MappingContext {
  /** Salesforce User Id → HubSpot owner id (from the owner map). */
  ownerByUserId: Map<string, string>;
  fallbackOwnerId: string | null;
  stageMap: StageMap;
  /**
   * true: an opportunity uses its own record type's key only (a map setup made). false or absent:
   * a record type without a key of its own uses `default` (a map the user made for one pipeline).
   */
  recordTypeKeysOnly?: boolean;
  /** Why a stage could not be provisioned, by `stageDemandKey`: said in STAGE_NOT_MAPPED's message. */
  unmappedReasons?: ReadonlyMap<string, string>;
  multiCurrency: boolean;
  /** Portal currencies (ISO codes). */
  enabledCurrencies: ReadonlySet<string>;
  /** HubSpot dealtype option values. */
  dealTypeOptions: ReadonlySet<string>;
  /** Salesforce Type value → HubSpot dealtype value (see setup/plan.ts's defaultTypeValueMap). */
  typeValueMap: ReadonlyMap<string, string>;
  customMappings: FieldMapping[];
  /** Deal property definitions, for type/length/option checks of custom mappings. */
  hubspotProperties: ReadonlyMap<string, HsPropertyDefinition>;
  /** Optional: stage-map key → pipeline label, so that STAGE_NOT_MAPPED names the pipeline. */
  pipelineLabels?: ReadonlyMap<string, string>;
}

export interface MapOptions {
  isCreate: boolean;
  /**
   * The values last written to this deal (DealLink.lastValues). Needed by the `two_way` rule: a
   * Salesforce value is written only when it changed since it was last written, so that an edit
   * made in HubSpot after that stands until Salesforce changes again (latest change wins).
   */
  lastWritten?: Readonly<Record<string, string | null>>;
}

export type MappedDeal =
  | {
      ok: true;
      properties: HsProperties;
      /** Record-level problems that still let it sync, e.g. OWNER_NOT_FOUND. */
      warnings: RecordIssue[];
    }
  | { ok: false; errors: RecordIssue[] };
