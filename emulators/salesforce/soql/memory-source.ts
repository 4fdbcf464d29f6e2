// A small in-memory SoqlDataSource with the emulator's main types, for the engine's unit tests and
// benchmark (the real store lives outside soql/ and implements the same interface).
import type { SoqlDataSource, SoqlFieldInfo, SoqlObjectInfo, SoqlRow } from './catalog.js';
import { to18 } from './ids.js';

const f = (name: string, type: SoqlFieldInfo['type'], extra: Partial<SoqlFieldInfo> = {}): SoqlFieldInfo => ({
  name,
  type,
  ...extra,
});
const ref = (name: string, to: string, rel: string): SoqlFieldInfo =>
  f(name, 'reference', { referenceTo: [to], relationshipName: rel });
const system = (): SoqlFieldInfo[] => [
  f('Id', 'id'),
  f('IsDeleted', 'boolean'),
  f('CreatedDate', 'datetime'),
  f('SystemModstamp', 'datetime'),
];

export const TEST_SCHEMA: SoqlObjectInfo[] = [
  {
    name: 'User',
    fields: [...system(), f('Name', 'string'), f('Email', 'email'), f('IsActive', 'boolean')],
    childRelationships: [],
  },
  {
    name: 'Account',
    fields: [...system(), f('Name', 'string'), f('Industry', 'picklist'), ref('OwnerId', 'User', 'Owner')],
    childRelationships: [
      { relationshipName: 'Contacts', childSObject: 'Contact', field: 'AccountId' },
      { relationshipName: 'Opportunities', childSObject: 'Opportunity', field: 'AccountId' },
    ],
  },
  {
    name: 'Contact',
    fields: [
      ...system(),
      f('LastName', 'string'),
      f('Email', 'email'),
      ref('AccountId', 'Account', 'Account'),
    ],
    childRelationships: [],
  },
  {
    name: 'Opportunity',
    fields: [
      ...system(),
      f('Name', 'string'),
      f('StageName', 'picklist'),
      f('Amount', 'currency'),
      f('Probability', 'percent'),
      f('CloseDate', 'date'),
      f('IsWon', 'boolean'),
      f('Description', 'textarea'),
      ref('AccountId', 'Account', 'Account'),
      ref('OwnerId', 'User', 'Owner'),
    ],
    childRelationships: [
      {
        relationshipName: 'OpportunityContactRoles',
        childSObject: 'OpportunityContactRole',
        field: 'OpportunityId',
      },
    ],
  },
  {
    name: 'OpportunityContactRole',
    fields: [
      ...system(),
      ref('OpportunityId', 'Opportunity', 'Opportunity'),
      ref('ContactId', 'Contact', 'Contact'),
      f('Role', 'picklist'),
      f('IsPrimary', 'boolean'),
    ],
    childRelationships: [],
  },
];

const PREFIX: Record<string, string> = {
  User: '005',
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  OpportunityContactRole: '00K',
};

export class MemorySource implements SoqlDataSource {
  private readonly byType = new Map<string, SoqlRow[]>();
  private readonly byId = new Map<string, SoqlRow>();
  private readonly childIndex = new Map<string, SoqlRow[]>();
  private readonly infos = new Map(TEST_SCHEMA.map((i) => [i.name.toLowerCase(), i]));
  private seq = 0;
  /** Calls made, so tests can check which access path a query took. */
  readonly calls = { scan: 0, get: 0, children: 0 };
  clock = new Date('2024-05-15T12:00:00.000Z');

  /** Adds a row (Id generated when absent) and returns it. */
  add(sobject: string, values: Record<string, string | number | boolean | null>): SoqlRow {
    const id = (values.Id as string | undefined) ?? MemorySource.makeId(PREFIX[sobject] ?? 'a00', ++this.seq);
    const row: SoqlRow = { IsDeleted: false, ...values, Id: id };
    let list = this.byType.get(sobject);
    if (!list) this.byType.set(sobject, (list = []));
    list.push(row);
    this.byId.set(id, row);
    for (const k of this.refFields(sobject)) {
      const v = values[k];
      if (typeof v !== 'string') continue;
      const key = `${sobject}.${k}.${v}`;
      const kids = this.childIndex.get(key);
      if (kids) kids.push(row);
      else this.childIndex.set(key, [row]);
    }
    return row;
  }

  private readonly refs = new Map<string, string[]>();
  private refFields(sobject: string): string[] {
    let names = this.refs.get(sobject);
    if (!names) {
      names = (this.describe(sobject)?.fields ?? []).filter((x) => x.type === 'reference').map((x) => x.name);
      this.refs.set(sobject, names);
    }
    return names;
  }

  static makeId(prefix: string, n: number): string {
    return to18(prefix + '0'.repeat(12 - String(n).length) + String(n));
  }

  describe(sobject: string): SoqlObjectInfo | undefined {
    return this.infos.get(sobject.toLowerCase());
  }

  *scan(sobject: string, opts: { includeDeleted: boolean }): Iterable<SoqlRow> {
    this.calls.scan++;
    for (const row of this.byType.get(sobject) ?? [])
      if (opts.includeDeleted || row.IsDeleted !== true) yield row;
  }

  get(_sobject: string, id: string): SoqlRow | undefined {
    this.calls.get++;
    return this.byId.get(id);
  }

  *children(
    childSObject: string,
    field: string,
    parentId: string,
    opts: { includeDeleted: boolean },
  ): Iterable<SoqlRow> {
    this.calls.children++;
    for (const row of this.childIndex.get(`${childSObject}.${field}.${parentId}`) ?? [])
      if (opts.includeDeleted || row.IsDeleted !== true) yield row;
  }

  now(): Date {
    return this.clock;
  }
}
