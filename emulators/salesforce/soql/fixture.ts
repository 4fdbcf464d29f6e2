// A fixed little org for the engine's tests: 2 users, 2 accounts, 3 contacts, 5 opportunities
// (one deleted), contact roles; clock at 2024-05-15T12:00:00Z (a Wednesday).
import type { SoqlRow } from './catalog.js';
import { executeSoql, formatRecord, prepareSoql } from './index.js';
import { MemorySource } from './memory-source.js';

const ts = (iso: string): number => Date.parse(iso);

export interface Fixture {
  ds: MemorySource;
  users: SoqlRow[];
  accounts: SoqlRow[];
  contacts: SoqlRow[];
  opps: SoqlRow[];
}

export function buildFixture(): Fixture {
  const ds = new MemorySource();
  const users = [
    ds.add('User', { Name: 'Ann Admin', Email: 'ann@example.com', IsActive: true }),
    ds.add('User', { Name: 'Bob Seller', Email: 'Bob@Example.com', IsActive: false }),
  ];
  const accounts = [
    ds.add('Account', { Name: 'Acme', Industry: 'Energy', OwnerId: users[0]!.Id as string }),
    ds.add('Account', { Name: 'Globex', Industry: null, OwnerId: users[1]!.Id as string }),
  ];
  const contacts = [
    ds.add('Contact', { LastName: 'Doe', Email: 'doe@acme.com', AccountId: accounts[0]!.Id as string }),
    ds.add('Contact', { LastName: "O'Brien", Email: 'ob@globex.com', AccountId: accounts[1]!.Id as string }),
    ds.add('Contact', { LastName: 'Free', Email: null }),
  ];
  const opp = (name: string, v: Record<string, string | number | boolean | null>) =>
    ds.add('Opportunity', { Name: name, Description: null, ...v });
  const opps = [
    opp('Big Deal', {
      StageName: 'Closed Won',
      Amount: 5000,
      CloseDate: '2024-05-15',
      IsWon: true,
      AccountId: accounts[0]!.Id as string,
      OwnerId: users[0]!.Id as string,
      CreatedDate: ts('2024-05-14T08:00:00Z'),
      SystemModstamp: ts('2024-05-15T10:00:00Z'),
    }),
    opp('small_deal 50%', {
      StageName: 'Prospecting',
      Amount: 50.5,
      CloseDate: '2024-05-14',
      IsWon: false,
      AccountId: accounts[1]!.Id as string,
      OwnerId: users[1]!.Id as string,
      CreatedDate: ts('2024-04-01T00:00:00Z'),
      SystemModstamp: ts('2024-05-15T10:00:00Z'),
    }),
    opp('No Amount', {
      StageName: 'Qualification',
      Amount: null,
      CloseDate: '2024-06-30',
      IsWon: false,
      AccountId: null,
      OwnerId: users[0]!.Id as string,
      CreatedDate: ts('2024-05-15T11:59:59Z'),
      SystemModstamp: ts('2024-05-10T09:00:00Z'),
    }),
    opp('Old Lost', {
      StageName: 'Closed Lost',
      Amount: 700,
      CloseDate: '2023-12-31',
      IsWon: false,
      AccountId: accounts[0]!.Id as string,
      OwnerId: users[1]!.Id as string,
      CreatedDate: ts('2023-11-01T00:00:00Z'),
      SystemModstamp: ts('2024-01-02T00:00:00Z'),
    }),
    opp('Deleted One', {
      StageName: 'Prospecting',
      Amount: 1,
      CloseDate: '2024-05-20',
      IsWon: false,
      IsDeleted: true,
      AccountId: accounts[0]!.Id as string,
      OwnerId: users[0]!.Id as string,
      CreatedDate: ts('2024-05-01T00:00:00Z'),
      SystemModstamp: ts('2024-05-16T00:00:00Z'),
    }),
  ];
  const role = (o: SoqlRow, c: SoqlRow, r: string, primary: boolean, deleted = false) =>
    ds.add('OpportunityContactRole', {
      OpportunityId: o.Id as string,
      ContactId: c.Id as string,
      Role: r,
      IsPrimary: primary,
      IsDeleted: deleted,
    });
  role(opps[0]!, contacts[0]!, 'Decision Maker', true);
  role(opps[0]!, contacts[1]!, 'Influencer', false);
  role(opps[1]!, contacts[1]!, 'Economic Buyer', true);
  role(opps[3]!, contacts[2]!, 'Other', false, true);
  return { ds, users, accounts, contacts, opps };
}

/** Runs a query and returns the formatted records (as the REST layer would put them in `records`). */
export function query(
  ds: MemorySource,
  soql: string,
  includeDeleted = false,
): { totalSize: number; records: Record<string, unknown>[] } {
  const q = prepareSoql(soql, ds);
  const r = executeSoql(q, ds, { includeDeleted });
  return {
    totalSize: r.totalSize,
    records: r.rows.map((row) => formatRecord(q, row, ds, '62.0', { includeDeleted })),
  };
}

/** Names of the matched rows, in result order. */
export function names(ds: MemorySource, soql: string, includeDeleted = false): string[] {
  const q = prepareSoql(soql, ds);
  return executeSoql(q, ds, { includeDeleted }).rows.map((r) => (r.Name ?? r.LastName) as string);
}
