// What a rollup pass needs besides the mirror: the settings (lifecycle on/off, recent-amount rule),
// the property names setup created, and the amount converter (org currency facts, Salesforce rates,
// the portal's company currency). The remote facts cost three API calls, so they are cached.
import { DealbridgeError } from '../../errors/index.js';
import { createAmountConverter } from './currency.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import { defaultRollupPropertyNames, type AmountConverter, type RollupPropertyNames } from './index.js';
import { readSettings, type Settings } from '../user-settings.js';
import type { StateStore } from '../ports/store.js';

/** Same key as setup's ROLLUP_NAMES_SETTING (kept here so this module does not load setup). */
export const ROLLUP_NAMES_KEY = 'rollups.propertyNames';

export interface RollupContext {
  settings: Pick<Settings, 'lifecycleStage' | 'recentDealAmountRule'>;
  names: RollupPropertyNames;
  convert: AmountConverter;
  portalCurrency: string;
}

export async function readRollupNames(store: StateStore): Promise<RollupPropertyNames> {
  return {
    ...defaultRollupPropertyNames,
    ...(await store.getSetting<Partial<RollupPropertyNames>>(ROLLUP_NAMES_KEY)),
  };
}

/**
 * A converter that fails every record the same way: when the portal's company currency is not a
 * currency of the org, no amount can be converted, but counts and dates must still be written and
 * each affected record must show the error (not the whole pass).
 */
function failingConverter(err: unknown): AmountConverter {
  return () => {
    throw err;
  };
}

/** `portalCurrency`: the portal's company currency when the caller has just read it (no call). */
export async function loadRemoteCurrency(
  deps: {
    salesforce: SalesforcePort;
    hubspot: HubspotPort;
  },
  portalCurrency?: string,
): Promise<{ convert: AmountConverter; portalCurrency: string }> {
  const [org, currency] = await Promise.all([
    deps.salesforce.orgInfo(),
    portalCurrency ?? deps.hubspot.accountInfo().then((a) => a.companyCurrency),
  ]);
  const rates = org.multiCurrency ? await deps.salesforce.currencyRates() : [];
  try {
    return { convert: createAmountConverter(org, rates, currency), portalCurrency: currency };
  } catch (err) {
    if (!(err instanceof DealbridgeError)) throw err;
    return { convert: failingConverter(err), portalCurrency: currency };
  }
}

/** Caches the remote part for `ttlMs`; settings and names are re-read on every call (cheap, local). */
export class RollupContextLoader {
  private remote: { convert: AmountConverter; portalCurrency: string; at: number } | undefined;

  constructor(
    private readonly deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  invalidate(): void {
    this.remote = undefined;
  }

  /**
   * `portalCurrency`: the company currency the caller's own context read (the sync's or the
   * import's mapping context), so that a pass reads the portal's account info once, not twice.
   */
  async load(opts: { portalCurrency?: string } = {}): Promise<RollupContext> {
    const t = this.now();
    const stale = opts.portalCurrency !== undefined && this.remote?.portalCurrency !== opts.portalCurrency;
    if (!this.remote || stale || t - this.remote.at > this.ttlMs) {
      this.remote = { ...(await loadRemoteCurrency(this.deps, opts.portalCurrency)), at: t };
    }
    const settings = await readSettings(this.deps.store);
    return {
      settings: {
        lifecycleStage: settings.lifecycleStage,
        recentDealAmountRule: settings.recentDealAmountRule,
      },
      names: await readRollupNames(this.deps.store),
      convert: this.remote.convert,
      portalCurrency: this.remote.portalCurrency,
    };
  }
}
