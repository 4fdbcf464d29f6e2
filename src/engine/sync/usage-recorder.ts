// This connector's own API calls since the last pass, per side, stored for `status` (last 24 h),
// with the org-wide Sforce-Limit-Info reading kept beside them (other integrations spend it too).
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { SALESFORCE_ORG_USAGE_SETTING } from '../status/read-status.js';

export class UsageRecorder {
  private lastHubspot: number | undefined;
  private lastSalesforce: number | undefined;

  constructor(
    private readonly deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
  ) {}

  async record(at: string): Promise<void> {
    const { hubspot, salesforce, store } = this.deps;
    const hs = hubspot.usage().requests;
    const hsDelta = hs - (this.lastHubspot ?? 0);
    this.lastHubspot = hs;
    if (hsDelta > 0) await store.recordApiCalls('hubspot', hsDelta, at);
    const sf = salesforce.requestCount();
    const sfDelta = sf - (this.lastSalesforce ?? 0);
    this.lastSalesforce = sf;
    if (sfDelta > 0) await store.recordApiCalls('salesforce', sfDelta, at);
    const org = salesforce.usage();
    if (org) await store.setSetting(SALESFORCE_ORG_USAGE_SETTING, org);
  }
}
