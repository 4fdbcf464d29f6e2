// The ID maps: opportunity → deal (with the hashes of what was last written), and Salesforce
// contact / account → HubSpot contact / company.
import type { DealLink, RecordLink } from '../../engine/state.js';
import { chunk, excluded, lastByKey, unique } from '../context.js';
import type { StoreContext } from '../context.js';
import type { DealLinksTable, RecordLinksTable } from '../schema.js';

const DEAL_COLUMNS = [
  'deal_id',
  'properties_hash',
  'associations_hash',
  'last_values',
  'archived',
  'last_synced_at',
] as const;
const RECORD_COLUMNS = ['hubspot_id', 'matched_by', 'rollup_hash'] as const;

type LinkTable = 'contact_links' | 'company_links';

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

function toRecordLink(row: RecordLinksTable): RecordLink {
  return {
    salesforceId: row.salesforce_id,
    hubspotId: row.hubspot_id,
    matchedBy: row.matched_by as RecordLink['matchedBy'],
    rollupHash: row.rollup_hash,
  };
}

export async function getDealLinks(
  ctx: StoreContext,
  opportunityIds: string[],
): Promise<Map<string, DealLink>> {
  const out = new Map<string, DealLink>();
  for (const part of chunk(unique(opportunityIds), ctx.inListSize)) {
    const rows = await ctx
      .db()
      .selectFrom('deal_links')
      .selectAll()
      .where('opportunity_id', 'in', part)
      .execute();
    for (const row of rows) out.set(row.opportunity_id, toDealLink(row));
  }
  return out;
}

export async function saveDealLinks(ctx: StoreContext, links: DealLink[]): Promise<void> {
  const rows = lastByKey(links, (l) => l.opportunityId).map((l) => ({
    opportunity_id: l.opportunityId,
    deal_id: l.dealId,
    properties_hash: l.propertiesHash,
    associations_hash: l.associationsHash,
    last_values: JSON.stringify(l.lastValues),
    archived: ctx.bool(l.archived),
    last_synced_at: l.lastSyncedAt,
  }));
  if (rows.length === 0) return;
  await ctx.atomic(async () => {
    for (const part of chunk(rows, ctx.rowsPerInsert(DEAL_COLUMNS.length + 1))) {
      await ctx
        .db()
        .insertInto('deal_links')
        .values(part)
        .onConflict((oc) => oc.column('opportunity_id').doUpdateSet(excluded(DEAL_COLUMNS)))
        .execute();
    }
  });
}

/** The deal links whose deal is one of these HubSpot ids (a deal seen on the HubSpot side). */
export async function dealLinksByDealIds(
  ctx: StoreContext,
  dealIds: string[],
): Promise<Map<string, DealLink>> {
  const out = new Map<string, DealLink>();
  for (const part of chunk(unique(dealIds), ctx.inListSize)) {
    const rows = await ctx.db().selectFrom('deal_links').selectAll().where('deal_id', 'in', part).execute();
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
  for (const part of chunk(unique(salesforceIds), ctx.inListSize)) {
    const rows = await ctx.db().selectFrom(table).selectAll().where('salesforce_id', 'in', part).execute();
    for (const row of rows) out.set(row.salesforce_id, toRecordLink(row));
  }
  return out;
}

export async function saveRecordLinks(
  ctx: StoreContext,
  table: LinkTable,
  links: RecordLink[],
): Promise<void> {
  const rows = lastByKey(links, (l) => l.salesforceId).map((l) => ({
    salesforce_id: l.salesforceId,
    hubspot_id: l.hubspotId,
    matched_by: l.matchedBy,
    rollup_hash: l.rollupHash,
  }));
  if (rows.length === 0) return;
  await ctx.atomic(async () => {
    for (const part of chunk(rows, ctx.rowsPerInsert(RECORD_COLUMNS.length + 1))) {
      await ctx
        .db()
        .insertInto(table)
        .values(part)
        .onConflict((oc) => oc.column('salesforce_id').doUpdateSet(excluded(RECORD_COLUMNS)))
        .execute();
    }
  });
}
