// The opportunity of contact roles by role id, deleted roles included (queryAll): the CDC feed's
// last resort for a contact-role event it cannot place (an update or delete of a role neither its
// images nor the store's mirror know; delete events carry no fields). Kept apart from adapter.ts,
// which wires it in as SalesforcePort.opportunityIdsOfRoles.
import { chunk } from '../lib/chunk.js';
import { idLiteral } from './soql.js';

/** What the lookup needs of the adapter: its paged query, on query or queryAll. */
export interface PagedQuery {
  pages(q: string, all: boolean): AsyncIterable<Record<string, unknown>[]>;
}

/** Ids per query: 500 ids keep the SOQL well under its 100,000-character limit (as adapter.ts). */
const IDS_PER_QUERY = 500;

export function contactRolesByIdsSoql(roleIds: readonly string[]): string {
  return `SELECT Id, OpportunityId FROM OpportunityContactRole WHERE Id IN (${roleIds.map(idLiteral).join(', ')})`;
}

/** Role id → opportunity id; roles Salesforce does not return (purged) are absent. */
export async function opportunityIdsOfRoles(q: PagedQuery, roleIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk([...new Set(roleIds)], IDS_PER_QUERY)) {
    for await (const page of q.pages(contactRolesByIdsSoql(part), true)) {
      for (const r of page)
        if (typeof r.Id === 'string' && typeof r.OpportunityId === 'string') out.set(r.Id, r.OpportunityId);
    }
  }
  return out;
}
