// Batch create of deals with inline associations (v3 `POST /crm/v3/objects/deals/batch/create`,
// each input with `associations: [{to: {id}, types: [{associationCategory, associationTypeId}]}]`):
// a new deal and its contacts and company in one call instead of an upsert plus association
// batches. `salesforce_opportunity_id` goes into the properties, so each result names its
// opportunity (the order of batch results is not guaranteed) and a replay cannot create a second
// deal: the unique value is taken and HubSpot refuses the batch (409), which the engine answers
// with an upsert.
import type { BatchOutcome, DealCreateInput, DealUpsertResult } from '../engine/ports.js';
import type { HsInputError } from '../domain/hubspot.js';
import { inputErrorsOf207 } from './errors.js';
import { batchSchema, objectSchema } from './schemas.js';
import type { HubspotTransport } from './transport.js';
import { BATCH, chunks, offset, rejection } from './wire.js';

const DEAL_ID_PROPERTY = 'salesforce_opportunity_id';

export async function createDeals(
  t: HubspotTransport,
  inputs: DealCreateInput[],
): Promise<BatchOutcome<DealUpsertResult>> {
  const results: DealUpsertResult[] = [];
  const errors: HsInputError[] = [];
  await Promise.all(
    chunks(inputs, BATCH).map(async ({ start, items }) => {
      const keys = items.map((i) => i.opportunityId);
      const props = items.map((i) => ({ ...i.properties, [DEAL_ID_PROPERTY]: i.opportunityId }));
      let body: unknown;
      try {
        body = (
          await t.request('POST', '/crm/v3/objects/deals/batch/create', {
            inputs: items.map((i, k) => ({
              properties: props[k],
              associations: i.associations.map((a) => ({
                to: { id: a.toId },
                types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId }],
              })),
            })),
          })
        ).body;
      } catch (err) {
        throw offset(rejection(err, keys, props), start);
      }
      const parsed = batchSchema(objectSchema).parse(body);
      const answered = new Set<number>();
      for (const r of parsed.results) {
        const k = keys.indexOf(r.properties[DEAL_ID_PROPERTY] ?? '');
        if (k < 0) continue;
        answered.add(k);
        results.push({ opportunityId: keys[k]!, dealId: r.id, created: true });
      }
      for (const e of inputErrorsOf207(parsed.errors ?? [], keys, answered))
        errors.push({ ...e, index: e.index + start });
    }),
  );
  return { results, errors: errors.sort((a, b) => a.index - b.index) };
}
