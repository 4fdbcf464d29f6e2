// getDeleted for Opportunity (REST "Get Deleted Records"): ids deleted in a window, and the
// earliest date Salesforce still has (15 days back), which tells when a cursor is too old for it.
import type { IsoDateTime } from '../domain/salesforce.js';
import type { SalesforceClient } from './client.js';
import { deletedSchema } from './schemas.js';

export async function deletedOpportunities(
  client: SalesforceClient,
  path: (p: string) => string,
  start: IsoDateTime,
  end: IsoDateTime,
) {
  // getDeleted wants ISO 8601 with an offset; jsforce's own `deleted()` sends `+00:00`.
  const fmt = (iso: string): string =>
    encodeURIComponent(new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00'));
  const raw = await client.get(path(`/sobjects/Opportunity/deleted/?start=${fmt(start)}&end=${fmt(end)}`));
  const d = deletedSchema.parse(raw);
  return {
    deleted: d.deletedRecords,
    earliestDateAvailable: d.earliestDateAvailable,
    latestDateCovered: d.latestDateCovered,
  };
}
