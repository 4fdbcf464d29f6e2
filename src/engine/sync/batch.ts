// One batch of opportunities (≤ a few hundred) from read to written: scope, companies, mapping,
// hash check, upsert, associations, archive. Returns the outcome to store; the caller stores it
// (with the cursor, in one transaction) only after every HubSpot write of the batch has returned,
// so a crash at any point re-runs the batch against idempotent writes.
import type { HsProperties } from '../../domain/hubspot.js';
import type { SfContactRole } from '../../domain/salesforce.js';
import { writeAssociations, writeDeals, writeIsolating } from './apply.js';
import {
  associationState,
  associationsHash,
  associationValues,
  diffAssociations,
  emptyDiff,
  inlineAssociations,
  previousAssociations,
  type AssociationState,
} from './associations.js';
import { auditEntries, type AuditReason } from '../audit.js';
import { knownAccounts, resolveCompanies } from './companies.js';
import type { SyncContext } from '../mapping/sync-context.js';
import { existingErrors, opportunityKey, toErrorRecords, type RecordFailure } from '../record-errors.js';
import { dealPropertiesHash, mapOpportunityToDeal } from '../mapping/index.js';
import type { HubspotPort, SalesforcePort, SfOpportunityWithRoles } from '../ports/remote.js';
import { resolveContacts, roleEmails, updatePending } from './scope.js';
import type { Settings } from '../user-settings.js';
import type { AuditEntry, DealLink, OpportunityMirror, StateStore, SyncErrorRecord } from '../ports/store.js';

export interface BatchEnv {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  settings: Settings;
  ctx: SyncContext;
  now: Date;
}

export interface BatchMode {
  reason: Extract<AuditReason, 'sync' | 'resync' | 'import'>;
  /** Skip rows whose SystemModstamp the mirror already holds (look-back re-reads). */
  cheapSkip: boolean;
  runId?: string | null;
  /**
   * The rows that come next (the next Salesforce page): their contacts and accounts fill the room
   * in this batch's last look-up calls (scope.ts LookupPadding).
   */
  lookahead?: SfOpportunityWithRoles[];
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  archived: number;
  skippedByReason: Record<string, number>;
}

export function emptyCounts(): Counts {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, archived: 0, skippedByReason: {} };
}

export function addCounts(into: Counts, c: Counts): Counts {
  into.created += c.created;
  into.updated += c.updated;
  into.unchanged += c.unchanged;
  into.skipped += c.skipped;
  into.failed += c.failed;
  into.archived += c.archived;
  for (const [k, v] of Object.entries(c.skippedByReason))
    into.skippedByReason[k] = (into.skippedByReason[k] ?? 0) + v;
  return into;
}

/** Records whose rollups (issue 5) may have changed because of this batch. */
export interface Touched {
  opportunityIds: Set<string>;
  contactIds: Set<string>;
  accountIds: Set<string>;
  /**
   * HubSpot contact id → `lifecyclestage` as read earlier in this pass (by the contact lookup); the
   * rollup pass reads only the stages missing here. In memory only, never persisted.
   */
  contactStages?: Map<string, string | null>;
  /** The portal's company currency as the pass's mapping context read it (the rollups need it). */
  portalCurrency?: string;
}

export function emptyTouched(): Touched {
  return { opportunityIds: new Set(), contactIds: new Set(), accountIds: new Set() };
}

export interface BatchOutcome {
  counts: Counts;
  links: DealLink[];
  mirrors: OpportunityMirror[];
  /** Opportunities whose contact roles are replaced by `roles` (their complete live set). */
  roleOpportunityIds: string[];
  roles: SfContactRole[];
  errors: SyncErrorRecord[];
  cleared: string[];
  audit: AuditEntry[];
  /** Contacts not in HubSpot that keep an opportunity out of scope (id → email). */
  pendingContacts: Map<string, string | null>;
  /** Contacts found in HubSpot in this batch (no longer pending). */
  foundContacts: string[];
  touched: Touched;
  /** Opportunities processed (for the role memo). */
  processed: SfOpportunityWithRoles[];
}

