// OpportunityFieldHistory (Object Reference: "OpportunityFieldHistory"; Field Reference lists
// CreatedById, CreatedDate, DataType, Field, Id, IsDeleted, NewValue, OldValue, OpportunityId):
// one row per change of a tracked field, written by Salesforce, never by the API. Supported calls
// are describe, query and retrieve; the rows go to the recycle bin with their opportunity.
import { defineObject, field, ref, ro } from './field-defs.js';
import type { ObjectDef } from './schema.js';

export function opportunityFieldHistory(): ObjectDef {
  const def = defineObject(
    'OpportunityFieldHistory',
    'Opportunity Field History',
    'Opportunity Field History',
    '017',
    [
      field('Id', 'Opportunity History ID', 'id', { ...ro, nillable: false, defaultedOnCreate: true }),
      field('IsDeleted', 'Deleted', 'boolean', { ...ro, nillable: false }),
      ref('OpportunityId', 'Opportunity ID', 'Opportunity', 'Opportunity', { ...ro, nillable: false }),
      field('Field', 'Changed Field', 'picklist', { ...ro, length: 255, restrictedPicklist: true }),
      field('DataType', 'Datatype', 'picklist', { ...ro, length: 40, restrictedPicklist: true }),
      field('OldValue', 'Old Value', 'anyType', { ...ro, length: 255 }),
      field('NewValue', 'New Value', 'anyType', { ...ro, length: 255 }),
      ref('CreatedById', 'Created By ID', 'User', 'CreatedBy', { ...ro, nillable: false }),
      field('CreatedDate', 'Created Date', 'datetime', { ...ro, nillable: false }),
    ],
    { writable: false, replicateable: false },
  );
  return def;
}
