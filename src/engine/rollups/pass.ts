// The rollup pass (S6–S9): for the contacts and companies a change touched, recompute the five
// rollup values from the store's mirror, move contacts' lifecycle stage forward, and write only
// what changed, in batches of ≤ 100 per call. One bad record never blocks the others: failures
// are stored per record (`contact:003…`, `company:001…`) with a retry time, like the sync's.
//
// Cost per call: one batch read of `lifecyclestage` per 100 contacts that change and call for a
// stage and whose stage the pass has not read already — in this pass (knownStages) or, for the
// import, during this run (RecordLink.stage, bounded by rollups/stage-reuse.ts) — none when lifecycle
// is off; one batch update per 100 changed contacts and companies.
// Contacts and companies not linked to HubSpot are skipped: they have nowhere to show the values.
// A HubSpot contact linked to several Salesforce contacts (duplicates sharing an email) is one
// record here: its rollups and stage are over the union of their opportunities, written once, and
// whichever of them a change touched, the others' links are read from the store (DESIGN §2.3).
import type { HsProperties } from '../../domain/hubspot.js';
import { BATCH_SIZE, writeIsolating, type InputFailure } from '../sync/apply.js';
import { auditEntries } from '../audit.js';
import { existingErrors, toErrorRecords, type RecordFailure } from '../record-errors.js';
import type { HubspotPort, SalesforcePort } from '../ports/remote.js';
import { CONTACT_ID_PROPERTY, contactIdConflict, contactIdWrites, roundsByTarget } from './contact-id.js';
import { RollupContextLoader, type RollupContext } from './rollup-context.js';
import { relinkStale, type RelinkResult } from '../sync/relink.js';

import { reusableStage } from './stage-reuse.js';
import {
  planRollup,
  recordKey,
  unionOpportunities,
  unsettled,
  withLifecycle,
  type PlannedRollup,
  type RollupKind,
} from './plan.js';
import type { AuditEntry, RecordLink, StateStore } from '../ports/store.js';
import { chunk } from '../../lib/chunk.js';

export interface RollupDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  now?: () => Date;
}

export interface RollupOptions {
  /** Reuse a context (import: once per run; the sync hook: a cached loader). */
  context?: RollupContext;
  /** Write even when the fingerprint is unchanged (verify --fix, tests). */
  force?: boolean;
  runId?: string | null;
  /**
   * HubSpot contact id → current `lifecyclestage`, read earlier in the same pass: these contacts
   * are not read again. Stages this pass writes are recorded here, so a later call in the pass
   * never sees one older than its own write.
   */
  knownStages?: Map<string, string | null>;
  /**
   * Reuse the stages kept with the contact links (RecordLink.stage) that were read at or after
   * this instant, and at most 30 minutes ago (rollups/stage-reuse.ts): the import passes its start.
   */
  stagesReadSince?: string;
}

export interface RollupCounts {
  updated: number;
  unchanged: number;
  /** Not linked to a HubSpot record: nothing to write to. */
  notLinked: number;
  failed: number;
  /** Contacts whose lifecycle stage moved forward. */
  lifecycle: number;
}

export interface RollupResult {
  contacts: RollupCounts;
  companies: RollupCounts;
}

const emptyCounts = (): RollupCounts => ({ updated: 0, unchanged: 0, notLinked: 0, failed: 0, lifecycle: 0 });

/**
 * Recomputes and writes the rollups of these Salesforce contacts and accounts. Contact and
 * account ids are Salesforce ids; duplicates are fine.
 */
export async function applyRollups(
  deps: RollupDeps,
  touched: { contactIds: string[]; accountIds: string[] },
  opts: RollupOptions = {},
): Promise<RollupResult> {
  const ctx = opts.context ?? (await new RollupContextLoader(deps).load());
  const result: RollupResult = { contacts: emptyCounts(), companies: emptyCounts() };
  for (const part of chunk([...new Set(touched.contactIds)], BATCH_SIZE * 10)) {
    await applyKind(deps, 'contact', part, ctx, opts, result.contacts);
  }
  for (const part of chunk([...new Set(touched.accountIds)], BATCH_SIZE * 10)) {
    await applyKind(deps, 'company', part, ctx, opts, result.companies);
  }
  return result;
}

