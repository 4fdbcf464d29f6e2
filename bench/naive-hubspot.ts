// The common anti-pattern, for comparison: a HubspotPort that does what most hand-written
// integrations do — one HubSpot call per record, one after the other. An upsert is "look the deal
// up by its Salesforce id, then create or update it" (2 calls), each association one PUT, each
// lookup and write-back one GET / PATCH. Everything else (setup, context) passes through.
// It wraps the real adapter and sends through the real transport (same HTTP client, pacing and
// retries), so the difference measured is the call pattern alone. The sync engine above it is
// unchanged: it still hands over batches; this port just unrolls them.
import type { HsObject, HsObjectType, HsProperties } from '../src/domain/hubspot.js';
import type {
  DealCreateInput,
  DealUpsertInput,
  DealUpsertResult,
  HubspotPort,
} from '../src/engine/ports/remote.js';
import type { HubspotAdapter } from '../src/hubspot/adapter.js';
import { HubspotHttpError } from '../src/hubspot/transport.js';

const DEAL_ID_PROPERTY = 'salesforce_opportunity_id';

interface RawObject {
  id: string;
  properties: Record<string, string | null>;
}

const enc = encodeURIComponent;

export function naiveHubspot(adapter: HubspotAdapter): HubspotPort {
  const t = adapter.transport;

  async function getOne(
    type: HsObjectType,
    key: string,
    properties: string[],
    idProperty?: string,
  ): Promise<HsObject | undefined> {
    try {
      const res = await t.request('GET', `/crm/v3/objects/${type}/${enc(key)}`, undefined, {
        qs: {
          ...(properties.length ? { properties: properties.join(',') } : {}),
          ...(idProperty ? { idProperty } : {}),
        },
      });
      const o = res.body as RawObject;
      return { id: o.id, properties: o.properties };
    } catch (err) {
      if (err instanceof HubspotHttpError && err.status === 404) return undefined;
      throw err;
    }
  }

  function failure(index: number, err: unknown) {
    if (!(err instanceof HubspotHttpError)) throw err;
    return { index, code: 'HUBSPOT_VALIDATION', message: err.message };
  }

  return {
    ...adapter,
    // A deal believed new: one POST, then one PUT per association (deal→contact type 3, else
    // deal→company), as hand-written integrations do.
    async createDeals(inputs: DealCreateInput[]) {
      const results: DealUpsertResult[] = [];
      const errors: { index: number; code: string; message: string }[] = [];
      for (const [index, input] of inputs.entries()) {
        try {
          const properties = { ...input.properties, [DEAL_ID_PROPERTY]: input.opportunityId };
          const id = ((await t.request('POST', '/crm/v3/objects/deals', { properties })).body as RawObject)
            .id;
          for (const a of input.associations) {
            const toType = a.typeId === 3 ? 'contacts' : 'companies';
            await t.request('PUT', `/crm/v4/objects/deals/${enc(id)}/associations/${toType}/${enc(a.toId)}`, [
              { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId },
            ]);
          }
          results.push({ opportunityId: input.opportunityId, dealId: id, created: true });
        } catch (err) {
          errors.push(failure(index, err));
        }
      }
      return { results, errors };
    },

    async upsertDeals(inputs: DealUpsertInput[]) {
      const results: DealUpsertResult[] = [];
      const errors: { index: number; code: string; message: string }[] = [];
      for (const [index, input] of inputs.entries()) {
        try {
          const existing = await getOne('deals', input.opportunityId, [], DEAL_ID_PROPERTY);
          const properties = { ...input.properties, [DEAL_ID_PROPERTY]: input.opportunityId };
          if (existing) {
            await t.request('PATCH', `/crm/v3/objects/deals/${enc(existing.id)}`, { properties });
            results.push({ opportunityId: input.opportunityId, dealId: existing.id, created: false });
          } else {
            const res = await t.request('POST', '/crm/v3/objects/deals', { properties });
            const id = (res.body as RawObject).id;
            results.push({ opportunityId: input.opportunityId, dealId: id, created: true });
          }
        } catch (err) {
          errors.push(failure(index, err));
        }
      }
      return { results, errors };
    },

    async archiveDeals(dealIds: string[]) {
      for (const id of dealIds) await t.request('DELETE', `/crm/v3/objects/deals/${enc(id)}`);
    },

    async readByUniqueProperty(type, property, values, properties) {
      const out: HsObject[] = [];
      for (const v of new Set(values)) {
        const o = await getOne(type, v, [...new Set([...properties, property])], property);
        if (o) out.push(o);
      }
      return out;
    },

    async readByIds(type, ids, properties) {
      const out: HsObject[] = [];
      for (const id of new Set(ids)) {
        const o = await getOne(type, id, properties);
        if (o) out.push(o);
      }
      return out;
    },

    async createObjects(type, inputs: { properties: HsProperties }[]) {
      const results: HsObject[] = [];
      const errors: { index: number; code: string; message: string }[] = [];
      for (const [index, input] of inputs.entries()) {
        try {
          const o = (await t.request('POST', `/crm/v3/objects/${type}`, input)).body as RawObject;
          results.push({ id: o.id, properties: o.properties });
        } catch (err) {
          errors.push(failure(index, err));
        }
      }
      return { results, errors };
    },

    async updateObjects(type, inputs: { id: string; properties: HsProperties }[]) {
      const results: HsObject[] = [];
      const errors: { index: number; code: string; message: string }[] = [];
      for (const [index, input] of inputs.entries()) {
        try {
          const path = `/crm/v3/objects/${type}/${enc(input.id)}`;
          const o = (await t.request('PATCH', path, { properties: input.properties })).body as RawObject;
          results.push({ id: o.id, properties: o.properties });
        } catch (err) {
          errors.push(failure(index, err));
        }
      }
      return { results, errors };
    },

    async associate(toType, inputs) {
      for (const a of inputs) {
        await t.request(
          'PUT',
          `/crm/v4/objects/deals/${enc(a.fromId)}/associations/${toType}/${enc(a.toId)}`,
          [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId }],
        );
      }
    },

    async dissociate(toType, inputs) {
      for (const a of inputs) {
        await t.request(
          'DELETE',
          `/crm/v4/objects/deals/${enc(a.fromId)}/associations/${toType}/${enc(a.toId)}`,
        );
      }
    },
  };
}
