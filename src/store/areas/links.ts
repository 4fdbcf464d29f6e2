// The ID maps: opportunity → deal (with the hashes of what was last written), and Salesforce
// contact / account → HubSpot contact / company.
import type { DealLink, PendingAssociations, RecordLink } from '../../engine/ports/store.js';
import { unique } from '../context.js';
import type { StoreContext, TableWrite } from '../context.js';
import type { ContactLinksTable, DealLinksTable, RecordLinksTable } from '../schema.js';
import { chunk } from '../../lib/chunk.js';

type LinkTable = 'contact_links' | 'company_links';

const DEAL_LINKS: TableWrite<DealLink> = {
  table: 'deal_links',
  key: ['opportunity_id'],
  columns: [
    ['opportunity_id', 'text', (l) => l.opportunityId],
    ['deal_id', 'text', (l) => l.dealId],
    ['properties_hash', 'text', (l) => l.propertiesHash],
    ['associations_hash', 'text', (l) => l.associationsHash],
    ['last_values', 'text', (l) => JSON.stringify(l.lastValues)],
    ['archived', 'bool', (l) => l.archived],
    ['last_synced_at', 'text', (l) => l.lastSyncedAt],
  ],
};

function recordLinks(table: LinkTable): TableWrite<RecordLink> {
  const columns: TableWrite<RecordLink>['columns'] = [
    ['salesforce_id', 'text', (l) => l.salesforceId],
    ['hubspot_id', 'text', (l) => l.hubspotId],
    ['matched_by', 'text', (l) => l.matchedBy],
    ['rollup_hash', 'text', (l) => l.rollupHash],
  ];
  if (table === 'company_links') return { table, key: ['salesforce_id'], columns };
  return {
    table,
    key: ['salesforce_id'],
    columns: [
      ...columns,
      ['lifecycle_stage', 'text', (l) => l.stage?.value ?? null],
      ['stage_read_at', 'text', (l) => l.stage?.readAt ?? null],
    ],
  };
}

function toDealLink(row: DealLinksTable): DealLink {
  return {
    opportunityId: row.opportunity_id,
    dealId: row.deal_id,
    propertiesHash: row.properties_hash,
    associationsHash: row.associations_hash,
    lastValues: JSON.parse(row.last_values) as Record<string, string | null>,
    archived: Boolean(row.archived),
    lastSyncedAt: row.last_synced_at,
  };
}

function toRecordLink(row: RecordLinksTable & Partial<ContactLinksTable>): RecordLink {
  const link: RecordLink = {
    salesforceId: row.salesforce_id,
    hubspotId: row.hubspot_id,
    matchedBy: row.matched_by as RecordLink['matchedBy'],
    rollupHash: row.rollup_hash,
  };
  if (row.stage_read_at) link.stage = { value: row.lifecycle_stage ?? null, readAt: row.stage_read_at };
  return link;
}

