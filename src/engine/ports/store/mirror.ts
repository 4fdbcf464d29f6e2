// The mirror area of the StateStore (src/store/areas/mirror.ts): what rollups and the Records page
// need of Salesforce's opportunities, contact roles and accounts.
import type { SfAccount, SfContactRole } from '../../../domain/salesforce.js';
import type { OpportunityMirror } from '../store.js';

export interface MirrorStore {
  /** Upserts opportunities by id. */
  saveOpportunities(opps: OpportunityMirror[]): Promise<void>;
  /** Upserts roles by Id (a deleted role is kept with IsDeleted). */
  saveContactRoles(roles: SfContactRole[]): Promise<void>;
  /** Makes `roles` the complete set of roles of these opportunities (a role removed is gone). */
  replaceContactRoles(opportunityIds: string[], roles: SfContactRole[]): Promise<void>;
  saveAccounts(accounts: SfAccount[]): Promise<void>;
  getAccounts(ids: string[]): Promise<Map<string, SfAccount>>;
  /** Opportunity ids that have a (live) contact role for any of these contacts. */
  opportunityIdsForContacts(contactIds: string[]): Promise<string[]>;
  /**
   * The opportunity of each mirrored role among these (deleted roles too: a role's opportunity
   * never changes); roles the mirror never held are absent. The CDC feed places role events with it.
   */
  opportunityIdsOfRoles(roleIds: string[]): Promise<Map<string, string>>;
  /** Contact ids with a (live) role on any of these opportunities. */
  contactIdsForOpportunities(opportunityIds: string[]): Promise<Map<string, string[]>>;
  /** Distinct contacts with a live role on an opportunity with id ≤ upTo, after `after`, ascending. */
  contactIdsUpTo(upTo: string, after: string, limit: number): Promise<string[]>;
  /** Distinct accounts of opportunities with id ≤ upTo, after `after`, ascending. */
  accountIdsUpTo(upTo: string, after: string, limit: number): Promise<string[]>;
  /** Mirrors of the in-scope, live opportunities of each contact (via roles) / account. */
  opportunitiesOfContacts(contactIds: string[]): Promise<Map<string, OpportunityMirror[]>>;
  opportunitiesOfAccounts(accountIds: string[]): Promise<Map<string, OpportunityMirror[]>>;
  getOpportunities(ids: string[]): Promise<Map<string, OpportunityMirror>>;
  /**
   * Opportunities whose name contains `query` (case-insensitive; %, _, quotes and backslashes are
   * plain characters), by name, at most `limit`: the Records page.
   */
  searchOpportunities(query: string, limit: number): Promise<OpportunityMirror[]>;
}
