// Salesforce's standard opportunity stages (a new org's OpportunityStage rows) and the two
// opportunity record types of the seeded orgs.
import type { StageInfo } from './store.js';

export const STANDARD_STAGES: StageInfo[] = [
  { label: 'Prospecting', isClosed: false, isWon: false, probability: 10, forecastCategoryName: 'Pipeline' },
  {
    label: 'Qualification',
    isClosed: false,
    isWon: false,
    probability: 10,
    forecastCategoryName: 'Pipeline',
  },
  {
    label: 'Needs Analysis',
    isClosed: false,
    isWon: false,
    probability: 20,
    forecastCategoryName: 'Pipeline',
  },
  {
    label: 'Value Proposition',
    isClosed: false,
    isWon: false,
    probability: 50,
    forecastCategoryName: 'Pipeline',
  },
  {
    label: 'Id. Decision Makers',
    isClosed: false,
    isWon: false,
    probability: 60,
    forecastCategoryName: 'Pipeline',
  },
  {
    label: 'Perception Analysis',
    isClosed: false,
    isWon: false,
    probability: 70,
    forecastCategoryName: 'Pipeline',
  },
  {
    label: 'Proposal/Price Quote',
    isClosed: false,
    isWon: false,
    probability: 75,
    forecastCategoryName: 'Pipeline',
  },
  {
    label: 'Negotiation/Review',
    isClosed: false,
    isWon: false,
    probability: 90,
    forecastCategoryName: 'Pipeline',
  },
  { label: 'Closed Won', isClosed: true, isWon: true, probability: 100, forecastCategoryName: 'Closed' },
  { label: 'Closed Lost', isClosed: true, isWon: false, probability: 0, forecastCategoryName: 'Omitted' },
];

/** Opportunity record types of seeded orgs, with the stages each one's sales process uses. */
export const RECORD_TYPES = [
  {
    name: 'New Business',
    developerName: 'New_Business',
    description: 'Sales process for new customers',
    stages: STANDARD_STAGES.map((s) => s.label),
  },
  {
    name: 'Renewal',
    developerName: 'Renewal',
    description: 'Renewals and upsells of existing customers',
    stages: ['Qualification', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'],
  },
];
