// `dealbridge import --dry-run`: what an import would do, without a single write to HubSpot (and
// none to the ID map or mirror). Contacts are looked up read-only — by the remembered link, by
// `salesforce_contact_id`, then by email — and remembered for the rest of the preview, so each
// contact costs at most one lookup. Each in-scope opportunity is mapped and its hash compared with
// what the link says was written last: create, update or unchanged; the rest are skipped by reason
// (no contact role, no contact in HubSpot, or the error code the mapping would record).
import { randomUUID } from 'node:crypto';
import { loadSyncContext } from '../mapping/sync-context.js';

import { dealPropertiesHash, mapOpportunityToDeal } from '../mapping/index.js';
import type { HubspotPort, SfOpportunityWithRoles } from '../ports/remote.js';
import { CONTACT_ID_PROPERTY, findContactsByEmail, normaliseEmail } from '../sync/scope.js';
import { readSettings } from '../user-settings.js';
import type { ImportRun, StateStore } from '../ports/store.js';
import type { ImportDeps } from './run.js';
import { rateAndEta, type ImportProgress } from './progress.js';
import { ProvisionableStages } from './preview-stages.js';
import { chunk } from '../../lib/chunk.js';

export type PreviewAction = 'create' | 'update' | 'unchanged' | 'skip';

export interface PreviewRow {
  opportunityId: string;
  name: string;
  action: PreviewAction;
  reason?: string;
  dealId?: string | null;
  /** Mapped properties (create / update). */
  properties?: Record<string, string | null>;
  /** What the import provisions for it first (a stage Salesforce added after setup). */
  provisions?: string;
}

export interface ImportPreview {
  runId: string;
  processed: number;
  create: number;
  update: number;
  unchanged: number;
  skip: number;
  skippedByReason: Record<string, number>;
  samples: Record<PreviewAction, PreviewRow[]>;
}

/** Read-only contact lookup with a memo for the whole preview. */
class ContactLookup {
  private readonly found = new Map<string, boolean>();
  constructor(
    private readonly deps: ImportDeps,
    private readonly byIdProperty: boolean,
  ) {}

  async resolve(ids: string[]): Promise<void> {
    let rest = [...new Set(ids)].filter((id) => !this.found.has(id));
    if (rest.length === 0) return;
    for (const id of (await this.deps.store.getContactLinks(rest)).keys()) this.found.set(id, true);
    rest = rest.filter((id) => !this.found.has(id));
    if (rest.length > 0 && this.byIdProperty) {
      for (const part of chunk(rest, 100)) {
        const hits = await this.deps.hubspot.readByUniqueProperty('contacts', CONTACT_ID_PROPERTY, part, []);
        for (const c of hits) {
          const sfId = c.properties[CONTACT_ID_PROPERTY];
          if (sfId) this.found.set(sfId, true);
        }
      }
      rest = rest.filter((id) => !this.found.has(id));
    }
    if (rest.length === 0) return;
    const emailOf = new Map<string, string | null>();
    for (const part of chunk(rest, 200)) {
      for (const c of await this.deps.salesforce.contactsByIds(part))
        emailOf.set(c.Id, normaliseEmail(c.Email));
    }
    const byEmail = await findContactsByEmail(this.deps.hubspot as HubspotPort, [...emailOf.values()]);
    for (const id of rest) {
      const e = emailOf.get(id);
      this.found.set(id, e ? byEmail.has(e) : false);
    }
  }

  has(id: string): boolean {
    return this.found.get(id) === true;
  }
}

