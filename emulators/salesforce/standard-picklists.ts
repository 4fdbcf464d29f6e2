// The standard picklists' values of a new org (Account.Type, Industry, LeadSource, Opportunity.Type,
// ForecastCategoryName, OpportunityContactRole.Role), as Salesforce ships them: the schema's
// fields and the seeds draw on them.
export const ACCOUNT_TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
];
export const INDUSTRIES = [
  'Agriculture',
  'Banking',
  'Biotechnology',
  'Consulting',
  'Energy',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Technology',
  'Transportation',
];
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const OPPORTUNITY_TYPES = [
  'Existing Customer - Upgrade',
  'Existing Customer - Replacement',
  'Existing Customer - Downgrade',
  'New Customer',
];
export const FORECAST_CATEGORIES = ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'];
export const CONTACT_ROLES = [
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
];

/** OpportunityStage.ForecastCategory for each ForecastCategoryName. */
export const FORECAST_TYPE: Record<string, string> = {
  Omitted: 'Omitted',
  Pipeline: 'Pipeline',
  'Best Case': 'BestCase',
  Commit: 'Forecast',
  Closed: 'Closed',
};
