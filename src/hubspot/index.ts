export {
  createHubspotAdapter,
  DEAL_ID_PROPERTY,
  type HubspotAdapter,
  type HubspotAdapterConfig,
} from './adapter.js';
