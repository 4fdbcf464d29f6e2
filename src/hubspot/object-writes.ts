// Contact and company batch writes (the rollups' updates, the companies the sync creates), in
// HubSpot batches of 100 sent side by side; a 207's errors are attributed to their inputs.
import type { HsInputError, HsObject, HsObjectType, HsProperties } from '../domain/hubspot.js';
import type { BatchOutcome } from '../engine/ports/remote.js';
import { inputErrorsOf207 } from './errors.js';
import { batchSchema, objectSchema } from './schemas.js';
import type { HubspotTransport } from './transport.js';
import { BATCH, chunks, offset, rejection, toObject } from './wire.js';

export async function createObjects(
  t: HubspotTransport,
  objectType: HsObjectType,
  inputs: { properties: HsProperties }[],
): Promise<BatchOutcome<HsObject>> {
  const results: HsObject[] = [];
  const errors: HsInputError[] = [];
  await Promise.all(
    chunks(inputs, BATCH).map(async ({ start, items }) => {
      const props = items.map((i) => i.properties);
      let body: unknown;
      try {
        body = (await t.request('POST', `/crm/v3/objects/${objectType}/batch/create`, { inputs: items }))
          .body;
      } catch (err) {
        throw offset(rejection(err, items.map(String), props), start);
      }
      const parsed = batchSchema(objectSchema).parse(body);
      for (const r of parsed.results) results.push(toObject(r));
      const none = new Set(parsed.results.length === items.length ? items.map((_, i) => i) : []);
      for (const e of inputErrorsOf207(parsed.errors ?? [], items.map(String), none))
        errors.push({ ...e, index: e.index + start });
    }),
  );
  return { results, errors };
}

export async function updateObjects(
  t: HubspotTransport,
  objectType: HsObjectType,
  inputs: { id: string; properties: HsProperties }[],
): Promise<BatchOutcome<HsObject>> {
  const results: HsObject[] = [];
  const errors: HsInputError[] = [];
  await Promise.all(
    chunks(inputs, BATCH).map(async ({ start, items }) => {
      const keys = items.map((i) => i.id);
      let body: unknown;
      try {
        body = (await t.request('POST', `/crm/v3/objects/${objectType}/batch/update`, { inputs: items }))
          .body;
      } catch (err) {
        throw offset(
          rejection(
            err,
            keys,
            items.map((i) => i.properties),
          ),
          start,
        );
      }
      const parsed = batchSchema(objectSchema).parse(body);
      const answered = new Set<number>();
      for (const r of parsed.results) {
        results.push(toObject(r));
        const k = keys.indexOf(r.id);
        if (k >= 0) answered.add(k);
      }
      for (const e of inputErrorsOf207(parsed.errors ?? [], keys, answered))
        errors.push({ ...e, index: e.index + start });
    }),
  );
  return { results, errors: errors.sort((a, b) => a.index - b.index) };
}
