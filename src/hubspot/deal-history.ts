// Deals read with `propertiesWithHistory` (batch read by id): each value's timestamp and source,
// which the HubSpot → Salesforce direction needs to tell a user's edit from its own write and to
// decide a conflict by time. HubSpot's spec says asking for history lowers how many objects one
// request may read (its list endpoint reads 50 instead of 100), so batches of 50.
import { z } from 'zod';
import type { HsObjectWithHistory } from '../domain/hubspot.js';
import { batchSchema, objectSchema } from './schemas.js';
import type { HubspotTransport } from './transport.js';
import { chunks } from './wire.js';

export const HISTORY_BATCH = 50;

const entrySchema = z.object({
  value: z.string().nullable().default(''),
  timestamp: z.string(),
  sourceType: z.string(),
  sourceId: z.string().optional(),
});

const withHistorySchema = objectSchema.extend({
  propertiesWithHistory: z.record(z.string(), z.array(entrySchema)).default({}),
});

export async function dealHistory(
  t: HubspotTransport,
  ids: string[],
  properties: string[],
): Promise<HsObjectWithHistory[]> {
  const out: HsObjectWithHistory[] = [];
  for (const { items } of chunks([...new Set(ids)], HISTORY_BATCH)) {
    const res = await t.request('POST', '/crm/v3/objects/deals/batch/read', {
      inputs: items.map((id) => ({ id })),
      properties,
      propertiesWithHistory: properties,
    });
    // 207: deals not found are listed in errors; they are simply absent here.
    for (const r of batchSchema(withHistorySchema).parse(res.body).results) {
      const history: HsObjectWithHistory['history'] = {};
      for (const [name, list] of Object.entries(r.propertiesWithHistory)) {
        history[name] = list.map((e) => ({
          value: e.value ?? '',
          timestamp: e.timestamp,
          sourceType: e.sourceType,
          ...(e.sourceId !== undefined ? { sourceId: e.sourceId } : {}),
        }));
      }
      out.push({ id: r.id, properties: r.properties, history });
    }
  }
  return out;
}