interface Planned {
  opp: SfOpportunityWithRoles;
  link: DealLink | undefined;
  properties: HsProperties;
  hash: string;
  write: boolean;
  warnings: RecordFailure[];
}

function skip(c: Counts, reason: string): void {
  c.skipped++;
  c.skippedByReason[reason] = (c.skippedByReason[reason] ?? 0) + 1;
}

export function toMirror(o: SfOpportunityWithRoles, inScope: boolean): OpportunityMirror {
  return {
    id: o.Id,
    name: o.Name,
    accountId: o.AccountId,
    amount: o.Amount,
    currencyIsoCode: o.CurrencyIsoCode,
    closeDate: o.CloseDate,
    createdDate: o.CreatedDate,
    isClosed: o.IsClosed,
    isWon: o.IsWon,
    isDeleted: o.IsDeleted,
    inScope,
    systemModstamp: o.SystemModstamp,
  };
}

export async function syncOpportunityBatch(
  env: BatchEnv,
  input: SfOpportunityWithRoles[],
  mode: BatchMode,
): Promise<BatchOutcome> {
  const { store, hubspot } = env;
  const at = env.now.toISOString();
  const counts = emptyCounts();
  // queryAll's child subquery also returns deleted contact roles: only live ones count, but the
  // deleted ones are stored too (the mirror keeps them flagged).
  const byId = new Map(
    input.map((o) => [o.Id, { ...o, contactRoles: o.contactRoles.filter((r) => !r.IsDeleted) }]),
  );
  const deletedRoles = new Map<string, SfContactRole[]>();
  for (const o of input) {
    const gone = o.contactRoles.filter((r) => r.IsDeleted);
    if (gone.length > 0) deletedRoles.set(o.Id, gone);
  }
  const ids = [...byId.keys()];
  const [links, mirrors, errs, oldContacts] = await Promise.all([
    store.getDealLinks(ids),
    store.getOpportunities(ids),
    existingErrors(store, ids.map(opportunityKey)),
    store.contactIdsForOpportunities(ids),
  ]);

  const out: BatchOutcome = {
    counts,
    links: [],
    mirrors: [],
    roleOpportunityIds: [],
    roles: [],
    errors: [],
    cleared: [],
    audit: [],
    pendingContacts: new Map(),
    foundContacts: [],
    touched: emptyTouched(),
    processed: [],
  };
  const failures: RecordFailure[] = [];
  const work: SfOpportunityWithRoles[] = [];
  for (const opp of byId.values()) {
    const m = mirrors.get(opp.Id);
    const unchangedRow =
      mode.cheapSkip && m && m.systemModstamp === opp.SystemModstamp && m.isDeleted === opp.IsDeleted;
    // A failed record is tried again by the look-back re-read only once its backoff is over; until
    // then the pass's due-retries step owns it (else the look-back would retry it every pass).
    const err = errs.get(opportunityKey(opp.Id));
    const retryDue =
      err !== undefined && (err.nextRetryAt === null || Date.parse(err.nextRetryAt) <= env.now.getTime());
    if (unchangedRow && !retryDue) {
      // Not recorded as processed: its roles (read now) may be newer than what was synced.
      counts.unchanged++;
      continue;
    }
    work.push(opp);
    out.processed.push(opp);
    out.touched.opportunityIds.add(opp.Id);
    if (opp.AccountId) out.touched.accountIds.add(opp.AccountId);
    if (m?.accountId) out.touched.accountIds.add(m.accountId);
    for (const c of oldContacts.get(opp.Id) ?? []) out.touched.contactIds.add(c);
    for (const r of opp.contactRoles) out.touched.contactIds.add(r.ContactId);
  }

  // Deletes archive the deal; the mirror keeps the row (IsDeleted) so an undelete can come back.
  const deleted = work.filter((o) => o.IsDeleted);
  const toArchive = deleted.filter((o) => {
    const l = links.get(o.Id);
    return l?.dealId && !l.archived;
  });
  const archiveFailures = await writeIsolating(toArchive, async (part) => {
    await hubspot.archiveDeals(part.map((o) => links.get(o.Id)?.dealId as string));
    return [];
  });
  const archiveFailed = new Set(archiveFailures.map((f) => f.input.Id));
  for (const f of archiveFailures) {
    failures.push({
      recordKey: opportunityKey(f.input.Id),
      code: f.code,
      message: f.message,
      field: f.field,
    });
  }
  for (const o of deleted) {
    out.mirrors.push(toMirror(o, mirrors.get(o.Id)?.inScope ?? false));
    const link = links.get(o.Id);
    if (archiveFailed.has(o.Id)) {
      counts.failed++;
      continue;
    }
    out.cleared.push(opportunityKey(o.Id));
    if (link?.dealId && !link.archived) {
      counts.archived++;
      out.links.push({ ...link, archived: true, lastSyncedAt: at });
      out.audit.push(
        ...auditEntries({
          target: `deal:${link.dealId}`,
          sourceKey: opportunityKey(o.Id),
          oldValues: { archived: 'false' },
          newValues: { archived: 'true' },
          reason: 'archive',
          at,
          runId: mode.runId ?? null,
        }),
      );
    } else if (link?.archived) counts.unchanged++;
    else skip(counts, 'deleted');
  }

  // Scope: a contact role whose contact is in HubSpot; a deal that exists keeps syncing.
  const live = work.filter((o) => !o.IsDeleted);
  const ahead = (mode.lookahead ?? []).filter((o) => !o.IsDeleted);
  const aheadRoles = ahead.flatMap((o) => o.contactRoles.filter((r) => !r.IsDeleted));
  const contacts = await resolveContacts(
    {
      salesforce: env.salesforce,
      hubspot,
      store,
      contactIdIsUnique: env.ctx.contactIdIsUnique,
      now: () => env.now,
    },
    live.flatMap((o) => o.contactRoles.map((r) => r.ContactId)),
    roleEmails(live.flatMap((o) => o.contactRoles)),
    { ids: aheadRoles.map((r) => r.ContactId), emails: roleEmails(aheadRoles) },
  );
  out.foundContacts = contacts.newLinks.map((l) => l.salesforceId);
  out.touched.contactStages = contacts.stages;
  const inScope: SfOpportunityWithRoles[] = [];
  for (const o of live) {
    out.roleOpportunityIds.push(o.Id);
    out.roles.push(...o.contactRoles, ...(deletedRoles.get(o.Id) ?? []));
    const link = links.get(o.Id);
    const hasContact = o.contactRoles.some((r) => contacts.linked.has(r.ContactId));
    if (hasContact || (link?.dealId && !link.archived)) {
      inScope.push(o);
      out.mirrors.push(toMirror(o, true));
      continue;
    }
    out.mirrors.push(toMirror(o, false));
    out.cleared.push(opportunityKey(o.Id));
    skip(counts, o.contactRoles.length === 0 ? 'no_contact_role' : 'no_contact_in_hubspot');
    for (const r of o.contactRoles) {
      if (contacts.missing.has(r.ContactId))
        out.pendingContacts.set(r.ContactId, contacts.missing.get(r.ContactId) ?? null);
    }
  }

  const companies = await resolveCompanies(
    { salesforce: env.salesforce, hubspot, store },
    inScope.flatMap((o) => (o.AccountId ? [o.AccountId] : [])),
    {
      create: env.settings.createCompanies,
      known: knownAccounts(inScope),
      padding: ahead.flatMap((o) => (o.AccountId ? [o.AccountId] : [])),
    },
  );

  // Map, and skip writes whose content hash is unchanged.
  const planned: Planned[] = [];
  for (const opp of inScope) {
    const link = links.get(opp.Id);
    const isCreate = !link?.dealId || link.archived;
    const mapped = mapOpportunityToDeal(opp, env.ctx.mapping, { isCreate, lastWritten: link?.lastValues });
    if (!mapped.ok) {
      counts.failed++;
      for (const e of mapped.errors) {
        failures.push({
          recordKey: opportunityKey(opp.Id),
          code: e.code,
          message: e.message,
          field: e.field,
        });
      }
      continue;
    }
    const hash = dealPropertiesHash(mapped.properties);
    const write = isCreate || link?.propertiesHash !== hash;
    const warnings = mapped.warnings.map((w) => ({
      recordKey: opportunityKey(opp.Id),
      code: w.code,
      message: w.message,
      field: w.field,
    }));
    planned.push({ opp, link, properties: mapped.properties, hash, write, warnings });
  }

  // What each deal should be associated with; deals never created get it inline with the create.
  const stateOf = (p: Planned): AssociationState =>
    associationState(
      p.opp.contactRoles.flatMap((r) => {
        const hs = contacts.linked.get(r.ContactId);
        return hs ? [hs] : [];
      }),
      p.opp.AccountId ? (companies.linked.get(p.opp.AccountId) ?? null) : null,
    );
  const toWrite = planned.filter((p) => p.write);
  const upserts = await writeDeals(
    hubspot,
    toWrite.filter((p) => p.link?.dealId).map((p) => ({ opportunityId: p.opp.Id, properties: p.properties })),
    toWrite
      .filter((p) => !p.link?.dealId)
      .map((p) => ({
        opportunityId: p.opp.Id,
        properties: p.properties,
        associations: inlineAssociations(stateOf(p)),
      })),
  );
  const upserted = new Map(upserts.results.map((r) => [r.opportunityId, r]));
  const upsertFailed = new Set<string>();
  for (const f of upserts.failures) {
    upsertFailed.add(f.input.opportunityId);
    failures.push({
      recordKey: opportunityKey(f.input.opportunityId),
      code: f.code,
      message: f.message,
      field: f.field,
    });
  }

  // Associations: a diff against what dealbridge wrote last time, for every deal of the batch.
  const diff = emptyDiff();
  const next = new Map<string, { dealId: string; state: AssociationState; prev: AssociationState }>();
  for (const p of planned) {
    if (upsertFailed.has(p.opp.Id)) continue;
    const dealId = p.write ? upserted.get(p.opp.Id)?.dealId : p.link?.dealId;
    if (!dealId) {
      upsertFailed.add(p.opp.Id);
      failures.push({
        recordKey: opportunityKey(p.opp.Id),
        code: 'INTERNAL',
        message: `${p.opp.Id}: HubSpot returned no deal for this opportunity`,
        field: null,
      });
      continue;
    }
    if (p.opp.AccountId && companies.failed.has(p.opp.AccountId)) {
      p.warnings.push({
        recordKey: opportunityKey(p.opp.Id),
        code: 'COMPANY_MATCH_FAILED',
        message: companies.failed.get(p.opp.AccountId) ?? '',
        field: 'AccountId',
      });
    }
    const state = stateOf(p);
    const prev = previousAssociations(p.link, dealId);
    next.set(p.opp.Id, { dealId, state, prev });
    // Created with its associations inline: nothing left to write for it.
    const inline = upserts.inline.has(p.opp.Id);
    if (!inline && associationsHash(state) !== associationsHash(prev))
      diffAssociations(dealId, prev, state, diff);
  }
  // Old primary company off before the new one on: a deal has one primary company.
  // Contacts and companies are independent of each other: both chains run side by side.
  const [companyFailures, contactFailures] = await Promise.all([
    (async () => [
      ...(await writeAssociations(hubspot, 'dissociate', 'companies', diff.removeCompanies)),
      ...(await writeAssociations(hubspot, 'associate', 'companies', diff.addCompanies)),
    ])(),
    (async () => [
      ...(await writeAssociations(hubspot, 'dissociate', 'contacts', diff.removeContacts)),
      ...(await writeAssociations(hubspot, 'associate', 'contacts', diff.addContacts)),
    ])(),
  ]);
  const assocFailures = [...companyFailures, ...contactFailures];
  const assocFailedDeals = new Map(assocFailures.map((f) => [f.input.fromId, f]));

  for (const p of planned) {
    if (upsertFailed.has(p.opp.Id)) {
      counts.failed++;
      continue;
    }
    const n = next.get(p.opp.Id);
    if (!n) continue;
    const key = opportunityKey(p.opp.Id);
    const sameDeal = p.link?.dealId === n.dealId && !p.link.archived;
    const assocFailure = assocFailedDeals.get(n.dealId);
    const assocState = assocFailure ? n.prev : n.state;
    const assocChanged = !assocFailure && associationsHash(n.state) !== associationsHash(n.prev);
    if (assocFailure) {
      p.warnings.push({
        recordKey: key,
        code: 'ASSOCIATION_FAILED',
        message: `${p.opp.Id}: deal ${n.dealId} ↔ ${assocFailure.input.toId}: ${assocFailure.message}`,
        field: null,
      });
    }
    const oldValues = sameDeal ? (p.link?.lastValues ?? {}) : {};
    const values = { ...oldValues, ...p.properties, ...associationValues(assocState) };
    out.links.push({
      opportunityId: p.opp.Id,
      dealId: n.dealId,
      propertiesHash: p.hash,
      associationsHash: associationsHash(assocState),
      lastValues: values,
      archived: false,
      lastSyncedAt: at,
    });
    const reason: AuditReason = p.link?.archived ? 'restore' : mode.reason;
    if (p.write || assocChanged) {
      out.audit.push(
        ...auditEntries({
          target: `deal:${n.dealId}`,
          sourceKey: key,
          oldValues,
          newValues: {
            ...(p.write ? p.properties : {}),
            ...(assocChanged ? associationValues(n.state) : {}),
          },
          reason,
          at,
          runId: mode.runId ?? null,
        }),
      );
    }
    if (p.write && upserted.get(p.opp.Id)?.created) counts.created++;
    else if (p.write || assocChanged) counts.updated++;
    else counts.unchanged++;
    if (p.warnings.length > 0) failures.push(...p.warnings);
    else out.cleared.push(key);
  }

  out.errors = toErrorRecords(failures, errs, env.now);
  const failedKeys = new Set(out.errors.map((e) => e.recordKey));
  out.cleared = [...new Set(out.cleared)].filter((k) => !failedKeys.has(k) && errs.has(k));
  return out;
}

/** Stores a batch outcome; `extra` runs in the same transaction (the cursor update). */
export async function storeOutcome(
  store: StateStore,
  o: BatchOutcome,
  extra?: () => Promise<void>,
): Promise<void> {
  await store.transaction(async () => {
    await store.saveOpportunities(o.mirrors);
    if (o.roleOpportunityIds.length > 0) {
      const replacing = store as StateStore & {
        replaceContactRoles?: (ids: string[], r: SfContactRole[]) => Promise<void>;
      };
      if (replacing.replaceContactRoles) await replacing.replaceContactRoles(o.roleOpportunityIds, o.roles);
      else await store.saveContactRoles(o.roles);
    }
    await store.saveDealLinks(o.links);
    if (o.errors.length > 0) await store.recordErrors(o.errors);
    if (o.cleared.length > 0) await store.clearErrors(o.cleared);
    if (o.audit.length > 0) await store.appendAudit(o.audit);
    await updatePending(store, o.pendingContacts, o.foundContacts);
    if (extra) await extra();
  });
}
