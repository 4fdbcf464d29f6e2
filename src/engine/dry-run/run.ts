// `dealbridge sync --dry-run`: one pass that reads everything a pass reads and writes nothing. It is
// the real pass (SyncEngine, the batch steps, the rollup hook), run over two stand-ins: HubSpot's
// port replaced by one that only writes its calls down (recording-hubspot.ts), and the store by a
// throwaway copy of it (the caller's, e.g. Store.scratchCopy) that the caller drops afterwards. So
// its plan is what a pass started now would do, and nothing of it reaches HubSpot or the state:
// no cursor moves, no link, error, audit entry or pass summary is kept.
import { createRollupHook } from '../rollups/hook.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';
import type { EngineOptions } from '../sync/engine-options.js';
import { SyncEngine } from '../sync/pass.js';
import { PlanCollector, type DryRunReport } from './plan.js';
import { RecordingHubspot } from './recording-hubspot.js';

export type { DryRunReport, PlanChange, PlanEntry, PlanHubspot, PlanIssue, PlanRecordWrite } from './plan.js';

export interface DryRunDeps {
  salesforce: SalesforcePort;
  /** The real HubSpot port: only read from. */
  hubspot: HubspotPort;
  /** A throwaway copy of the state: the pass writes to it as to the store, and the caller drops it. */
  scratch: StateStore;
  options?: Partial<EngineOptions>;
  now?: () => Date;
}

export async function dryRunPass(deps: DryRunDeps): Promise<DryRunReport> {
  const hubspot = new RecordingHubspot(deps.hubspot);
  const plan = new PlanCollector();
  const { salesforce, scratch: store } = deps;
  const engine = new SyncEngine({
    salesforce,
    hubspot,
    store,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.options ? { options: deps.options } : {}),
    // As the runtime wires a pass: the rollups of what it touched follow its stored pages.
    onTouched: createRollupHook({ salesforce, hubspot, store, ...(deps.now ? { now: deps.now } : {}) }),
    onBatch: (outcome) => plan.add(outcome),
  });
  const result = await engine.runPass();
  return plan.report(result, hubspot.writes, store);
}
