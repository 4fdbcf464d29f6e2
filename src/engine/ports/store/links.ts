// The links area of the StateStore (src/store/areas/links.ts): opportunity ↔ deal, contact and
// account ↔ HubSpot record.
import type { IsoDateTime } from '../../../domain/salesforce.js';
import type { DealLink, PendingAssociations, RecordLink } from '../store.js';

export interface LinkStore {
  getDealLinks(opportunityIds: string[]): Promise<Map<string, DealLink>>;
  saveDealLinks(links: DealLink[]): Promise<void>;
  /**
   * Opportunity ids whose deal is live (a deal id, not archived), greater than `afterId`, in id
   * order, at most `limit`: keyset pages for the full comparison of deletes, stable while the
   * links of earlier pages change.
   */
  liveDealOpportunityIds(afterId: string | null, limit: number): Promise<string[]>;
  /** The associations batches noted and have not recorded, by opportunity id. */
  getPendingAssociations(opportunityIds: string[]): Promise<Map<string, PendingAssociations>>;
  /** Notes (replaces) these opportunities' pending associations, before a batch writes them. */
  savePendingAssociations(pending: PendingAssociations[]): Promise<void>;
  /** Forgets them: the batch's outcome, now stored, lists what it wrote. */
  clearPendingAssociations(opportunityIds: string[]): Promise<void>;
  /** Deal links keyed by HubSpot deal id (the Records page finds an opportunity by its deal). */
  dealLinksByDealIds(dealIds: string[]): Promise<Map<string, DealLink>>;
  getContactLinks(salesforceIds: string[]): Promise<Map<string, RecordLink>>;
  saveContactLinks(links: RecordLink[]): Promise<void>;
  /**
   * Every contact link to one of these HubSpot contacts: two Salesforce contacts sharing an email
   * share one HubSpot contact, whose rollups are over the opportunities of all of them (§2.3).
   */
  contactLinksToHubspot(hubspotIds: string[]): Promise<RecordLink[]>;
  /**
   * Contacts' lifecycle stages as just read or written: every contact link to one of these
   * HubSpot contacts keeps it (RecordLink.stage), so two Salesforce contacts sharing a HubSpot
   * contact never reuse a stage older than dealbridge's own write.
   */
  saveContactStages(
    stages: { hubspotId: string; value: string | null; readAt: IsoDateTime }[],
  ): Promise<void>;
  /**
   * Forgets these Salesforce contacts' links: their HubSpot contact was deleted (or merged away)
   * in HubSpot, so they are matched again (sync/relink.ts). A link to a merge's new record
   * replaces the old one through saveContactLinks (one link per Salesforce contact).
   */
  dropContactLinks(salesforceIds: string[]): Promise<void>;
  getCompanyLinks(salesforceIds: string[]): Promise<Map<string, RecordLink>>;
  saveCompanyLinks(links: RecordLink[]): Promise<void>;
  /** Every company link to one of these HubSpot companies (two accounts may share one company). */
  companyLinksToHubspot(hubspotIds: string[]): Promise<RecordLink[]>;
  /** Forgets these accounts' company links, as dropContactLinks does for contacts. */
  dropCompanyLinks(salesforceIds: string[]): Promise<void>;
}
