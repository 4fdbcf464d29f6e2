// The builders the sObject definitions are written with (schema.ts, history-schema.ts): a field
// with Salesforce's describe defaults, a reference, the system fields every object has, an object.
import type { SoqlFieldType } from './soql/catalog.js';
import type { ChildRelationshipDef, FieldDef, ObjectDef, PicklistValue } from './schema.js';

export type FieldOpts = Partial<Omit<FieldDef, 'name' | 'label' | 'type' | 'picklistValues'>> & {
  picklist?: string[];
  /** Picklist entries with their own labels and active flags (StageName). */
  entries?: PicklistValue[];
};

export function field(name: string, label: string, type: SoqlFieldType, o: FieldOpts = {}): FieldDef {
  const sys = o.createable === false && o.updateable === false;
  const nillable = o.nillable ?? !(type === 'boolean' || type === 'id');
  return {
    name,
    label,
    type,
    length: o.length ?? (type === 'id' || type === 'reference' ? 18 : 0),
    nillable,
    createable: o.createable ?? true,
    updateable: o.updateable ?? true,
    required: o.required ?? false,
    defaultedOnCreate: o.defaultedOnCreate ?? (sys || type === 'boolean'),
    calculated: o.calculated ?? false,
    externalId: o.externalId ?? false,
    unique: o.unique ?? false,
    nameField: o.nameField ?? false,
    precision: o.precision ?? (type === 'currency' ? 18 : type === 'double' || type === 'percent' ? 18 : 0),
    scale: o.scale ?? (type === 'currency' || type === 'percent' ? 2 : 0),
    picklistValues:
      o.entries ?? (o.picklist ?? []).map((v) => ({ value: v, label: v, active: true, defaultValue: false })),
    restrictedPicklist: o.restrictedPicklist ?? false,
    referenceTo: o.referenceTo ?? [],
    relationshipName: o.relationshipName ?? null,
  };
}

export const ro = { createable: false, updateable: false } as const;

export function ref(name: string, label: string, to: string, rel: string, o: FieldOpts = {}): FieldDef {
  return field(name, label, 'reference', { referenceTo: [to], relationshipName: rel, ...o });
}

export function systemFields(): FieldDef[] {
  return [
    field('Id', 'Record ID', 'id', { ...ro, nillable: false, defaultedOnCreate: true }),
    field('IsDeleted', 'Deleted', 'boolean', { ...ro, nillable: false }),
    field('CreatedDate', 'Created Date', 'datetime', { ...ro, nillable: false }),
    ref('CreatedById', 'Created By ID', 'User', 'CreatedBy', { ...ro, nillable: false }),
    field('LastModifiedDate', 'Last Modified Date', 'datetime', { ...ro, nillable: false }),
    ref('LastModifiedById', 'Last Modified By ID', 'User', 'LastModifiedBy', { ...ro, nillable: false }),
    field('SystemModstamp', 'System Modstamp', 'datetime', { ...ro, nillable: false }),
  ];
}

export function owner(): FieldDef {
  return ref('OwnerId', 'Owner ID', 'User', 'Owner', { nillable: false, defaultedOnCreate: true });
}

export function defineObject(
  name: string,
  label: string,
  labelPlural: string,
  keyPrefix: string,
  fields: FieldDef[],
  o: { writable?: boolean; replicateable?: boolean; children?: ChildRelationshipDef[] } = {},
): ObjectDef {
  const writable = o.writable ?? true;
  return {
    name,
    label,
    labelPlural,
    keyPrefix,
    createable: writable,
    updateable: writable,
    deletable: writable,
    replicateable: o.replicateable ?? true,
    fields,
    fieldsByLower: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
    childRelationships: o.children ?? [],
  };
}

export function child(
  relationshipName: string,
  childSObject: string,
  fieldName: string,
  cascadeDelete = false,
): ChildRelationshipDef {
  return { relationshipName, childSObject, field: fieldName, cascadeDelete };
}
