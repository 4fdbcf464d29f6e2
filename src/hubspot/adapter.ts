// HubspotPort on @hubspot/api-client (through HubspotTransport: paced, retried). Batch calls are
// chunked to HubSpot's limits (100 inputs; 1,000 ids for v4 association reads).
import { ZodError } from 'zod';
import { DealbridgeError } from '../errors/index.js';
import type {
  HsAccountInfo,
  HsObject,
  HsObjectType,
  HsOwner,
  HsPipeline,
  HsPropertyDefinition,
} from '../domain/hubspot.js';
import { type HubspotPort } from '../engine/ports/remote.js';
import type { RetryPolicy } from '../http/retry.js';
import type { Clock } from '../http/pacer.js';
import { badAnswer, readAnswer, readingAnswers } from './answers.js';
import { createDeals, DEAL_ID_PROPERTY, upsertDeals } from './deal-writes.js';
import { createObjects, updateObjects } from './object-writes.js';
import { asErrorBody, firstDetail, mapHubspotCode } from './errors.js';
import {
  accountInfoSchema,
  archivedDealSchema,
  assocReadSchema,
  batchSchema,
  objectSchema,
  ownerSchema,
  pipelineSchema,
  propertySchema,
} from './schemas.js';
import { HubspotHttpError, HubspotTransport, errorMessage } from './transport.js';
import { getPageOf, listAll, pages } from './paging.js';
import { searchSince } from './search-since.js';
import { dealHistory } from './deal-history.js';
import { BATCH, batchLimitOf, chunks, stageIn, stageOut, toObject } from './wire.js';

export interface HubspotAdapterConfig {
  baseUrl: string;
  accessToken: string;
  maxConcurrency?: number;
  /**
   * Inputs per v4 association batch create (default 2,000, the documented maximum). When a
   * portal refuses the size (400 "batch input limit"), the adapter drops to the limit it names (or
   * 100) for the rest of its life and resends.
   */
  associationBatchSize?: number;
  /** Tests: faster retries, a fake clock, a short wait for a body that stopped arriving. */
  retryPolicy?: RetryPolicy;
  clock?: Clock;
  bodyIdleMs?: number;
}

export { DEAL_ID_PROPERTY };
const ASSOC_READ_BATCH = 1000;
export const DEFAULT_ASSOCIATION_BATCH = 2000;

export type HubspotAdapter = HubspotPort & { readonly transport: HubspotTransport };

