// The corpus's fault cases: HubSpot's and Salesforce's answers going wrong (faults.integration.test.ts).
import type { BadInputCase } from './corpus.js';

export const faultCases: BadInputCase[] = [];
