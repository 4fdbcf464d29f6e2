// The user-facing settings, kept in the state store so that the CLI, the web UI and every worker
// see the same values. Each key has one parser for the text the CLI and UI send, and a default.
import type { IsoDateTime } from '../domain/salesforce.js';
import type { SalesforcePort } from './ports/remote.js';
import type { StateStore } from './ports/store.js';
import { CURSOR_ACCOUNTS } from './sync/account-feed.js';
import { CURSOR_CONTACT_ROLES, CURSOR_OPPORTUNITIES } from './sync/change-feed.js';
import { SWEPT_FEEDS } from './sync/late-commits.js';
import { CURSOR_DELETES } from './deletes/full-compare.js';
import { CURSOR_NEW_CONTACTS } from './sync/new-contacts.js';

export interface Settings {
  /** Off by default: nothing is written to HubSpot (S3). */
  opportunitySync: boolean;
  /** Forward-only lifecycle stage updates (S6). */
  lifecycleStage: boolean;
  /** Which closed-won deal's amount is the "recent deal amount" (S8). */
  recentDealAmountRule: 'created' | 'closed';
  /** Create a HubSpot company when an account matches none by id or domain. */
  createCompanies: boolean;
  /** HubSpot owner id used when a Salesforce owner has no HubSpot owner. */
  fallbackOwnerId: string | null;
  /** Stop using Salesforce's API once the org has used this share of its daily allocation. */
  salesforceBudgetPercent: number;
  /**
   * Salesforce Type value → HubSpot dealtype option value, over the defaults (setup/plan.ts's
   * defaultTypeValueMap): the "value map" INVALID_PICKLIST's fix names.
   */
  typeValueMap: Record<string, string>;
  /**
   * Record types and stages added or renamed in Salesforce after setup get their HubSpot pipeline
   * and stage (or new label and order) from the sync; off: their opportunities fail
   * STAGE_NOT_MAPPED until `dealbridge setup` runs.
   */
  autoProvision: boolean;
  /**
   * The language of the labels setup gives the HubSpot properties and property group it creates
   * (setup/property-labels.ts). The web UI's own language is each browser's, not this.
   */
  language: PropertyLabelLanguage;
  /**
   * A deal deleted in HubSpot while its opportunity lives (issue #13, per direction): `keep`
   * leaves the opportunity alone and writes the deal again (deletes/deleted-deals.ts), `delete`
   * deletes the opportunity in Salesforce (its recycle bin keeps it 15 days).
   */
  hubspotDealDeletes: 'keep' | 'delete';
}

export type PropertyLabelLanguage = 'en' | 'de';

export const defaultSettings: Readonly<Settings> = Object.freeze({
  opportunitySync: false,
  lifecycleStage: true,
  recentDealAmountRule: 'created',
  createCompanies: true,
  fallbackOwnerId: null,
  salesforceBudgetPercent: 80,
  typeValueMap: {},
  autoProvision: true,
  language: 'en',
  hubspotDealDeletes: 'keep',
});

export type SettingKey = keyof Settings;

/**
 * T of the scope contract (DESIGN §2.2, docs/sync.md): the Salesforce time at which
 * `opportunitySync` was last turned on. Kept beside the settings, not among them: it is set by
 * turning sync on, never by hand, and unlike the cursors it never moves.
 */
export const SYNC_STARTED_AT_SETTING = 'opportunitySyncStartedAt';

export async function readSyncStartedAt(store: StateStore): Promise<IsoDateTime | null> {
  return (await store.getSetting<IsoDateTime>(SYNC_STARTED_AT_SETTING)) ?? null;
}

function onOff(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  throw new SettingValueError(`expected on or off, got "${value}"`);
}

export class SettingValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingValueError';
  }
}

/** Parses the text form of each setting (CLI, UI) into its stored value. */
export const settingParsers: { [K in SettingKey]: (value: string) => Settings[K] } = {
  opportunitySync: onOff,
  lifecycleStage: onOff,
  createCompanies: onOff,
  autoProvision: onOff,
  recentDealAmountRule: (value) => {
    if (value === 'created' || value === 'closed') return value;
    throw new SettingValueError(`expected created or closed, got "${value}"`);
  },
  fallbackOwnerId: (value) => (value === '' || value === 'none' ? null : value),
  language: (value) => {
    const v = value.trim().toLowerCase();
    if (v === 'en' || v === 'de') return v;
    throw new SettingValueError(`expected en or de, got "${value}"`);
  },
  typeValueMap: parseTypeValueMap,
  hubspotDealDeletes: (value) => {
    const v = value.trim().toLowerCase();
    if (v === 'keep' || v === 'delete') return v;
    throw new SettingValueError(`expected keep or delete, got "${value}"`);
  },
  salesforceBudgetPercent: (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > 100)
      throw new SettingValueError(`expected a percentage 1-100, got "${value}"`);
    return n;
  },
};

