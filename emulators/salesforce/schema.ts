// The sObject types the emulator speaks, with the describe metadata Salesforce reports for their
// standard fields (names, labels, types, lengths, nillable/createable/updateable, picklists,
// references). Field lengths and picklist values follow Salesforce's standard objects.
// The schema depends on the org: StageName's values come from OpportunityStage, and
// CurrencyIsoCode exists only in multi-currency orgs.
import type { SoqlFieldType, SoqlObjectInfo } from './soql/catalog.js';
import {
  ACCOUNT_TYPES,
  CONTACT_ROLES,
  FORECAST_CATEGORIES,
  INDUSTRIES,
  LEAD_SOURCES,
  OPPORTUNITY_TYPES,
} from './standard-picklists.js';
import { opportunityFieldHistory } from './history-schema.js';
import { child, defineObject, field, owner, ref, ro, systemFields } from './field-defs.js';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: SoqlFieldType;
  length: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Must be given on create (Salesforce: not nillable and not defaulted on create). */
  required: boolean;
  defaultedOnCreate: boolean;
  calculated: boolean;
  externalId: boolean;
  unique: boolean;
  nameField: boolean;
  precision: number;
  scale: number;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
}

export interface ChildRelationshipDef {
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** Appears in getUpdated/getDeleted and queryAll with IsDeleted. */
  replicateable: boolean;
  fields: FieldDef[];
  fieldsByLower: Map<string, FieldDef>;
  childRelationships: ChildRelationshipDef[];
}

export interface OrgShape {
  multiCurrency: boolean;
  currencyCodes: string[];
  corporateCurrency: string;
  /** StageName's values from OpportunityStage (value = ApiName, label = MasterLabel), inactive ones included. */
  stages: PicklistValue[];
  defaultStage?: string;
  /** Custom fields added through Setup (the admin API's `POST fields`), by object. */
  customFields?: CustomFieldSpec[];
}

/** A custom field as Setup › Object Manager › Fields creates it (`Notes__c`, a long text area). */
export interface CustomFieldSpec {
  sobject: string;
  name: string;
  label: string;
  type: SoqlFieldType;
  /** Characters for text types (a Long Text Area holds up to 131,072). */
  length: number;
  picklist: string[];
  restrictedPicklist: boolean;
}

/** Types a custom field may have here: the value types, not ids or references. */
export const CUSTOM_FIELD_TYPES: readonly SoqlFieldType[] = [
  'string',
  'textarea',
  'picklist',
  'boolean',
  'double',
  'currency',
  'percent',
  'int',
  'date',
  'datetime',
  'email',
  'phone',
  'url',
];

function currencyField(org: OrgShape): FieldDef[] {
  if (!org.multiCurrency) return [];
  const f = field('CurrencyIsoCode', 'Currency ISO Code', 'picklist', {
    length: 3,
    nillable: false,
    defaultedOnCreate: true,
    restrictedPicklist: true,
    picklist: org.currencyCodes,
  });
  return [f];
}

