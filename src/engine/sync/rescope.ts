// Once per `rescopeIntervalMs` (pass.ts): contacts created in HubSpot since T bring all their
// opportunities (new-contacts.ts); contacts that kept opportunities changed since T out of scope
// are looked for again, and those found bring their opportunities (the scope rule still decides:
// an opportunity read but unchanged since before T waits for the import; one in scope already gets
// the contact's association).
import type { IsoDateTime } from '../../domain/salesforce.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { CURSOR_NEW_CONTACTS, runNewContactsFeed, toBring, type NewContactMemo } from './new-contacts.js';
import { recheckPending } from './scope.js';

export interface RescopeDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  lookbackSeconds: number;
  contactIdIsUnique: boolean;
  memo: NewContactMemo;
  syncStartedAt: IsoDateTime;
  /** Syncs these opportunities as brought by a new contact (`last` with the last batch). */
  newContactResync(ids: string[], last: () => Promise<void>): Promise<void>;
  /** Syncs these opportunities again (found contacts). */
  resync(ids: string[]): Promise<void>;
  checkBudget(): void;
}

export async function rescope(deps: RescopeDeps): Promise<void> {
  const { store, syncStartedAt } = deps;
  await runNewContactsFeed({
    salesforce: deps.salesforce,
    hubspot: deps.hubspot,
    store,
    lookbackSeconds: deps.lookbackSeconds,
    memo: deps.memo,
    syncStartedAt,
    startCursor: async () =>
      (await store.getCursor(CURSOR_NEW_CONTACTS)) ?? { modstamp: syncStartedAt, id: '' },
    resync: deps.newContactResync,
    checkBudget: deps.checkBudget,
  });
  const found = await recheckPending({ ...deps, contactIdIsUnique: deps.contactIdIsUnique });
  if (found.length === 0) return;
  const oppIds = await store.opportunityIdsForContacts(found);
  const links = await store.getContactLinks(found);
  const hubspotOf = new Map([...links].map(([sfId, l]) => [sfId, l.hubspotId]));
  const bring = await toBring(store, oppIds, hubspotOf);
  deps.checkBudget();
  await deps.resync(bring);
}
