export type {
  FieldMapping,
  MapOptions,
  MappedDeal,
  MappingContext,
  RecordIssue,
  StageMap,
  StageTarget,
  SyncRule,
} from './types.js';
export {
  describeOpportunity,
  dealTypeValue,
  mapOpportunityToDeal,
  overridableDefaults,
  protectedProperties,
  stageDemandKey,
  stageMapKeyOf,
} from './deal.js';
export { applyRule, checkMappingCompatibility, convertCustomValue } from './custom.js';
export { createOnlyProperties, dealPropertiesHash } from './hash.js';
export { websiteToDomain } from './domain.js';
export { HUBSPOT_STRING_MAX, decimalString, isIsoDate } from './values.js';
