// The labels setup gives the HubSpot properties and the property group it creates, in the
// `language` setting's language. The names (the API's keys) never change with the language; only
// what HubSpot shows. German uses HubSpot's own German labels for the contact properties its
// connector syncs (the source document: "Datum des letzten Deal-Abschlusses", "Verbundene Deals",
// "Datum der ersten Deal-Erstellung", "Letzter Deal-Betrag", "Gesamtumsätze") and its name for the
// feature, "Opportunity-Synchronisierung", with "(Salesforce)" kept so they are not mistaken for
// HubSpot's own read-only properties of nearly the same name.
import type { PropertyLabelLanguage } from '../user-settings.js';

export type LabelledProperty =
  | 'group'
  | 'salesforceOpportunityId'
  | 'salesforceContactId'
  | 'salesforceAccountId'
  | 'numAssociatedDeals'
  | 'firstDealCreatedDate'
  | 'recentDealCloseDate'
  | 'recentDealAmount'
  | 'totalRevenue';

export const propertyLabels: Readonly<
  Record<PropertyLabelLanguage, Readonly<Record<LabelledProperty, string>>>
> = {
  en: {
    group: 'Salesforce opportunity sync',
    salesforceOpportunityId: 'Salesforce opportunity ID',
    salesforceContactId: 'Salesforce contact ID',
    salesforceAccountId: 'Salesforce account ID',
    numAssociatedDeals: 'Number of associated deals (Salesforce)',
    firstDealCreatedDate: 'First deal created date (Salesforce)',
    recentDealCloseDate: 'Recent deal close date (Salesforce)',
    recentDealAmount: 'Recent deal amount (Salesforce)',
    totalRevenue: 'Total revenue (Salesforce)',
  },
  de: {
    group: 'Opportunity-Synchronisierung (Salesforce)',
    salesforceOpportunityId: 'Salesforce-Opportunity-ID',
    salesforceContactId: 'Salesforce-Kontakt-ID',
    salesforceAccountId: 'Salesforce-Account-ID',
    numAssociatedDeals: 'Verbundene Deals (Salesforce)',
    firstDealCreatedDate: 'Datum der ersten Deal-Erstellung (Salesforce)',
    recentDealCloseDate: 'Datum des letzten Deal-Abschlusses (Salesforce)',
    recentDealAmount: 'Letzter Deal-Betrag (Salesforce)',
    totalRevenue: 'Gesamtumsätze (Salesforce)',
  },
};

/**
 * The label an existing property should get on a rerun of setup: the wanted one when its label
 * now is one setup gave it (in any language), none when it is already right or was renamed by
 * someone in HubSpot (their label is kept).
 */
export function relabelTo(
  current: string,
  key: LabelledProperty,
  language: PropertyLabelLanguage,
): string | null {
  const wanted = propertyLabels[language][key];
  if (current === wanted) return null;
  const ours = Object.values(propertyLabels).some((labels) => labels[key] === current);
  return ours ? wanted : null;
}
