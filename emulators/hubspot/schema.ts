// HubSpot's object types and the default properties a fresh portal has for them (a subset of
// HubSpot's real catalogue: the properties a deal sync touches plus the calculated rollups).
export type ObjectTypeName = 'contacts' | 'companies' | 'deals';
export const OBJECT_TYPE_NAMES: ObjectTypeName[] = ['contacts', 'companies', 'deals'];

export interface ObjectTypeInfo {
  name: ObjectTypeName;
  typeId: string;
  singular: 'contact' | 'company' | 'deal';
  upper: 'CONTACT' | 'COMPANY' | 'DEAL';
  /** Returned when a read does not name `properties` (HubSpot's documented defaults). */
  defaults: string[];
  lastModifiedProp: 'lastmodifieddate' | 'hs_lastmodifieddate';
}

export const OBJECT_TYPES: Record<ObjectTypeName, ObjectTypeInfo> = {
  contacts: {
    name: 'contacts',
    typeId: '0-1',
    singular: 'contact',
    upper: 'CONTACT',
    defaults: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    lastModifiedProp: 'lastmodifieddate',
  },
  companies: {
    name: 'companies',
    typeId: '0-2',
    singular: 'company',
    upper: 'COMPANY',
    defaults: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    lastModifiedProp: 'hs_lastmodifieddate',
  },
  deals: {
    name: 'deals',
    typeId: '0-3',
    singular: 'deal',
    upper: 'DEAL',
    defaults: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    lastModifiedProp: 'hs_lastmodifieddate',
  },
};

/** `deals`, `deal`, `0-3` and `DEAL` all name the deal object, as HubSpot accepts. */
export function resolveObjectType(raw: string): ObjectTypeInfo | undefined {
  const s = decodeURIComponent(raw).toLowerCase();
  for (const t of Object.values(OBJECT_TYPES)) {
    if (s === t.name || s === t.singular || s === t.typeId) return t;
  }
  return undefined;
}

export type PropertyType =
  'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDef {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  readOnlyValue: boolean;
  readOnlyDefinition: boolean;
  /** Writable on create only (createdate). */
  createOnly?: boolean;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

type Spec = [
  name: string,
  label: string,
  type: PropertyType,
  fieldType: string,
  group: string,
  extra?: Partial<PropertyDef>,
];

const opts = (...pairs: [string, string][]): PropertyOption[] =>
  pairs.map(([value, label], i) => ({ label, value, displayOrder: i, hidden: false }));

export const LIFECYCLE_STAGES = opts(
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
);

const RO = { readOnlyValue: true, calculated: true } as const;
const SYS = { readOnlyValue: true, readOnlyDefinition: true } as const;

const common = (info: string): Spec[] => [
  [
    'hs_object_id',
    'Record ID',
    'number',
    'number',
    info,
    { ...SYS, description: 'The unique ID for this record.' },
  ],
  ['createdate', 'Create Date', 'datetime', 'date', info, { readOnlyDefinition: true, createOnly: true }],
  ['hubspot_owner_id', 'Owner', 'enumeration', 'select', info, { externalOptions: true }],
];

const rollups = (group: string): Spec[] => [
  ['num_associated_deals', 'Number of Associated Deals', 'number', 'number', group, RO],
  ['recent_deal_amount', 'Recent Deal Amount', 'number', 'number', group, RO],
  ['recent_deal_close_date', 'Recent Deal Close Date', 'datetime', 'date', group, RO],
  ['total_revenue', 'Total Revenue', 'number', 'number', group, RO],
  ['first_deal_created_date', 'First Deal Created Date', 'datetime', 'date', group, RO],
  ['days_to_close', 'Days To Close', 'number', 'number', group, RO],
];

