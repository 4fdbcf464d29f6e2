// Deal writes keyed by `salesforce_opportunity_id`, in HubSpot batches of 100 sent side by side:
// - upsert (`POST /crm/v3/objects/deals/batch/upsert`, `idProperty`): existing or new deals;
// - create with inline associations (`POST /crm/v3/objects/deals/batch/create`, each input with
//   `associations: [{to: {id}, types: [{associationCategory, associationTypeId}]}]`): a new deal
//   and its contacts and company in one call instead of an upsert plus association batches. A
//   replay cannot create a second deal: the unique value is taken and HubSpot refuses the batch
//   (409), which the engine answers with an upsert.
// The key also goes into the properties, so each result names its opportunity (the order of batch
// results is not guaranteed).
import type { z } from 'zod';
import type { HsInputError, HsProperties } from '../domain/hubspot.js';
import type {
  BatchOutcome,
  DealCreateInput,
  DealUpsertInput,
  DealUpsertResult,
} from '../engine/ports/remote.js';
import { inputErrorsOf207 } from './errors.js';
import { batchSchema, objectSchema, upsertResultSchema } from './schemas.js';
import type { HubspotTransport } from './transport.js';
import { BATCH, chunks, offset, rejection } from './wire.js';

export const DEAL_ID_PROPERTY = 'salesforce_opportunity_id';

interface DealBatchWrite<I extends DealUpsertInput, R extends z.infer<typeof objectSchema>> {
  path: string;
  /** One wire input from the input and its properties (the key included). */
  wire(input: I, properties: HsProperties): unknown;
  result: z.ZodType<R>;
  /** Whether HubSpot created the deal (an upsert says so per result). */
  created(result: R): boolean;
  /** Upsert only: results without the key property are taken in input order when all came back. */
  positional: boolean;
}

async function writeDealBatches<I extends DealUpsertInput, R extends z.infer<typeof objectSchema>>(
  t: HubspotTransport,
  inputs: I[],
  how: DealBatchWrite<I, R>,
): Promise<BatchOutcome<DealUpsertResult>> {
  const results: DealUpsertResult[] = [];
  const errors: HsInputError[] = [];
  await Promise.all(
    chunks(inputs, BATCH).map(async ({ start, items }) => {
      const keys = items.map((i) => i.opportunityId);
      const props = items.map((i) => ({ ...i.properties, [DEAL_ID_PROPERTY]: i.opportunityId }));
      let body: unknown;
      try {
        body = (await t.request('POST', how.path, { inputs: items.map((i, k) => how.wire(i, props[k]!)) }))
          .body;
      } catch (err) {
        throw offset(rejection(err, keys, props), start);
      }
      const parsed = batchSchema(how.result).parse(body);
      const answered = new Set<number>();
      parsed.results.forEach((r, pos) => {
        const key = r.properties[DEAL_ID_PROPERTY];
        const positional = how.positional && parsed.results.length === items.length ? pos : -1;
        const k = key != null ? keys.indexOf(key) : positional;
        if (k < 0) return;
        answered.add(k);
        results.push({ opportunityId: keys[k]!, dealId: r.id, created: how.created(r) });
      });
      const named = inputErrorsOf207(parsed.errors ?? [], keys, answered);
      for (const e of named) errors.push({ ...e, index: e.index + start });
      // An input the answer neither wrote nor refused: whether it was written is unknown, so it
      // fails (and is retried) rather than vanish with no link, no error and no count.
      const refused = new Set(named.map((e) => e.index));
      keys.forEach((key, k) => {
        if (answered.has(k) || refused.has(k)) return;
        errors.push({
          index: k + start,
          code: 'HUBSPOT_BAD_RESPONSE',
          message: `HubSpot's answer to ${how.path} has no result and no error for opportunity ${key}`,
        });
      });
    }),
  );
  return { results, errors: errors.sort((a, b) => a.index - b.index) };
}

export function upsertDeals(
  t: HubspotTransport,
  inputs: DealUpsertInput[],
): Promise<BatchOutcome<DealUpsertResult>> {
  return writeDealBatches(t, inputs, {
    path: '/crm/v3/objects/deals/batch/upsert',
    wire: (i, properties) => ({ id: i.opportunityId, idProperty: DEAL_ID_PROPERTY, properties }),
    result: upsertResultSchema,
    created: (r) => r.new === true,
    positional: true,
  });
}

export function createDeals(
  t: HubspotTransport,
  inputs: DealCreateInput[],
): Promise<BatchOutcome<DealUpsertResult>> {
  return writeDealBatches(t, inputs, {
    path: '/crm/v3/objects/deals/batch/create',
    wire: (i, properties) => ({
      properties,
      associations: i.associations.map((a) => ({
        to: { id: a.toId },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId }],
      })),
    }),
    result: objectSchema,
    created: () => true,
    positional: false,
  });
}
