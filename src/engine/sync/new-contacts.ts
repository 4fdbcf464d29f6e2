// The new-contacts feed: trigger (c) of the scope contract (scope-rule.ts, docs/sync.md). A contact
// created in HubSpot at or after T brings every opportunity on which its Salesforce contact has a
// role, however old: HubSpot's search, `createdate >= cursor` oldest first (one call a minute when
// nothing is new), then the Salesforce contacts by `salesforce_contact_id` or email, their
// contact roles' opportunities, and those through the normal batch path, named `new-contact`.
// Contacts created before T are never read here: matched later, they bring no older opportunity.
// Its own cursor (HubSpot's createdate, contact id) starts at T and is read with the change feeds'
// look-back, because HubSpot's search index shows a new record a few seconds late.
import { instantMs, type ChangeCursor, type IsoDateTime } from '../../domain/salesforce.js';
import type { HsObject } from '../../domain/hubspot.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { advance, readFrom } from './change-feed.js';
import { CONTACT_ID_PROPERTY, normaliseEmail } from './scope.js';

export const CURSOR_NEW_CONTACTS = 'hubspotContactsCreated';
const READ = ['email', 'createdate', CONTACT_ID_PROPERTY];

/** Contact ids already handled by this process, so the look-back re-reads cost nothing. */
export class NewContactMemo {
  private readonly seen = new Set<string>();
  constructor(private readonly maxEntries = 200_000) {}
  handled(c: HsObject): boolean {
    return this.seen.has(c.id);
  }
  mark(contacts: HsObject[]): void {
    if (this.seen.size > this.maxEntries) this.seen.clear();
    for (const c of contacts) this.seen.add(c.id);
  }
}

export interface NewContactsDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  lookbackSeconds: number;
  memo: NewContactMemo;
  /** T: the look-back reaches before it, and contacts created then bring nothing. */
  syncStartedAt: IsoDateTime;
  startCursor(): Promise<ChangeCursor>;
  /** Syncs these opportunities, named `new-contact`; `last` runs in the last batch's transaction. */
  resync(opportunityIds: string[], last: () => Promise<void>): Promise<void>;
  checkBudget(): void;
}

export interface NewContactsResult {
  /** New HubSpot contacts read (look-back re-reads not counted). */
  contacts: number;
  /** Opportunities they brought. */
  opportunities: number;
}

export async function runNewContactsFeed(deps: NewContactsDeps): Promise<NewContactsResult> {
  const result: NewContactsResult = { contacts: 0, opportunities: 0 };
  let cursor = await deps.startCursor();
  const from = readFrom(cursor, deps.lookbackSeconds);
  const start = instantMs(deps.syncStartedAt);
  for await (const page of deps.hubspot.contactsCreatedSince(from.modstamp, READ)) {
    const nextCursor = advance(cursor, page.flatMap(asRow));
    const fresh = page.filter((c) => !deps.memo.handled(c) && createdMs(c) >= start);
    const hubspotOf = await salesforceContactIds(deps.salesforce, fresh);
    const sfIds = [...hubspotOf.keys()];
    const oppIds = await toBring(
      deps.store,
      sfIds.length > 0 ? await deps.salesforce.opportunityIdsOfContacts(sfIds) : [],
      hubspotOf,
    );
    const setCursor = () => deps.store.setCursor(CURSOR_NEW_CONTACTS, nextCursor);
    if (oppIds.length > 0) await deps.resync(oppIds, setCursor);
    else await setCursor();
    deps.memo.mark(fresh);
    result.contacts += fresh.length;
    result.opportunities += oppIds.length;
    cursor = nextCursor;
    deps.checkBudget();
  }
  return result;
}

/**
 * The opportunities to bring: those not yet in scope, and those in scope (by another contact's
 * role) whose deal lacks the association of one of these contacts, which no trigger of their own
 * would add. Others in scope sync on their own triggers and retry on their own schedule.
 */
export async function toBring(
  store: StateStore,
  ids: string[],
  hubspotOf: Map<string, string>,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const [mirrors, links, roles] = await Promise.all([
    store.getOpportunities(ids),
    store.getDealLinks(ids),
    store.contactIdsForOpportunities(ids),
  ]);
  return ids.filter((id) => {
    const m = mirrors.get(id);
    if (m?.isDeleted === true) return false;
    if (m?.inScope !== true) return true;
    const link = links.get(id);
    if (!link?.dealId || link.archived) return false;
    const associated = new Set((link.lastValues['@contacts'] ?? '').split(',').filter(Boolean));
    return (roles.get(id) ?? []).some((sfId) => {
      const hs = hubspotOf.get(sfId);
      return hs !== undefined && !associated.has(hs);
    });
  });
}

function createdMs(c: HsObject): number {
  return Date.parse(c.properties.createdate ?? '');
}

/** A contact as a cursor row: its createdate and id. */
function asRow(c: HsObject): { SystemModstamp: IsoDateTime; Id: string }[] {
  const at = c.properties.createdate;
  return at ? [{ SystemModstamp: at, Id: c.id }] : [];
}

/** The Salesforce contacts these HubSpot contacts stand for (id → HubSpot id): by the id they carry, else by email. */
async function salesforceContactIds(
  salesforce: SalesforcePort,
  contacts: HsObject[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byEmail = new Map<string, string>();
  for (const c of contacts) {
    const sfId = c.properties[CONTACT_ID_PROPERTY];
    const email = normaliseEmail(c.properties.email);
    if (sfId) out.set(sfId, c.id);
    else if (email) byEmail.set(email, c.id);
  }
  if (byEmail.size > 0) {
    for (const sf of await salesforce.contactsByEmails([...byEmail.keys()])) {
      const hs = byEmail.get(normaliseEmail(sf.Email) ?? '');
      if (hs !== undefined) out.set(sf.Id, hs);
    }
  }
  return out;
}
