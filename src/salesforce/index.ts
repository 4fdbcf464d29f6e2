export { createSalesforceAdapter, type SalesforceAdapter, type SalesforceAdapterConfig } from './adapter.js';