export async function previewImport(
  deps: ImportDeps,
  opts: { samples?: number; onProgress?: (p: ImportProgress) => void } = {},
): Promise<ImportPreview> {
  const { store, salesforce } = deps;
  const now = deps.now ?? (() => new Date());
  const sampleSize = opts.samples ?? 5;
  const settings = await readSettings(store);
  const ctx = await loadSyncContext(deps, settings, now().getTime());
  const total = await salesforce.countOpportunities();
  const started = now();
  const out: ImportPreview = {
    runId: randomUUID(),
    processed: 0,
    create: 0,
    update: 0,
    unchanged: 0,
    skip: 0,
    skippedByReason: {},
    samples: { create: [], update: [], unchanged: [], skip: [] },
  };
  const contacts = new ContactLookup(deps, ctx.contactIdIsUnique);
  const stages = await ProvisionableStages.of(deps, ctx, settings);
  const record = (row: PreviewRow) => {
    out[row.action]++;
    if (row.action === 'skip' && row.reason)
      out.skippedByReason[row.reason] = (out.skippedByReason[row.reason] ?? 0) + 1;
    const list = out.samples[row.action];
    if (list.length < sampleSize) list.push(row);
  };

  for await (const page of salesforce.allOpportunities(null, { extraFields: ctx.extraFields })) {
    for (const batch of chunk(page, 100)) {
      await previewBatch(store, batch, contacts, ctx.mapping, record, stages);
      out.processed += batch.length;
      const elapsedMs = now().getTime() - started.getTime();
      opts.onProgress?.({
        runId: out.runId,
        phase: 'deals',
        processed: out.processed,
        total,
        created: out.create,
        updated: out.update,
        unchanged: out.unchanged,
        skipped: out.skip,
        failed: 0,
        elapsedMs,
        ...rateAndEta(out.processed, 0, elapsedMs, total),
      });
    }
  }
  const run: ImportRun = {
    id: out.runId,
    status: 'dry-run',
    startedAt: started.toISOString(),
    finishedAt: now().toISOString(),
    checkpointId: null,
    total,
    processed: out.processed,
    created: out.create,
    updated: out.update,
    unchanged: out.unchanged,
    skipped: out.skip,
    failed: 0,
    message: JSON.stringify({ skippedByReason: out.skippedByReason }),
  };
  await store.createImportRun(run);
  return out;
}

async function previewBatch(
  store: StateStore,
  batch: SfOpportunityWithRoles[],
  contacts: ContactLookup,
  mapping: Parameters<typeof mapOpportunityToDeal>[1],
  record: (row: PreviewRow) => void,
  stages: ProvisionableStages | undefined,
): Promise<void> {
  const live = batch.map((o) => ({ ...o, contactRoles: o.contactRoles.filter((r) => !r.IsDeleted) }));
  const provisioned = stages ? await stages.placeholders(live) : undefined;
  const links = await store.getDealLinks(live.map((o) => o.Id));
  await contacts.resolve(live.flatMap((o) => o.contactRoles.map((r) => r.ContactId)));
  for (const opp of live) {
    const link = links.get(opp.Id);
    const base = { opportunityId: opp.Id, name: opp.Name };
    const hasDeal = Boolean(link?.dealId && !link.archived);
    if (!hasDeal && !opp.contactRoles.some((r) => contacts.has(r.ContactId))) {
      record({
        ...base,
        action: 'skip',
        reason: opp.contactRoles.length === 0 ? 'no_contact_role' : 'no_contact_in_hubspot',
      });
      continue;
    }
    const provisions = provisioned?.notes.get(opp.Id);
    const mapped = mapOpportunityToDeal(opp, provisions ? provisioned!.mapping : mapping, {
      isCreate: !hasDeal,
      lastWritten: link?.lastValues,
    });
    if (!mapped.ok) {
      record({ ...base, action: 'skip', reason: mapped.errors[0]?.code ?? 'INTERNAL' });
      continue;
    }
    const action: PreviewAction = !hasDeal
      ? 'create'
      : link?.propertiesHash === dealPropertiesHash(mapped.properties)
        ? 'unchanged'
        : 'update';
    record({
      ...base,
      action,
      dealId: link?.dealId ?? null,
      ...(action === 'unchanged' ? {} : { properties: mapped.properties }),
      ...(provisions ? { provisions } : {}),
    });
  }
}