export async function getDealLinks(
  ctx: StoreContext,
  opportunityIds: string[],
): Promise<Map<string, DealLink>> {
  const out = new Map<string, DealLink>();
  for (const part of chunk(unique(opportunityIds), ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('deal_links')
      .selectAll()
      .where(ctx.inList('opportunity_id', part))
      .execute();
    for (const row of rows) out.set(row.opportunity_id, toDealLink(row));
  }
  return out;
}

export async function saveDealLinks(ctx: StoreContext, links: DealLink[]): Promise<void> {
  await ctx.write(DEAL_LINKS, links);
}

const PENDING: TableWrite<PendingAssociations> = {
  table: 'pending_associations',
  key: ['opportunity_id'],
  columns: [
    ['opportunity_id', 'text', (p) => p.opportunityId],
    ['contacts', 'text', (p) => p.contacts.join(',')],
    ['companies', 'text', (p) => p.companies.join(',')],
    ['noted_at', 'text', (p) => p.notedAt],
  ],
};

const ids = (text: string): string[] => text.split(',').filter(Boolean);

export async function getPendingAssociations(
  ctx: StoreContext,
  opportunityIds: string[],
): Promise<Map<string, PendingAssociations>> {
  const out = new Map<string, PendingAssociations>();
  for (const part of chunk(unique(opportunityIds), ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('pending_associations')
      .selectAll()
      .where(ctx.inList('opportunity_id', part))
      .execute();
    for (const r of rows)
      out.set(r.opportunity_id, {
        opportunityId: r.opportunity_id,
        contacts: ids(r.contacts),
        companies: ids(r.companies),
        notedAt: r.noted_at,
      });
  }
  return out;
}

export async function savePendingAssociations(
  ctx: StoreContext,
  pending: PendingAssociations[],
): Promise<void> {
  await ctx.write(PENDING, pending);
}

export async function clearPendingAssociations(ctx: StoreContext, opportunityIds: string[]): Promise<void> {
  for (const part of chunk(unique(opportunityIds), ctx.batchSize))
    await ctx.db().deleteFrom('pending_associations').where(ctx.inList('opportunity_id', part)).execute();
}

export async function liveDealOpportunityIds(
  ctx: StoreContext,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  let q = ctx
    .db()
    .selectFrom('deal_links')
    .select('opportunity_id')
    .where('deal_id', 'is not', null)
    .where('archived', '=', ctx.bool(false));
  if (afterId !== null) q = q.where('opportunity_id', '>', afterId);
  const rows = await q.orderBy('opportunity_id').limit(limit).execute();
  return rows.map((r) => r.opportunity_id);
}

/** The deal links whose deal is one of these HubSpot ids (a deal seen on the HubSpot side). */
export async function dealLinksByDealIds(
  ctx: StoreContext,
  dealIds: string[],
): Promise<Map<string, DealLink>> {
  const out = new Map<string, DealLink>();
  for (const part of chunk(unique(dealIds), ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom('deal_links')
      .selectAll()
      .where(ctx.inList('deal_id', part))
      .execute();
    for (const row of rows) if (row.deal_id !== null) out.set(row.deal_id, toDealLink(row));
  }
  return out;
}

export async function getRecordLinks(
  ctx: StoreContext,
  table: LinkTable,
  salesforceIds: string[],
): Promise<Map<string, RecordLink>> {
  const out = new Map<string, RecordLink>();
  for (const part of chunk(unique(salesforceIds), ctx.batchSize)) {
    const rows = await ctx
      .db()
      .selectFrom(table)
      .selectAll()
      .where(ctx.inList('salesforce_id', part))
      .execute();
    for (const row of rows) out.set(row.salesforce_id, toRecordLink(row));
  }
  return out;
}

/** The links whose HubSpot record is one of these (uses the hubspot_id index). */
export async function recordLinksToHubspot(
  ctx: StoreContext,
  table: LinkTable,
  hubspotIds: string[],
): Promise<RecordLink[]> {
  const out: RecordLink[] = [];
  for (const part of chunk(unique(hubspotIds), ctx.batchSize)) {
    const rows = await ctx.db().selectFrom(table).selectAll().where(ctx.inList('hubspot_id', part)).execute();
    for (const row of rows) out.push(toRecordLink(row));
  }
  return out;
}

/** Deletes the links of these Salesforce records (their HubSpot record is gone: sync/relink.ts). */
export async function dropRecordLinks(
  ctx: StoreContext,
  table: LinkTable,
  salesforceIds: string[],
): Promise<void> {
  const ids = unique(salesforceIds);
  if (ids.length === 0) return;
  await ctx.atomic(async () => {
    for (const part of chunk(ids, ctx.batchSize))
      await ctx.db().deleteFrom(table).where(ctx.inList('salesforce_id', part)).execute();
  });
}

export async function saveRecordLinks(
  ctx: StoreContext,
  table: LinkTable,
  links: RecordLink[],
): Promise<void> {
  await ctx.write(recordLinks(table), links);
}

/**
 * Sets the kept lifecycle stage of every contact link to these HubSpot contacts: one statement per
 * (stage, time) pair and chunk of ids — a rollup pass writes a handful of distinct pairs.
 */
export async function saveContactStages(
  ctx: StoreContext,
  stages: readonly { hubspotId: string; value: string | null; readAt: string }[],
): Promise<void> {
  const groups = new Map<string, { value: string | null; readAt: string; ids: string[] }>();
  for (const s of stages) {
    const key = JSON.stringify([s.value, s.readAt]);
    const g = groups.get(key) ?? { value: s.value, readAt: s.readAt, ids: [] };
    g.ids.push(s.hubspotId);
    groups.set(key, g);
  }
  if (groups.size === 0) return;
  await ctx.atomic(async () => {
    for (const g of groups.values()) {
      for (const part of chunk(unique(g.ids), ctx.batchSize)) {
        await ctx
          .db()
          .updateTable('contact_links')
          .set({ lifecycle_stage: g.value, stage_read_at: g.readAt })
          .where(ctx.inList('hubspot_id', part))
          .execute();
      }
    }
  });
}
