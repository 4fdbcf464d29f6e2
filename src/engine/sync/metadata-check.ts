// Record types and stages change in Salesforce's Setup without any record changing: the sync
// looks at that metadata at most once per `metadataCheckIntervalMs` (counted from the stored time
// of the last look, so a restart does not bring it forward). Two queries and one UI API call per
// record type; only when the fingerprint differs from the stage map's does it read HubSpot's
// pipelines and, with `autoProvision` on, bring them up to date (new pipelines, stages added,
// renamed or reordered). With it off, nothing changes until `dealbridge setup`; opportunities in a
// stage with no HubSpot stage fail STAGE_NOT_MAPPED meanwhile.
import {
  adoptStageMap,
  STAGE_MAP_SETTING,
  type StoredStageMap,
  type SyncContext,
} from '../mapping/sync-context.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import { METADATA_CHECKED_SETTING, metadataFingerprint, readSalesforceMetadata } from '../setup/metadata.js';
import { provisionPipelines } from '../setup/provision.js';
import type { Settings } from '../user-settings.js';

export interface MetadataCheckResult {
  /** The metadata differs from what the stage map was provisioned from. */
  changed: boolean;
  /** HubSpot was brought up to date (autoProvision on). */
  provisioned: boolean;
  /** Pipelines created or updated. */
  pipelines: { label: string; id: string; status: 'created' | 'updated' | 'exists' }[];
}

export class MetadataCheck {
  private lastAt = Number.NEGATIVE_INFINITY;
  private loaded = false;

  constructor(private readonly intervalMs: number) {}

  /** Runs the check when it is due; undefined when it was not. */
  async runIfDue(
    deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
    ctx: SyncContext,
    settings: Settings,
    now: Date,
  ): Promise<MetadataCheckResult | undefined> {
    const { salesforce, hubspot, store } = deps;
    if (!this.loaded) {
      const at = Date.parse((await store.getSetting<string>(METADATA_CHECKED_SETTING)) ?? '');
      this.loaded = true;
      if (!Number.isFinite(at)) {
        // Setup records when it read the metadata; a store without that starts counting now.
        this.lastAt = now.getTime();
        await store.setSetting(METADATA_CHECKED_SETTING, now.toISOString());
        return undefined;
      }
      this.lastAt = at;
    }
    if (now.getTime() - this.lastAt < this.intervalMs) return undefined;
    const result = await this.check({ salesforce, hubspot, store }, ctx, settings, now);
    this.lastAt = now.getTime();
    await store.setSetting(METADATA_CHECKED_SETTING, now.toISOString());
    return result;
  }

  private async check(
    deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
    ctx: SyncContext,
    settings: Settings,
    now: Date,
  ): Promise<MetadataCheckResult> {
    const unchanged: MetadataCheckResult = { changed: false, provisioned: false, pipelines: [] };
    const stored = await deps.store.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
    // A map the user made is theirs: setup only validates it, and so does nothing here.
    if (!stored || stored.source !== 'setup') return unchanged;
    const meta = await readSalesforceMetadata(
      deps.salesforce,
      Object.keys(stored.map).filter((k) => k !== 'default'),
    );
    if (metadataFingerprint(meta) === stored.fingerprint) return unchanged;
    if (!settings.autoProvision) return { ...unchanged, changed: true };
    const result = await provisionPipelines(deps, { meta, hasMaster: false, previous: stored });
    adoptStageMap(ctx, result.stored, result.pipelinesNow);
    ctx.provisionFailures.clear();
    delete ctx.mapping.unmappedReasons;
    // Records that failed for want of a stage may sync now (as after `dealbridge setup`).
    const waiting = (await deps.store.listErrors({ code: 'STAGE_NOT_MAPPED' })).map((e) => e.recordKey);
    if (waiting.length > 0) await deps.store.scheduleRetryNow(waiting, now.toISOString());
    return {
      changed: true,
      provisioned: true,
      pipelines: result.pipelines.filter((p) => p.status !== 'exists'),
    };
  }
}