export function createHubspotAdapter(cfg: HubspotAdapterConfig): HubspotAdapter {
  const t = new HubspotTransport({
    baseUrl: cfg.baseUrl,
    accessToken: cfg.accessToken,
    ...(cfg.maxConcurrency ? { maxConcurrency: cfg.maxConcurrency } : {}),
    ...(cfg.retryPolicy ? { retryPolicy: cfg.retryPolicy } : {}),
    ...(cfg.clock ? { clock: cfg.clock } : {}),
    ...(cfg.bodyIdleMs ? { bodyIdleMs: cfg.bodyIdleMs } : {}),
  });
  let assocBatch = Math.max(1, cfg.associationBatchSize ?? DEFAULT_ASSOCIATION_BATCH);

  /**
   * Runs a mapped call, turning leftover 4xx into a DealbridgeError (never a raw HTTP error) and an
   * answer its schema refuses into HUBSPOT_BAD_RESPONSE.
   */
  async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ZodError) throw badAnswer(what, err);
      if (err instanceof HubspotHttpError) {
        const d = firstDetail(asErrorBody(err.body));
        throw new DealbridgeError(mapHubspotCode(d.code, err.status, d.property), `${what}: ${err.message}`, {
          cause: err,
          ...(d.property ? { field: d.property } : {}),
        });
      }
      throw err;
    }
  }

  const getPage = getPageOf(t);

  async function batchRead(
    objectType: HsObjectType,
    values: string[],
    properties: string[],
    idProperty?: string,
  ) {
    const out: HsObject[] = [];
    await Promise.all(
      chunks([...new Set(values)], BATCH).map(async ({ items }) => {
        const res = await t.request('POST', `/crm/v3/objects/${objectType}/batch/read`, {
          inputs: items.map((id) => ({ id })),
          properties: idProperty ? [...new Set([...properties, idProperty])] : properties,
          ...(idProperty ? { idProperty } : {}),
        });
        // 207: the ones not found are listed in errors; they are simply absent for us.
        for (const r of batchSchema(objectSchema).parse(res.body).results) out.push(toObject(r));
      }),
    );
    return out;
  }

  const port: HubspotAdapter = {
    transport: t,

    accountInfo: () =>
      guard('account info', async () => {
        const a = accountInfoSchema.parse((await t.request('GET', '/account-info/v3/details')).body);
        const currencies = [
          a.companyCurrency,
          ...(a.additionalCurrencies ?? []).filter((c) => c !== a.companyCurrency),
        ];
        return {
          portalId: a.portalId,
          companyCurrency: a.companyCurrency,
          currencies,
          timeZone: a.timeZone,
        } satisfies HsAccountInfo;
      }),

    owners: () =>
      guard('owners', async () =>
        (await listAll(getPage('/crm/v3/owners', { limit: '500' }), (r) => ownerSchema.parse(r)))
          .filter((o) => o.email)
          .map((o): HsOwner => ({
            id: o.id,
            email: o.email!,
            ...(o.firstName ? { firstName: o.firstName } : {}),
            ...(o.lastName ? { lastName: o.lastName } : {}),
            archived: o.archived ?? false,
          })),
      ),

    dealPipelines: () =>
      guard('deal pipelines', async () => {
        const res = await t.request('GET', '/crm/v3/pipelines/deals');
        return ((res.body as { results?: unknown[] }).results ?? []).map((r) => {
          const p = pipelineSchema.parse(r);
          return { id: p.id, label: p.label, displayOrder: p.displayOrder, stages: p.stages.map(stageOut) };
        });
      }),

    createDealPipeline: (p) =>
      guard('create deal pipeline', async () => {
        const res = await t.request('POST', '/crm/v3/pipelines/deals', {
          label: p.label,
          displayOrder: p.displayOrder,
          stages: p.stages.map(stageIn),
        });
        const out = pipelineSchema.parse(res.body);
        return {
          id: out.id,
          label: out.label,
          displayOrder: out.displayOrder,
          stages: out.stages.map(stageOut),
        };
      }),

    updateDealPipeline: (id, p) =>
      guard('update deal pipeline', async () => {
        const path = `/crm/v3/pipelines/deals/${encodeURIComponent(id)}`;
        const current = pipelineSchema.parse((await t.request('GET', path)).body);
        if (current.label !== p.label) await t.request('PATCH', path, { label: p.label });
        const byLabel = new Map(current.stages.map((s) => [s.label.toLowerCase(), s]));
        const byId = new Map(current.stages.map((s) => [s.id, s]));
        for (const s of p.stages) {
          const existing =
            (s.id !== undefined ? byId.get(s.id) : undefined) ?? byLabel.get(s.label.toLowerCase());
          const wanted = stageIn(s);
          if (!existing) await t.request('POST', `${path}/stages`, wanted);
          else if (
            existing.label !== s.label ||
            existing.displayOrder !== s.displayOrder ||
            Number(existing.metadata.probability) !== s.probability ||
            (existing.metadata.isClosed === 'true') !== s.isClosed
          ) {
            await t.request('PATCH', `${path}/stages/${encodeURIComponent(existing.id)}`, wanted);
          }
        }
        const out = pipelineSchema.parse((await t.request('GET', path)).body);
        return {
          id: out.id,
          label: out.label,
          displayOrder: out.displayOrder,
          stages: out.stages.map(stageOut),
        } satisfies HsPipeline;
      }),

    properties: (objectType) =>
      guard('properties', async () => {
        const res = await t.request('GET', `/crm/v3/properties/${objectType}`);
        return ((res.body as { results?: unknown[] }).results ?? []).map((r): HsPropertyDefinition => {
          const p = propertySchema.parse(r);
          const { modificationMetadata, ...rest } = p;
          return {
            ...rest,
            type: rest.type as HsPropertyDefinition['type'],
            ...(modificationMetadata?.readOnlyValue !== undefined
              ? { readOnlyValue: modificationMetadata.readOnlyValue }
              : {}),
          };
        });
      }),

    ensurePropertyGroup: (objectType, name, label, relabel = []) =>
      guard('property group', async () => {
        try {
          const res = await t.request(
            'GET',
            `/crm/v3/properties/${objectType}/groups/${encodeURIComponent(name)}`,
          );
          const current = (res.body as { label?: unknown }).label;
          if (typeof current === 'string' && current !== label && relabel.includes(current))
            await t.request('PATCH', `/crm/v3/properties/${objectType}/groups/${encodeURIComponent(name)}`, {
              label,
            });
          return;
        } catch (err) {
          if (!(err instanceof HubspotHttpError && err.status === 404)) throw err;
        }
        try {
          await t.request('POST', `/crm/v3/properties/${objectType}/groups`, { name, label });
        } catch (err) {
          if (!(err instanceof HubspotHttpError && err.status === 409)) throw err; // created meanwhile
        }
      }),

    createProperty: (objectType, def) =>
      guard(`create property ${def.name}`, async () => {
        try {
          await t.request('POST', `/crm/v3/properties/${objectType}`, def);
        } catch (err) {
          // Idempotent: a property that already exists is what we wanted (setup checks its shape).
          if (!(err instanceof HubspotHttpError && err.status === 409)) throw err;
        }
      }),

    setPropertyLabel: (objectType, name, label) =>
      guard(`relabel property ${name}`, async () => {
        await t.request('PATCH', `/crm/v3/properties/${objectType}/${encodeURIComponent(name)}`, { label });
      }),

    setPropertyOptions: (objectType, name, options) =>
      guard(`update the options of property ${name}`, async () => {
        await t.request('PATCH', `/crm/v3/properties/${objectType}/${encodeURIComponent(name)}`, { options });
      }),

    upsertDeals: (inputs) => readingAnswers('upsert deals', () => upsertDeals(t, inputs)),

    createDeals: (inputs) => readingAnswers('create deals', () => createDeals(t, inputs)),

    archiveDeals: (dealIds) =>
      guard('archive deals', async () => {
        await Promise.all(
          chunks([...new Set(dealIds)], BATCH).map(({ items }) =>
            t.request('POST', '/crm/v3/objects/deals/batch/archive', { inputs: items.map((id) => ({ id })) }),
          ),
        );
      }),

    readByUniqueProperty: (objectType, property, values, properties) =>
      guard(`read ${objectType} by ${property}`, () => batchRead(objectType, values, properties, property)),

    readByIds: (objectType, ids, properties) =>
      guard(`read ${objectType}`, () => batchRead(objectType, ids, properties)),

    // Pages are yielded as they come: a portal's deals need not fit in memory at once.
    async *listObjects(objectType, properties) {
      const page = getPage(`/crm/v3/objects/${objectType}`, {
        limit: String(BATCH),
        properties: properties.join(','),
      });
      for await (const results of pages((after) => guard(`list ${objectType}`, () => page(after))))
        yield readAnswer(`list ${objectType}`, () => results.map((r) => toObject(objectSchema.parse(r))));
    },

    // Only the id and archivedAt are needed: `hs_object_id` keeps the default properties out.
    archivedDeals: () =>
      guard('list archived deals', () =>
        listAll(
          getPage('/crm/v3/objects/deals', {
            archived: 'true',
            limit: String(BATCH),
            properties: 'hs_object_id',
          }),
          (r) => {
            const d = archivedDealSchema.parse(r);
            return { dealId: d.id, archivedAt: d.archivedAt ?? null };
          },
        ),
      ),

    // Past search's 10,000-result cap the query starts again from the last createdate (search-since.ts).
    contactsCreatedSince: (since, properties) =>
      searchSince(t, guard, {
        objectType: 'contacts',
        property: 'createdate',
        since,
        properties,
        what: 'search contacts by createdate',
      }),

    dealsModifiedSince: (since, properties) =>
      searchSince(t, guard, {
        objectType: 'deals',
        property: 'hs_lastmodifieddate',
        since,
        properties,
        what: 'search deals by hs_lastmodifieddate',
      }),

    readDealHistory: (ids, properties) => guard('read deal history', () => dealHistory(t, ids, properties)),

    findCompaniesByDomain: (domains) =>
      guard('search companies by domain', async () => {
        const out = new Map<string, HsObject>();
        for (const { items } of chunks([...new Set(domains.map((d) => d.toLowerCase()))], 100)) {
          const search = async (after: string | undefined) =>
            (
              await t.request(
                'POST',
                '/crm/v3/objects/companies/search',
                {
                  filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'IN', values: items }] }],
                  properties: ['domain', 'name', 'salesforce_account_id'],
                  limit: 200,
                  ...(after ? { after } : {}),
                },
                { search: true },
              )
            ).body;
          for (const o of await listAll(search, (r) => toObject(objectSchema.parse(r)))) out.set(o.id, o);
        }
        return [...out.values()];
      }),

    createObjects: (objectType, inputs) =>
      readingAnswers(`create ${objectType}`, () => createObjects(t, objectType, inputs)),

    updateObjects: (objectType, inputs) =>
      readingAnswers(`update ${objectType}`, () => updateObjects(t, objectType, inputs)),

    associate: (toType, inputs) =>
      guard(`associate deals with ${toType}`, async () => {
        const send = async (items: typeof inputs): Promise<void> => {
          let res;
          try {
            res = await t.request('POST', `/crm/v4/associations/deals/${toType}/batch/create`, {
              inputs: items.map((a) => ({
                from: { id: a.fromId },
                to: { id: a.toId },
                types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId }],
              })),
            });
          } catch (err) {
            const limit = batchLimitOf(err);
            if (limit === undefined || items.length <= limit) throw err;
            // The portal takes fewer inputs per call than configured: remember and resend.
            assocBatch = Math.min(assocBatch, limit);
            await Promise.all(chunks(items, assocBatch).map((c) => send(c.items)));
            return;
          }
          const errs = (res.body as { errors?: unknown[] } | undefined)?.errors ?? [];
          if (errs.length) {
            throw new DealbridgeError(
              'ASSOCIATION_FAILED',
              `HubSpot refused ${errs.length} association(s) deal→${toType}: ${errs.map((e) => errorMessage(e)).join('; ')}`,
            );
          }
        };
        await Promise.all(chunks(inputs, assocBatch).map(({ items }) => send(items)));
      }),

    dissociate: (toType, inputs) =>
      guard(`dissociate deals from ${toType}`, async () => {
        // batch/archive removes every association type between the pair (the deal↔company
        // primary and unlabeled alike), which is what a removed role or changed account means.
        const byFrom = new Map<string, Set<string>>();
        for (const a of inputs) byFrom.set(a.fromId, (byFrom.get(a.fromId) ?? new Set()).add(a.toId));
        const grouped = [...byFrom].map(([from, to]) => ({
          from: { id: from },
          to: [...to].map((id) => ({ id })),
        }));
        await Promise.all(
          chunks(grouped, BATCH).map(({ items }) =>
            t.request('POST', `/crm/v4/associations/deals/${toType}/batch/archive`, { inputs: items }),
          ),
        );
      }),

    readAssociations: (toType, dealIds) =>
      guard(`read deal→${toType} associations`, async () => {
        const out = new Map<string, { toId: string; typeIds: number[] }[]>();
        const add = (from: string, to: { toObjectId: string; associationTypes: { typeId: number }[] }[]) => {
          const list = out.get(from) ?? [];
          for (const x of to)
            list.push({ toId: x.toObjectId, typeIds: x.associationTypes.map((a) => a.typeId) });
          out.set(from, list);
        };
        await Promise.all(
          chunks([...new Set(dealIds)], ASSOC_READ_BATCH).map(async ({ items }) => {
            const res = await t.request('POST', `/crm/v4/associations/deals/${toType}/batch/read`, {
              inputs: items.map((id) => ({ id })),
            });
            for (const raw of (res.body as { results?: unknown[] }).results ?? []) {
              const r = assocReadSchema.parse(raw);
              add(r.from.id, r.to);
              // More than one page of associations for this deal: read the rest per record.
              const rest = r.paging?.next?.after;
              if (rest) {
                const path = `/crm/v4/objects/deals/${encodeURIComponent(r.from.id)}/associations/${toType}`;
                add(
                  r.from.id,
                  await listAll(
                    getPage(path, { limit: '500' }),
                    (x) => assocReadSchema.shape.to.element.parse(x),
                    rest,
                  ),
                );
              }
            }
          }),
        );
        return out;
      }),

    usage: () => ({
      requests: t.requests,
      rateLimited: t.rateLimited,
      ...(t.daily.remaining !== undefined ? { dailyRemaining: t.daily.remaining } : {}),
      ...(t.daily.max !== undefined ? { dailyMax: t.daily.max } : {}),
    }),
  };
  return port;
}