export const settingDescriptions: Record<SettingKey, string> = {
  opportunitySync: 'on|off — sync Salesforce opportunities to HubSpot deals (off: nothing is written)',
  lifecycleStage: 'on|off — move contacts forward to opportunity/customer',
  recentDealAmountRule:
    'created|closed — recent deal amount follows the closed-won deal created last, or closed last',
  createCompanies: 'on|off — create a HubSpot company for an account that matches none',
  fallbackOwnerId: 'HubSpot owner id for deals whose Salesforce owner has no HubSpot owner (none to clear)',
  salesforceBudgetPercent: "share of the org's daily Salesforce API allocation dealbridge may use up to",
  typeValueMap:
    'JSON object, Salesforce Type value → HubSpot dealtype option, e.g. \'{"Legacy Deal":"newbusiness"}\' ({} or none to clear)',
  autoProvision:
    'on|off — record types and stages added or renamed in Salesforce get their HubSpot pipeline and stage from the sync (off: STAGE_NOT_MAPPED until `dealbridge setup`)',
  hubspotDealDeletes:
    'keep|delete — a deal deleted in HubSpot: keep its opportunity (the deal is written again) or delete the opportunity in Salesforce',
  language:
    'en|de — the language of the HubSpot property labels `dealbridge setup` creates (it relabels its own properties when run again)',
};

/** `{"Legacy Deal":"newbusiness"}`: a JSON object of non-empty strings; `none` or `{}` clears it. */
function parseTypeValueMap(value: string): Record<string, string> {
  const text = value.trim();
  if (text === '' || text === 'none') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SettingValueError(`expected a JSON object such as {"Legacy Deal":"newbusiness"}, got ${value}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SettingValueError('expected a JSON object of Salesforce Type value → HubSpot dealtype value');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string' || v.trim() === '' || k.trim() === '')
      throw new SettingValueError(`"${k}": expected a non-empty HubSpot dealtype option value`);
    out[k] = v.trim();
  }
  return out;
}

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(defaultSettings, key);
}

export function formatSetting(key: SettingKey, value: Settings[SettingKey]): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (value === null) return 'none';
  if (typeof value === 'object') return JSON.stringify(value);
  void key;
  return String(value);
}

/** The code of the records a change of the setting may fix. */
const settingFixes: Partial<Record<SettingKey, string>> = {
  typeValueMap: 'INVALID_PICKLIST',
  fallbackOwnerId: 'OWNER_NOT_FOUND',
};

export async function readSettings(store: StateStore): Promise<Settings> {
  const out = { ...defaultSettings } as Settings;
  for (const key of Object.keys(defaultSettings) as SettingKey[]) {
    const v = await store.getSetting<Settings[SettingKey]>(key);
    if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
  }
  return out;
}

/**
 * Writes one setting. Turning opportunity sync on records Salesforce's server time as T, the start
 * of the scope contract (`opportunitySyncStartedAt`), and as the start of every change cursor
 * (opportunities, contact roles, accounts, deletes): from then on changes sync; older
 * opportunities come with the import.
 */
export async function writeSetting<K extends SettingKey>(
  store: StateStore,
  key: K,
  value: Settings[K],
  deps: { salesforce?: SalesforcePort; now?: Date } = {},
): Promise<{ changed: boolean; cursorStart?: string }> {
  const current = (await store.getSetting<Settings[K]>(key)) ?? defaultSettings[key];
  if (key === 'opportunitySync' && value === true && current !== true) {
    if (!deps.salesforce) throw new Error('turning opportunitySync on needs a Salesforce connection');
    const now = await deps.salesforce.serverTime();
    await store.transaction(async () => {
      await store.setCursor(CURSOR_OPPORTUNITIES, { modstamp: now, id: '' });
      await store.setCursor(CURSOR_CONTACT_ROLES, { modstamp: now, id: '' });
      // The late-commit sweep starts there too: it must not bring changes made while sync was off.
      for (const { sweep } of SWEPT_FEEDS) await store.setCursor(sweep, { modstamp: now, id: '' });
      await store.setCursor(CURSOR_ACCOUNTS, { modstamp: now, id: '' });
      await store.setCursor(CURSOR_DELETES, { modstamp: now, id: '' });
      await store.setCursor(CURSOR_NEW_CONTACTS, { modstamp: now, id: '' });
      await store.setSetting(SYNC_STARTED_AT_SETTING, now);
      await store.setSetting(key, value);
    });
    return { changed: true, cursorStart: now };
  }
  if (current === value || JSON.stringify(current) === JSON.stringify(value)) return { changed: false };
  await store.setSetting(key, value);
  // Warnings are not retried by themselves: the records a new value may fix are made due now.
  const fixes = settingFixes[key];
  if (fixes) {
    const keys = (await store.listErrors({ code: fixes })).map((e) => e.recordKey);
    if (keys.length > 0) await store.scheduleRetryNow(keys, (deps.now ?? new Date()).toISOString());
  }
  return { changed: true };
}
