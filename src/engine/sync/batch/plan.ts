// Step 5: map each in-scope opportunity to deal properties (pure, mapping/deal.ts) and decide
// whether it needs a write: a create, or properties whose content hash differs from the last write.
import type { HsProperties } from '../../../domain/hubspot.js';
import { dealPropertiesHash, mapOpportunityToDeal } from '../../mapping/index.js';
import type { MappingContext } from '../../mapping/types.js';
import type { RecordFailure } from '../../record-errors.js';
import type { SfOpportunityWithRoles } from '../../ports/remote.js';
import type { DealLink } from '../../ports/store.js';
import { decide } from './outcome.js';
import { opportunityFailure, syncedIssue, type BatchRun } from './run-state.js';

export interface PlannedDeal {
  opp: SfOpportunityWithRoles;
  link: DealLink | undefined;
  properties: HsProperties;
  hash: string;
  write: boolean;
  /**
   * Written only because the pass is catching up after a start (BatchEnv.catchingUp): its hash
   * matches the link's, but HubSpot may hold what a killed process wrote after the store's state.
   */
  repair: boolean;
  /** Issues of the deal that is written anyway (warnings, or errors such as ASSOCIATION_FAILED). */
  warnings: RecordFailure[];
}

export function planDeals(
  run: BatchRun,
  inScope: SfOpportunityWithRoles[],
  mapping: MappingContext = run.env.ctx.mapping,
): PlannedDeal[] {
  const planned: PlannedDeal[] = [];
  for (const opp of inScope) {
    const link = run.links.get(opp.Id);
    const isCreate = !link?.dealId || link.archived;
    const mapped = mapOpportunityToDeal(opp, mapping, {
      isCreate,
      lastWritten: link?.lastValues,
    });
    if (!mapped.ok) {
      decide(run.out, opp.Id, 'fail');
      for (const e of mapped.errors) run.failures.push(opportunityFailure(opp.Id, e));
      continue;
    }
    const hash = dealPropertiesHash(mapped.properties);
    // A deal deleted in HubSpot is written even unchanged: the upsert then creates it (recreate.ts).
    const rewrite = run.env.catchingUp === true;
    const needed = isCreate || link?.propertiesHash !== hash || run.mode.dealsDeleted?.has(opp.Id) === true;
    const write = needed || rewrite;
    const warnings = mapped.warnings.map((w) => syncedIssue(opp.Id, w));
    planned.push({
      opp,
      link,
      properties: mapped.properties,
      hash,
      write,
      repair: !needed && rewrite,
      warnings,
    });
  }
  return planned;
}
