// What the settings page shows about the two systems (stages, record types, pipelines, deal
// properties, Opportunity fields, users and owners), read once and reused for a minute: opening
// the page repeatedly must not spend the org's daily API allocation.
import type { HsOwner, HsPipeline, HsPropertyDefinition } from '../domain/hubspot.js';
import type { SfRecordType, SfStage, SfUser } from '../domain/salesforce.js';
import type { Runtime } from '../composition/runtime.js';

export interface RemoteFactsSnapshot {
  recordTypes: SfRecordType[];
  stages: SfStage[];
  users: SfUser[];
  opportunityFields: { name: string; label: string; type: string; picklistValues?: string[] }[];
  pipelines: HsPipeline[];
  dealProperties: HsPropertyDefinition[];
  owners: HsOwner[];
  loadedAt: number;
}

const TTL_MS = 60_000;

export class RemoteFacts {
  private snapshot: RemoteFactsSnapshot | undefined;
  private loading: Promise<RemoteFactsSnapshot> | undefined;

  constructor(
    private readonly runtime: Runtime,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async get(): Promise<RemoteFactsSnapshot> {
    if (this.snapshot && this.nowMs() - this.snapshot.loadedAt < TTL_MS) return this.snapshot;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  invalidate(): void {
    this.snapshot = undefined;
  }

  private async load(): Promise<RemoteFactsSnapshot> {
    const sf = await this.runtime.salesforce();
    const hs = await this.runtime.hubspot();
    const [recordTypes, stages, users, opportunityFields, pipelines, dealProperties, owners] =
      await Promise.all([
        sf.opportunityRecordTypes(),
        sf.opportunityStages(),
        sf.users(),
        sf.opportunityFields(),
        hs.dealPipelines(),
        hs.properties('deals'),
        hs.owners(),
      ]);
    this.snapshot = {
      recordTypes,
      stages,
      users,
      opportunityFields,
      pipelines,
      dealProperties,
      owners,
      loadedAt: this.nowMs(),
    };
    return this.snapshot;
  }
}
