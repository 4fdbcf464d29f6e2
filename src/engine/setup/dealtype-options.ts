// `dealbridge setup --add-dealtype-options`: Salesforce's Type is an unrestricted picklist in most
// orgs, so values HubSpot's `dealtype` has no option for are common (they sync as an
// INVALID_PICKLIST warning, without dealtype). Setup lists them; asked to, it adds them as options.
// HubSpot has no "append option": the PATCH sends the whole list, the existing options first.
import { dealTypeValue } from '../mapping/index.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';

export interface DealtypeOptionsReport {
  /** Type picklist values with no dealtype option (after the value map). */
  missing: string[];
  /** The ones added as options in this run (with --add-dealtype-options). */
  added: string[];
}

export async function checkDealtypeOptions(
  deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
  typeValueMap: ReadonlyMap<string, string>,
  opts: { add: boolean; now: string },
): Promise<DealtypeOptionsReport> {
  const [values, props] = await Promise.all([
    deps.salesforce.opportunityTypeValues(),
    deps.hubspot.properties('deals'),
  ]);
  const dealtype = props.find((p) => p.name === 'dealtype');
  const options = dealtype?.options ?? [];
  const dealTypeOptions = new Set(options.map((o) => o.value));
  const missing = values.filter((v) => dealTypeValue(v, { typeValueMap, dealTypeOptions }) === undefined);
  if (!opts.add || missing.length === 0 || !dealtype) return { missing, added: [] };
  // The option's value is the Salesforce value itself, so it matches exactly from now on.
  const top = Math.max(-1, ...options.map((o) => o.displayOrder ?? -1));
  await deps.hubspot.setPropertyOptions('deals', 'dealtype', [
    ...options,
    ...missing.map((v, i) => ({ label: v, value: v, displayOrder: top + 1 + i, hidden: false })),
  ]);
  // Their records synced without dealtype, with a warning that is not retried: make them due.
  const warned = (await deps.store.listErrors({ code: 'INVALID_PICKLIST' })).map((e) => e.recordKey);
  if (warned.length > 0) await deps.store.scheduleRetryNow(warned, opts.now);
  return { missing: [], added: missing };
}
