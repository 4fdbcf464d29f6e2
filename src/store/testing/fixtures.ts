// Small builders for store tests: complete records with overridable fields.
import type { SfAccount, SfContactRole } from '../../domain/salesforce.js';
import type { DealLink, ImportRun, OpportunityMirror, SyncErrorRecord } from '../../engine/ports/store.js';

export function opp(id: string, over: Partial<OpportunityMirror> = {}): OpportunityMirror {
  return {
    id,
    name: `Opp ${id}`,
    accountId: null,
    amount: '1000.50',
    currencyIsoCode: null,
    closeDate: '2024-03-31',
    createdDate: '2024-01-15T10:00:00.000Z',
    isClosed: false,
    isWon: false,
    isDeleted: false,
    inScope: true,
    systemModstamp: '2024-01-15T10:00:00.000Z',
    ...over,
  };
}

export function role(
  id: string,
  opportunityId: string,
  contactId: string,
  over: Partial<SfContactRole> = {},
) {
  const r: SfContactRole = {
    Id: id,
    OpportunityId: opportunityId,
    ContactId: contactId,
    Role: 'Decision Maker',
    IsPrimary: false,
    SystemModstamp: '2024-01-15T10:00:00.000Z',
    IsDeleted: false,
    ...over,
  };
  return r;
}

export function account(id: string, over: Partial<SfAccount> = {}): SfAccount {
  return {
    Id: id,
    Name: `Account ${id}`,
    Website: 'https://example.com',
    SystemModstamp: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

export function dealLink(opportunityId: string, over: Partial<DealLink> = {}): DealLink {
  return {
    opportunityId,
    dealId: `deal-${opportunityId}`,
    propertiesHash: 'p1',
    associationsHash: 'a1',
    lastValues: { dealname: `Opp ${opportunityId}`, amount: '10.00', description: null },
    archived: false,
    lastSyncedAt: '2024-05-20T20:49:32.000Z',
    ...over,
  };
}

export function syncError(recordKey: string, over: Partial<SyncErrorRecord> = {}): SyncErrorRecord {
  return {
    recordKey,
    code: 'OWNER_NOT_FOUND',
    message: 'no HubSpot owner with email a@b.c',
    field: 'hubspot_owner_id',
    severity: 'error',
    attempts: 1,
    firstSeenAt: '2024-05-20T10:00:00.000Z',
    lastSeenAt: '2024-05-20T10:00:00.000Z',
    nextRetryAt: '2024-05-20T10:05:00.000Z',
    deadLetteredAt: null,
    ...over,
  };
}

export function importRun(id: string, over: Partial<ImportRun> = {}): ImportRun {
  return {
    id,
    status: 'running',
    startedAt: '2024-05-20T10:00:00.000Z',
    finishedAt: null,
    checkpointId: null,
    total: null,
    processed: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    message: null,
    ...over,
  };
}

/** `006` + a zero-padded number: sorts like the number. */
export function sfId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(15, '0')}`;
}