/** All sObject definitions for an org of the given shape, keyed by lower-case name. */
export function buildSchema(org: OrgShape): Map<string, ObjectDef> {
  const sys = systemFields();
  const defs: ObjectDef[] = [
    defineObject(
      'Organization',
      'Organization',
      'Organizations',
      '00D',
      [
        ...sys.filter((f) => f.name !== 'IsDeleted'),
        field('Name', 'Name', 'string', { ...ro, length: 80, nameField: true }),
        field('OrganizationType', 'Edition', 'picklist', { ...ro, length: 40 }),
        field('InstanceName', 'Instance Name', 'string', { ...ro, length: 5 }),
        field('IsSandbox', 'Is Sandbox', 'boolean', ro),
        field('DefaultLocaleSidKey', 'Locale', 'picklist', { ...ro, length: 40 }),
        field('TimeZoneSidKey', 'Default Time Zone', 'picklist', { ...ro, length: 40 }),
        field('LanguageLocaleKey', 'Language', 'picklist', { ...ro, length: 40 }),
      ],
      { writable: false, replicateable: false },
    ),
    defineObject(
      'User',
      'User',
      'Users',
      '005',
      [
        ...sys.filter((f) => f.name !== 'IsDeleted'),
        field('Username', 'Username', 'string', { ...ro, length: 80, unique: true }),
        field('FirstName', 'First Name', 'string', { ...ro, length: 40 }),
        field('LastName', 'Last Name', 'string', { ...ro, length: 80 }),
        field('Name', 'Full Name', 'string', { ...ro, length: 121, nameField: true }),
        field('Email', 'Email', 'email', { ...ro, length: 128 }),
        field('Alias', 'Alias', 'string', { ...ro, length: 8 }),
        field('Title', 'Title', 'string', { ...ro, length: 80 }),
        field('IsActive', 'Active', 'boolean', ro),
      ],
      { writable: false },
    ),
    defineObject(
      'Account',
      'Account',
      'Accounts',
      '001',
      [
        ...sys,
        field('Name', 'Account Name', 'string', {
          length: 255,
          nillable: false,
          required: true,
          nameField: true,
        }),
        field('Type', 'Account Type', 'picklist', { length: 255, picklist: ACCOUNT_TYPES }),
        field('Industry', 'Industry', 'picklist', { length: 255, picklist: INDUSTRIES }),
        field('Website', 'Website', 'url', { length: 255 }),
        field('Phone', 'Account Phone', 'phone', { length: 40 }),
        field('BillingCity', 'Billing City', 'string', { length: 40 }),
        field('BillingCountry', 'Billing Country', 'string', { length: 80 }),
        field('AnnualRevenue', 'Annual Revenue', 'currency', { precision: 18, scale: 0 }),
        field('NumberOfEmployees', 'Employees', 'int', { precision: 8 }),
        field('Description', 'Account Description', 'textarea', { length: 32000 }),
        // Set on the records a merge deleted (the winner's id); read-only, like Salesforce's.
        ref('MasterRecordId', 'Master Record ID', 'Account', 'MasterRecord', ro),
        owner(),
        ...currencyField(org),
        field('External_Id__c', 'External Id', 'string', { length: 255, externalId: true, unique: true }),
      ],
      {
        children: [
          child('Contacts', 'Contact', 'AccountId', true),
          child('Opportunities', 'Opportunity', 'AccountId', true),
        ],
      },
    ),
    defineObject(
      'Contact',
      'Contact',
      'Contacts',
      '003',
      [
        ...sys,
        ref('AccountId', 'Account ID', 'Account', 'Account'),
        field('FirstName', 'First Name', 'string', { length: 40 }),
        field('LastName', 'Last Name', 'string', { length: 80, nillable: false, required: true }),
        field('Name', 'Full Name', 'string', { ...ro, length: 121, nameField: true }),
        field('Email', 'Email', 'email', { length: 80 }),
        field('Phone', 'Business Phone', 'phone', { length: 40 }),
        field('Title', 'Title', 'string', { length: 128 }),
        field('MailingCity', 'Mailing City', 'string', { length: 40 }),
        field('LeadSource', 'Lead Source', 'picklist', { length: 255, picklist: LEAD_SOURCES }),
        field('Description', 'Contact Description', 'textarea', { length: 32000 }),
        ref('MasterRecordId', 'Master Record ID', 'Contact', 'MasterRecord', ro),
        owner(),
        ...currencyField(org),
        field('External_Id__c', 'External Id', 'string', { length: 255, externalId: true, unique: true }),
      ],
      // Contact roles survive their contact's deletion: the object reference warns that ContactId may
      // point at deleted contacts.
      { children: [child('OpportunityContactRoles', 'OpportunityContactRole', 'ContactId')] },
    ),
    defineObject(
      'Opportunity',
      'Opportunity',
      'Opportunities',
      '006',
      [
        ...sys,
        ref('AccountId', 'Account ID', 'Account', 'Account'),
        ref('RecordTypeId', 'Record Type ID', 'RecordType', 'RecordType'),
        field('Name', 'Name', 'string', { length: 120, nillable: false, required: true, nameField: true }),
        field('Description', 'Description', 'textarea', { length: 32000 }),
        field('StageName', 'Stage', 'picklist', {
          length: 255,
          nillable: false,
          required: true,
          restrictedPicklist: true,
          entries: org.stages,
        }),
        field('Amount', 'Amount', 'currency', { precision: 18, scale: 2 }),
        field('Probability', 'Probability (%)', 'percent', {
          precision: 3,
          scale: 0,
          defaultedOnCreate: true,
        }),
        field('ExpectedRevenue', 'Expected Amount', 'currency', {
          ...ro,
          calculated: true,
          precision: 18,
          scale: 2,
        }),
        field('CloseDate', 'Close Date', 'date', { nillable: false, required: true }),
        // Unrestricted in real orgs (describe: restrictedPicklist false): any value up to 255
        // characters is stored, listed or not.
        field('Type', 'Opportunity Type', 'picklist', { length: 255, picklist: OPPORTUNITY_TYPES }),
        field('NextStep', 'Next Step', 'string', { length: 255 }),
        field('LeadSource', 'Lead Source', 'picklist', { length: 255, picklist: LEAD_SOURCES }),
        field('IsClosed', 'Closed', 'boolean', ro),
        field('IsWon', 'Won', 'boolean', ro),
        field('ForecastCategoryName', 'Forecast Category', 'picklist', {
          length: 255,
          defaultedOnCreate: true,
          restrictedPicklist: true,
          picklist: FORECAST_CATEGORIES,
        }),
        owner(),
        ...currencyField(org),
        field('External_Id__c', 'External Id', 'string', { length: 255, externalId: true, unique: true }),
      ],
      { children: [child('OpportunityContactRoles', 'OpportunityContactRole', 'OpportunityId', true)] },
    ),
    defineObject('OpportunityContactRole', 'Opportunity Contact Role', 'Opportunity Contact Role', '00K', [
      ...sys,
      ref('OpportunityId', 'Opportunity ID', 'Opportunity', 'Opportunity', {
        nillable: false,
        required: true,
        updateable: false,
      }),
      ref('ContactId', 'Contact ID', 'Contact', 'Contact', { nillable: false, required: true }),
      field('Role', 'Role', 'picklist', { length: 40, picklist: CONTACT_ROLES }),
      field('IsPrimary', 'Primary', 'boolean', { nillable: false }),
      ...currencyField(org),
    ]),
    defineObject(
      'OpportunityStage',
      'Opportunity Stage',
      'Opportunity Stages',
      '01J',
      [
        ...sys.filter((f) => f.name !== 'IsDeleted'),
        field('MasterLabel', 'Master Label', 'string', { ...ro, length: 255 }),
        field('ApiName', 'Api Name', 'string', { ...ro, length: 255 }),
        field('IsActive', 'Is Active', 'boolean', ro),
        field('SortOrder', 'Sort Order', 'int', { ...ro, precision: 9 }),
        field('IsClosed', 'Closed', 'boolean', ro),
        field('IsWon', 'Won', 'boolean', ro),
        field('ForecastCategory', 'Forecast Type', 'picklist', {
          ...ro,
          length: 40,
          picklist: ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'],
        }),
        field('ForecastCategoryName', 'Forecast Category', 'picklist', {
          ...ro,
          length: 40,
          picklist: FORECAST_CATEGORIES,
        }),
        field('DefaultProbability', 'Probability (%)', 'percent', { ...ro, precision: 3 }),
        field('Description', 'Description', 'string', { ...ro, length: 255 }),
      ],
      { writable: false, replicateable: false },
    ),
    defineObject(
      'RecordType',
      'Record Type',
      'Record Types',
      '012',
      [
        ...sys.filter((f) => f.name !== 'IsDeleted'),
        field('Name', 'Record Type Label', 'string', { ...ro, length: 80, nameField: true }),
        field('DeveloperName', 'Record Type Name', 'string', { ...ro, length: 80 }),
        field('SobjectType', 'SObject Type Name', 'picklist', { ...ro, length: 40 }),
        field('Description', 'Description', 'string', { ...ro, length: 255 }),
        field('IsActive', 'Active', 'boolean', ro),
      ],
      { writable: false, replicateable: false },
    ),
    defineObject(
      'CurrencyType',
      'Currency Type',
      'Currency Types',
      '02B',
      [
        ...sys.filter((f) => f.name !== 'IsDeleted'),
        field('IsoCode', 'Currency ISO Code', 'picklist', { ...ro, length: 3 }),
        field('ConversionRate', 'Conversion Rate', 'double', { ...ro, precision: 15, scale: 6 }),
        field('DecimalPlaces', 'Decimal Places', 'int', { ...ro, precision: 2 }),
        field('IsActive', 'Active', 'boolean', ro),
        field('IsCorporate', 'Corporate', 'boolean', ro),
      ],
      { writable: false, replicateable: false },
    ),
    defineObject(
      'DatedConversionRate',
      'Dated Conversion Rate',
      'Dated Conversion Rates',
      '04w',
      [
        ...sys.filter((f) => f.name !== 'IsDeleted'),
        field('IsoCode', 'Currency ISO Code', 'picklist', { ...ro, length: 3 }),
        field('ConversionRate', 'Conversion Rate', 'double', { ...ro, precision: 15, scale: 6 }),
        field('StartDate', 'Start Date', 'date', ro),
        field('NextStartDate', 'Next Start Date', 'date', ro),
      ],
      { writable: false, replicateable: false },
    ),
  ];
  for (const c of org.customFields ?? []) {
    const def = defs.find((d) => d.name.toLowerCase() === c.sobject.toLowerCase());
    if (!def) continue;
    const f = field(c.name, c.label, c.type, {
      length: c.length,
      picklist: c.picklist,
      restrictedPicklist: c.restrictedPicklist,
    });
    def.fields.push(f);
    def.fieldsByLower.set(f.name.toLowerCase(), f);
  }
  defs.push(opportunityFieldHistory());
  defs
    .find((d) => d.name === 'Opportunity')
    ?.childRelationships.push(child('Histories', 'OpportunityFieldHistory', 'OpportunityId', true));
  return new Map(defs.map((d) => [d.name.toLowerCase(), d]));
}

/** The SOQL engine's view of an object definition. */
export function toSoqlInfo(def: ObjectDef): SoqlObjectInfo {
  return {
    name: def.name,
    fields: def.fields.map((f) =>
      f.type === 'reference'
        ? {
            name: f.name,
            type: f.type,
            referenceTo: f.referenceTo,
            ...(f.relationshipName ? { relationshipName: f.relationshipName } : {}),
          }
        : { name: f.name, type: f.type },
    ),
    childRelationships: def.childRelationships.map((c) => ({
      relationshipName: c.relationshipName,
      childSObject: c.childSObject,
      field: c.field,
    })),
  };
}
