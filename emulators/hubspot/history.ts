// Property history (`propertiesWithHistory` on reads): every value a write set, newest first, as
// HubSpot's ValueWithTimestamp `{value, timestamp, sourceType, sourceId?}`. Only writes made
// through the API are recorded; records that were seeded or loaded show their current value as a
// single IMPORT entry, and derived values (hs_object_id, closed flags…) a single CALCULATED one.
import type { Portal } from './portal.js';
import { derivedValue, toObject } from './records.js';
import type { ObjectTypeName } from './schema.js';
import type { Rec } from './store/objects.js';
import { iso } from './http.js';

export interface ValueWithTimestamp {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
}

/** Names whose value HubSpot computes; a write never sets them. */
const CALCULATED = new Set([
  'hs_object_id',
  'createdate',
  'hs_lastmodifieddate',
  'lastmodifieddate',
  'hs_is_closed',
  'hs_is_closed_won',
  'hs_deal_stage_probability',
  'amount_in_home_currency',
  'num_associated_contacts',
  'num_associated_deals',
]);

/** `{name: ValueWithTimestamp[]}` for the requested names the portal knows (unknown ones ignored). */
export function historyOf(
  portal: Portal,
  type: ObjectTypeName,
  rec: Rec,
  names: string[],
): Record<string, ValueWithTimestamp[]> {
  const defs = portal.properties[type];
  const log = rec.h ?? [];
  const out: Record<string, ValueWithTimestamp[]> = {};
  for (const name of names) {
    if (!defs.has(name) || name in out) continue;
    const list: ValueWithTimestamp[] = [];
    for (let i = log.length - 4; i >= 0; i -= 4) {
      if (log[i] === name) list.push(entry(String(log[i + 1]), Number(log[i + 2]), String(log[i + 3])));
    }
    if (!list.length) {
      const current = derivedValue(portal, type, rec, name);
      if (current !== undefined) {
        const calculated = CALCULATED.has(name);
        list.push(
          entry(current, calculated ? rec.updatedAt : rec.createdAt, calculated ? 'CALCULATED' : 'IMPORT'),
        );
      }
    }
    out[name] = list;
  }
  return out;
}

function entry(value: string, at: number, sourceType: string): ValueWithTimestamp {
  const e: ValueWithTimestamp = { value, timestamp: iso(at), sourceType };
  // Writes through a private app's token are attributed to the app, as HubSpot shows them.
  if (sourceType === 'INTEGRATION') e.sourceId = 'sandbox-private-app';
  return e;
}

/** The names asked for with `propertiesWithHistory` (query: comma list or repeated; body: array). */
export function historyNames(raw: unknown): string[] | undefined {
  const list = Array.isArray(raw) ? raw.map(String) : undefined;
  return list && list.length ? list : undefined;
}

/**
 * A record as reads return it, with `propertiesWithHistory` when asked. Asking for history alone
 * returns those properties instead of the defaults (as HubSpot answers `?propertiesWithHistory=x`).
 */
export function withHistory(
  portal: Portal,
  type: ObjectTypeName,
  rec: Rec,
  wanted: string[] | undefined,
  history: string[] | undefined,
): Record<string, unknown> {
  const asked = history?.length ? history : undefined;
  const o = toObject(portal, type, rec, wanted?.length ? wanted : asked);
  if (asked) o.propertiesWithHistory = historyOf(portal, type, rec, asked);
  return o;
}