const SPECS: Record<ObjectTypeName, Spec[]> = {
  contacts: [
    ...common('contactinformation'),
    ['email', 'Email', 'string', 'text', 'contactinformation'],
    ['firstname', 'First Name', 'string', 'text', 'contactinformation'],
    ['lastname', 'Last Name', 'string', 'text', 'contactinformation'],
    ['phone', 'Phone Number', 'string', 'phonenumber', 'contactinformation'],
    ['company', 'Company Name', 'string', 'text', 'contactinformation'],
    ['jobtitle', 'Job Title', 'string', 'text', 'contactinformation'],
    ['website', 'Website URL', 'string', 'text', 'contactinformation'],
    [
      'lifecyclestage',
      'Lifecycle Stage',
      'enumeration',
      'radio',
      'contactinformation',
      { options: LIFECYCLE_STAGES },
    ],
    // Set by merges (merge.ts); read-only through the API.
    ['hs_additional_emails', 'Additional email addresses', 'string', 'text', 'contactinformation', SYS],
    ['hs_merged_object_ids', 'Merged Contact IDs', 'string', 'text', 'contactinformation', SYS],
    [
      'hs_calculated_merged_vids',
      'Merged Contact IDs with timestamps',
      'string',
      'text',
      'contactinformation',
      SYS,
    ],
    ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'contactinformation', SYS],
    ['hs_lastmodifieddate', 'Object last modified date/time', 'datetime', 'date', 'contactinformation', SYS],
    ['num_associated_deals', 'Associated Deals', 'number', 'number', 'deal_information', RO],
    ...rollups('deal_information').filter(([n]) => n !== 'num_associated_deals'),
  ],
  companies: [
    ...common('companyinformation'),
    ['name', 'Company name', 'string', 'text', 'companyinformation'],
    ['domain', 'Company Domain Name', 'string', 'text', 'companyinformation'],
    ['website', 'Website URL', 'string', 'text', 'companyinformation'],
    ['phone', 'Phone Number', 'string', 'phonenumber', 'companyinformation'],
    ['city', 'City', 'string', 'text', 'companyinformation'],
    ['country', 'Country/Region', 'string', 'text', 'companyinformation'],
    ['industry', 'Industry', 'string', 'text', 'companyinformation'],
    ['annualrevenue', 'Annual Revenue', 'number', 'number', 'companyinformation'],
    [
      'lifecyclestage',
      'Lifecycle Stage',
      'enumeration',
      'radio',
      'companyinformation',
      { options: LIFECYCLE_STAGES },
    ],
    ['hs_merged_object_ids', 'Merged Company IDs', 'string', 'text', 'companyinformation', SYS],
    ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'companyinformation', SYS],
    [
      'num_associated_contacts',
      'Number of Associated Contacts',
      'number',
      'number',
      'companyinformation',
      RO,
    ],
    ...rollups('deal_information'),
  ],
  deals: [
    ...common('dealinformation'),
    ['dealname', 'Deal Name', 'string', 'text', 'dealinformation'],
    ['amount', 'Amount', 'number', 'number', 'dealinformation'],
    ['closedate', 'Close Date', 'datetime', 'date', 'dealinformation'],
    ['dealstage', 'Deal Stage', 'enumeration', 'radio', 'dealinformation'],
    ['pipeline', 'Pipeline', 'enumeration', 'select', 'dealinformation'],
    [
      'dealtype',
      'Deal Type',
      'enumeration',
      'radio',
      'dealinformation',
      { options: opts(['newbusiness', 'New Business'], ['existingbusiness', 'Existing Business']) },
    ],
    ['description', 'Deal Description', 'string', 'textarea', 'dealinformation'],
    ['deal_currency_code', 'Currency', 'enumeration', 'select', 'dealinformation'],
    ['closed_lost_reason', 'Closed Lost Reason', 'string', 'textarea', 'dealinformation'],
    ['closed_won_reason', 'Closed Won Reason', 'string', 'textarea', 'dealinformation'],
    [
      'hs_priority',
      'Priority',
      'enumeration',
      'select',
      'dealinformation',
      { options: opts(['low', 'Low'], ['medium', 'Medium'], ['high', 'High']) },
    ],
    ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'dealinformation', SYS],
    ['hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox', 'dealinformation', RO],
    ['hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox', 'dealinformation', RO],
    ['hs_deal_stage_probability', 'Deal probability', 'number', 'number', 'dealinformation', RO],
    ['amount_in_home_currency', 'Amount in company currency', 'number', 'number', 'dealinformation', RO],
    ['num_associated_contacts', 'Number of Contacts', 'number', 'number', 'dealinformation', RO],
  ],
};

const GROUPS: Record<ObjectTypeName, [string, string][]> = {
  contacts: [
    ['contactinformation', 'Contact information'],
    ['deal_information', 'Deal information'],
  ],
  companies: [
    ['companyinformation', 'Company information'],
    ['deal_information', 'Deal information'],
  ],
  deals: [['dealinformation', 'Deal information']],
};

const BOOL_OPTIONS = opts(['true', 'True'], ['false', 'False']);

export function defaultProperties(type: ObjectTypeName, at: number): Map<string, PropertyDef> {
  const out = new Map<string, PropertyDef>();
  SPECS[type].forEach(([name, label, ptype, fieldType, groupName, extra], i) => {
    out.set(name, {
      name,
      label,
      type: ptype,
      fieldType,
      groupName,
      description: '',
      options: ptype === 'bool' ? BOOL_OPTIONS : [],
      displayOrder: i,
      hasUniqueValue: false,
      hidden: false,
      formField: !extra?.readOnlyValue,
      calculated: false,
      externalOptions: false,
      hubspotDefined: true,
      readOnlyValue: false,
      readOnlyDefinition: true,
      createdAt: at,
      updatedAt: at,
      archived: false,
      ...extra,
    });
  });
  return out;
}

export function defaultGroups(type: ObjectTypeName): Map<string, PropertyGroup> {
  return new Map(
    GROUPS[type].map(
      ([name, label], i) => [name, { name, label, displayOrder: i, archived: false }] as const,
    ),
  );
}
