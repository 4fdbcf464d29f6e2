// Describe payloads: GET /sobjects (describeGlobal) and GET /sobjects/{type}/describe, with the
// field properties clients read (name, label, type, length, nillable, createable, updateable,
// picklistValues, referenceTo, relationshipName, externalId, soapType, ...).
import type { FieldDef, ObjectDef } from './schema.js';
import type { OrgStore } from './store.js';
import type { Row } from './table.js';
import { formatDateTime } from './time.js';
import { MASTER_RECORD_TYPE_ID, defaultRecordType } from './sales-process.js';

const SOAP_TYPE: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function urls(def: ObjectDef, version: string) {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function objectFlags(def: ObjectDef) {
  return {
    activateable: false,
    createable: def.createable,
    custom: false,
    customSetting: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: def.createable,
    mergeable: false,
    mruEnabled: def.createable,
    name: def.name,
    queryable: true,
    replicateable: def.replicateable,
    retrieveable: true,
    searchable: def.createable,
    triggerable: def.createable,
    undeletable: def.deletable,
    updateable: def.updateable,
  };
}

export function describeGlobal(store: OrgStore, version: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...store.schema.values()].map((def) => ({ ...objectFlags(def), urls: urls(def, version) })),
  };
}

function describeField(f: FieldDef) {
  const text = f.length > 0 && f.type !== 'id' && f.type !== 'reference';
  return {
    aggregatable: f.type !== 'textarea' && f.type !== 'anyType',
    autoNumber: false,
    byteLength: text ? f.length * 3 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
    calculated: f.calculated,
    caseSensitive: false,
    createable: f.createable,
    custom: f.name.endsWith('__c'),
    defaultValue: null,
    defaultedOnCreate: f.defaultedOnCreate,
    digits: f.type === 'int' ? f.precision : 0,
    externalId: f.externalId,
    // A history row's OldValue/NewValue (anyType) can be sorted, not filtered or grouped.
    filterable: f.type !== 'textarea' && f.type !== 'anyType',
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime', 'anyType'].includes(f.type),
    idLookup: f.type === 'id' || f.externalId,
    label: f.label,
    length: text ? f.length : 0,
    name: f.name,
    nameField: f.nameField,
    nillable: f.nillable,
    // Describe lists a picklist's active values only; a deactivated stage is readable from
    // OpportunityStage (IsActive = false) and on the records that hold it.
    picklistValues: f.picklistValues.filter((p) => p.active).map((p) => ({ ...p, validFor: null })),
    precision: f.type === 'int' ? 0 : f.precision,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    soapType: SOAP_TYPE[f.type] ?? (f.type === 'anyType' ? 'xsd:anyType' : 'xsd:string'),
    sortable: f.type !== 'textarea',
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
  };
}

export function describeObject(store: OrgStore, def: ObjectDef, version: string, userId: string) {
  const layout = (id: string) => `/services/data/v${version}/sobjects/${def.name}/describe/layouts/${id}`;
  const types = store.recordTypes().filter((rt) => rt.SobjectType === def.name);
  // The running user's default (their profile's, else the org's); Master when no type is active.
  const defaultId = def.name === 'Opportunity' ? defaultRecordType(store, userId) : null;
  const recordTypeInfos = types.map((rt) => ({
    active: rt.IsActive === true,
    available: rt.IsActive === true,
    defaultRecordTypeMapping: rt.Id === defaultId,
    developerName: rt.DeveloperName,
    master: false,
    name: rt.Name,
    recordTypeId: rt.Id,
    urls: { layout: layout(String(rt.Id)) },
  }));
  recordTypeInfos.push({
    active: true,
    available: true,
    defaultRecordTypeMapping: defaultId === null,
    developerName: 'Master',
    master: true,
    name: 'Master',
    recordTypeId: MASTER_RECORD_TYPE_ID,
    urls: { layout: layout(MASTER_RECORD_TYPE_ID) },
  });
  return {
    ...objectFlags(def),
    childRelationships: def.childRelationships.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: false,
    })),
    fields: def.fields.map(describeField),
    recordTypeInfos,
    urls: urls(def, version),
  };
}

/** One record as GET /sobjects/{type}/{id} returns it: attributes, then fields in schema order. */
export function recordJson(
  def: ObjectDef,
  row: Readonly<Row>,
  version: string,
  fields?: FieldDef[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: def.name, url: `/services/data/v${version}/sobjects/${def.name}/${String(row.Id)}` },
  };
  for (const f of fields ?? def.fields) {
    const v = row[f.name] ?? null;
    out[f.name] = f.type === 'datetime' && typeof v === 'number' ? formatDateTime(v) : v;
  }
  return out;
}