/**
 * `relinked`: this call rewrites records just relinked (sync/relink.ts); a record found stale
 * again is then left to the next pass rather than relinked in a loop.
 */
async function applyKind(
  deps: RollupDeps,
  kind: RollupKind,
  ids: string[],
  ctx: RollupContext,
  opts: RollupOptions,
  counts: RollupCounts,
  relinked = false,
): Promise<void> {
  const { store, hubspot } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const links = kind === 'contact' ? await store.getContactLinks(ids) : await store.getCompanyLinks(ids);
  counts.notLinked += ids.length - links.size;
  if (links.size === 0) return;
  // One group per HubSpot record written. A HubSpot contact's group is every link to it, also those
  // of Salesforce contacts this call was not given: its deals are the union of theirs (§2.3).
  const groups = new Map<string, RecordLink[]>();
  if (kind === 'contact') {
    const all = await store.contactLinksToHubspot([...new Set([...links.values()].map((l) => l.hubspotId))]);
    for (const l of [...links.values(), ...all]) {
      const group = groups.get(l.hubspotId) ?? [];
      if (!group.some((g) => g.salesforceId === l.salesforceId)) group.push(l);
      groups.set(l.hubspotId, group);
    }
  } else for (const [sfId, l] of links) groups.set(sfId, [l]);
  const memberIds = [...groups.values()].flatMap((g) => g.map((l) => l.salesforceId));
  const oppsOf =
    kind === 'contact'
      ? await store.opportunitiesOfContacts(memberIds)
      : await store.opportunitiesOfAccounts(memberIds);
  const errs = await existingErrors(
    store,
    memberIds.map((id) => recordKey(kind, id)),
  );
  const keysOf = (group: readonly RecordLink[]) => group.map((l) => recordKey(kind, l.salesforceId));

  const failures: RecordFailure[] = [];
  const plans: PlannedRollup[] = [];
  const cleared: string[] = [];
  for (const group of groups.values()) {
    const opps = unionOpportunities(group.map((l) => oppsOf.get(l.salesforceId) ?? []));
    const decision = planRollup(kind, group, opps, ctx, opts.force ?? false);
    if (decision.action === 'unchanged') {
      counts.unchanged++;
      cleared.push(...keysOf(group).filter((k) => errs.has(k)));
    } else if (decision.action === 'failed') {
      counts.failed++;
      // Every Salesforce record of the group shows the error; a retry of any re-plans the group.
      for (const key of keysOf(group))
        failures.push({
          recordKey: key,
          code: decision.code,
          message: decision.message,
          field: decision.field,
          severity: 'error',
        });
    } else plans.push(decision.plan);
  }

  // Current lifecycle stages, only for contacts that change and call for a stage.
  const stages = new Map<string, string | null>();
  const known = opts.knownStages;
  const toRead = new Set<string>();
  for (const p of plans) {
    if (p.lifecycleTarget === null) continue;
    const stored = reusableStage(p.link, opts.stagesReadSince, now);
    if (known?.has(p.hubspotId)) stages.set(p.hubspotId, known.get(p.hubspotId) ?? null);
    else if (stored) stages.set(p.hubspotId, stored.value);
    else toRead.add(p.hubspotId);
  }
  // The adapter splits reads into batches of 100 and sends them side by side (the transport paces).
  if (toRead.size > 0) {
    for (const c of await hubspot.readByIds('contacts', [...toRead], ['lifecyclestage']))
      stages.set(c.id, c.properties.lifecyclestage ?? null);
  }

  interface Write {
    plan: PlannedRollup;
    properties: HsProperties;
    lifecycle: string | null;
    /** `salesforce_contact_id` to write with the rollups (see rollups/contact-id.ts), or null. */
    contactId: string | null;
    /** The contact's stage before this write (for the audit). */
    stageBefore: string | null;
  }
  const idWrites =
    kind === 'contact' ? contactIdWrites(plans.flatMap((p) => p.links)) : new Map<string, string>();
  const writes: Write[] = plans.map((plan) => {
    const current = stages.has(plan.hubspotId) ? (stages.get(plan.hubspotId) ?? null) : undefined;
    const contactId = idWrites.get(plan.hubspotId) === plan.salesforceId ? plan.salesforceId : null;
    const w = {
      plan,
      ...withLifecycle(plan, current),
      contactId,
      stageBefore: current ?? null,
    };
    return w;
  });
  const objectType = kind === 'contact' ? 'contacts' : 'companies';
  const sent = (w: Write): HsProperties =>
    w.contactId === null ? w.properties : { ...w.properties, [CONTACT_ID_PROPERTY]: w.contactId };
  /** HubSpot ids the updates answered with: a merged-away id answers with the merge's new record. */
  const answered = new Set<string>();
  const send = async (part: Write[]): Promise<InputFailure<Write>[]> => {
    const outcome = await hubspot.updateObjects(
      objectType,
      part.map((w) => ({ id: w.plan.hubspotId, properties: sent(w) })),
    );
    for (const r of outcome.results) answered.add(r.id);
    return outcome.errors.flatMap((e) => {
      const input = part[e.index];
      return input ? [{ input, code: e.code, message: e.message, field: e.property ?? null }] : [];
    });
  };
  const update = async (part: Write[]): Promise<InputFailure<Write>[]> => {
    const failures = await send(part);
    // Per-input refusals of the id (a 207): those inputs go again without it.
    const refused = failures.filter((f) => f.field === CONTACT_ID_PROPERTY && f.input.contactId !== null);
    if (refused.length === 0) return failures;
    for (const f of refused) f.input.contactId = null;
    const again = await send(refused.map((f) => f.input));
    return [...failures.filter((f) => !refused.includes(f)), ...again];
  };
  // Write-ahead: the links' fingerprints are marked unsettled before HubSpot is written (plan.ts).
  const marked = writes.flatMap((w) =>
    w.plan.links
      .filter((l) => l.rollupHash !== null)
      .map((l) => ({ ...l, rollupHash: unsettled(l.rollupHash) })),
  );
  if (marked.length > 0) {
    if (kind === 'contact') await store.saveContactLinks(marked);
    else await store.saveCompanyLinks(marked);
  }
  // Batches of ≤ 100 written side by side; each isolates its own bad inputs. A contact is written
  // once (its links are one group); a HubSpot company linked to two accounts is written in
  // separate rounds (a batch refuses a duplicate id).
  const writeFailures: InputFailure<Write>[] = [];
  for (const round of roundsByTarget(writes, (w) => w.plan.hubspotId)) {
    const failures = await Promise.all(
      chunk(round, BATCH_SIZE).map((batch) =>
        writeIsolating(batch, async (part) => {
          try {
            return await update(part);
          } catch (err) {
            // The id is taken by another contact: write the rollups without it.
            const drop = contactIdConflict(
              err,
              part.map((w) => w.contactId !== null),
            );
            if (!drop) throw err;
            for (const i of drop) (part[i] as Write).contactId = null;
            return update(part);
          }
        }),
      ),
    );
    writeFailures.push(...failures.flat());
  }
  // Records HubSpot no longer has under the linked id: deleted (not found) or merged (answered by
  // the merge's new record). Their links are checked and moved or matched again, and their values
  // are written again below, to the record they have now; nothing of them is kept from this write.
  const failedNow = new Set(writeFailures.map((f) => f.input.plan));
  const suspects = new Set([
    ...writeFailures.filter((f) => f.code === 'HUBSPOT_NOT_FOUND').map((f) => f.input.plan.hubspotId),
    ...writes
      .filter((w) => !failedNow.has(w.plan) && !answered.has(w.plan.hubspotId))
      .map((w) => w.plan.hubspotId),
  ]);
  let relink: RelinkResult | undefined;
  if (suspects.size > 0 && !relinked)
    relink = await relinkStale(deps, kind === 'contact' ? { contacts: suspects } : { companies: suspects });
  const gone = relink ? (kind === 'contact' ? relink.goneContacts : relink.goneCompanies) : new Set<string>();
  const stale = writes.filter((w) => gone.has(w.plan.hubspotId));
  const failed = new Set([...writeFailures.map((f) => f.input.plan), ...stale.map((w) => w.plan)]);
  for (const f of writeFailures) {
    if (gone.has(f.input.plan.hubspotId)) continue;
    for (const key of keysOf(f.input.plan.links))
      failures.push({
        recordKey: key,
        code: f.code,
        message: `${kind} ${f.input.plan.salesforceId} (HubSpot ${f.input.plan.hubspotId}): ${f.message}`,
        field: f.field,
        severity: 'error',
      });
  }

  const saved: RecordLink[] = [];
  const written: { hubspotId: string; value: string; readAt: string }[] = [];
  const audit: AuditEntry[] = [];
  const moved = relink
    ? kind === 'contact'
      ? relink.contacts
      : relink.companies
    : new Map<string, string | null>();
  for (const w of writes) {
    if (gone.has(w.plan.hubspotId)) continue;
    if (failed.has(w.plan)) {
      counts.failed++;
      continue;
    }
    counts.updated++;
    if (w.lifecycle) {
      counts.lifecycle++;
      if (kind === 'contact') known?.set(w.plan.hubspotId, w.lifecycle);
    }
    for (const link of w.plan.links) saved.push({ ...link, rollupHash: w.plan.fingerprint });
    // A stage dealbridge wrote is the contact's stage as of now, for every link to that contact.
    if (w.lifecycle) written.push({ hubspotId: w.plan.hubspotId, value: w.lifecycle, readAt: at });
    const target = `${kind}:${w.plan.hubspotId}`;
    const sourceKey = recordKey(kind, w.plan.salesforceId);
    audit.push(
      ...auditEntries({
        target,
        sourceKey,
        oldValues: w.plan.previous,
        newValues:
          w.contactId === null
            ? w.plan.properties
            : { ...w.plan.properties, [CONTACT_ID_PROPERTY]: w.contactId },
        reason: 'rollup',
        at,
        runId: opts.runId ?? null,
      }),
    );
    if (w.lifecycle) {
      audit.push(
        ...auditEntries({
          target,
          sourceKey,
          oldValues: { lifecyclestage: w.stageBefore },
          newValues: { lifecyclestage: w.lifecycle },
          reason: 'lifecycle',
          at,
          runId: opts.runId ?? null,
        }),
      );
    }
    cleared.push(...keysOf(w.plan.links).filter((k) => errs.has(k)));
  }

  // Records whose HubSpot record is gone and was not found again: nothing to write to any more.
  for (const [sfId, to] of moved) {
    if (to !== null) continue;
    counts.notLinked++;
    if (errs.has(recordKey(kind, sfId))) cleared.push(recordKey(kind, sfId));
  }
  const errorRecords = toErrorRecords(failures, errs, now);
  if (saved.length + audit.length + errorRecords.length + cleared.length > 0) {
    await store.transaction(async () => {
      if (saved.length > 0) {
        if (kind === 'contact') await store.saveContactLinks(saved);
        else await store.saveCompanyLinks(saved);
      }
      if (written.length > 0) await store.saveContactStages(written);
      if (audit.length > 0) await store.appendAudit(audit);
      if (errorRecords.length > 0) await store.recordErrors(errorRecords);
      if (cleared.length > 0) await store.clearErrors(cleared);
    });
  }
  // The relinked records' values, written to the record each has now (every link to it: a merge
  // joins the opportunities of both records' Salesforce contacts).
  const again = [...moved].flatMap(([sfId, to]) => (to === null ? [] : [sfId]));
  if (again.length > 0) await applyKind(deps, kind, again, ctx, opts, counts, true);
}
