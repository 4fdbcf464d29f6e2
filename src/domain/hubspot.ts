// HubSpot objects as the engine sees them. Property values are strings, as on HubSpot's wire.

export type HsProperties = Record<string, string | null>;

export interface HsObject {
  id: string;
  properties: HsProperties;
  archived?: boolean;
}

export interface HsOwner {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  archived: boolean;
}

export interface HsPipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  /** HubSpot keeps probability as a string "0.0".."1.0" in metadata. */
  probability: number;
  isClosed: boolean;
}

export interface HsPipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: HsPipelineStage[];
}

export interface HsPropertyDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: string;
  groupName: string;
  hasUniqueValue?: boolean;
  options?: { label: string; value: string; displayOrder?: number; hidden?: boolean }[];
  readOnlyValue?: boolean;
}

export interface HsAccountInfo {
  portalId: number;
  companyCurrency: string;
  /** Currencies enabled in the portal (company currency included). */
  currencies: string[];
  timeZone: string;
}

export type HsObjectType = 'deals' | 'contacts' | 'companies';

/** An association as written: HubSpot-defined type ids (deal→contact 3, deal→company primary 5). */
export interface HsAssociationInput {
  fromId: string;
  toId: string;
  typeId: number;
}

/** One failed input of a batch call, attributed to the input that caused it. */
export interface HsInputError {
  /** Index of the input in the request. */
  index: number;
  /** Stable dealbridge error code (src/errors/catalogue.ts). */
  code: string;
  message: string;
  /** The HubSpot property at fault, when HubSpot names one. */
  property?: string;
}

/**
 * One value a property held, as `propertiesWithHistory` lists it (newest first): when it was set
 * and by what (`sourceType` CRM_UI, INTEGRATION, API, IMPORT, CALCULATED…; `sourceId` the user,
 * app or integration where HubSpot names it).
 */
export interface HsPropertyValueEntry {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
}

/** A deal's current values and, for the properties asked, their history. */
export interface HsObjectWithHistory extends HsObject {
  history: Record<string, HsPropertyValueEntry[]>;
}
